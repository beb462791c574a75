// The one shape of an error line on the error stream: "station: error: <what>". Warnings say
// "station: warning: "; every line that reports a failure carries the word "error:".
#pragma once

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string_view>

namespace station::app {

// Each line of `what` gets the prefix (a rig file lists all its mistakes, one per line).
inline void print_error(std::ostream& err, std::string_view what) {
    std::size_t start = 0;
    while (start <= what.size()) {
        const std::size_t end = std::min(what.find('\n', start), what.size());
        err << "station: error: " << what.substr(start, end - start) << '\n';
        start = end + 1;
    }
}

}  // namespace station::app
