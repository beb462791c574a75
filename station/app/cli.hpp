// The station command line: `station <command> [options]`.
#pragma once

#include <iosfwd>
#include <span>
#include <string>

namespace station::app {

// Standard streams, passed in so tests and the binary share one code path.
struct Console {
    std::ostream& out;
    std::ostream& err;
};

// Runs one command line (argv without the program name). Returns the process exit code;
// prints `station: <command>: error: ...` and returns 64 on bad usage. Never throws.
int run(std::span<const std::string> args, Console console);

}  // namespace station::app
