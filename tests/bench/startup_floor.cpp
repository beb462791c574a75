// The floor a C++ program's start-up costs on this machine: libstdc++ loaded, one line printed.
// startup_bench prints its process CPU beside the station's.
#include <iostream>

int main() {
    std::cout << "startup_floor\n";
    return 0;
}
