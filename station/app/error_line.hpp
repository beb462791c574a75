// The one shape of an error line on the error stream: "station: error: <what>". Warnings say
// "station: warning: "; every line that reports a failure carries the word "error:".
#pragma once

#include <ostream>
#include <string_view>

namespace station::app {

inline void print_error(std::ostream& err, std::string_view what) {
    err << "station: error: " << what << '\n';
}

}  // namespace station::app
