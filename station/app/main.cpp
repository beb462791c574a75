// The station executable: hands argv to station::app::run.
#include <iostream>
#include <string>
#include <vector>

#include <station/app/cli.hpp>

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    return station::app::run(args, {std::cout, std::cerr});
}
