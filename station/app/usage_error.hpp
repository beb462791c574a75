// Bad command-line usage: thrown at the CLI edge only, caught once in run(), exit 64.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <station/core/sanitize.hpp>
#include <station/core/utf8.hpp>

namespace station::app {

class UsageError : public std::runtime_error {
  public:
    explicit UsageError(const std::string& what) : std::runtime_error(what) {}
};

// The upper bound of every --timeout-ms (identify, scan, provision) and of scan's --probe-ms.
constexpr int k_max_timeout_ms = 600000;
// The longest operator-typed name (a pallet, an operator, a PO, an RMA, a customer, a part
// number), in characters.
constexpr std::size_t k_max_operator_text = 128;

// An operator-typed value (a pallet, an RMA, a note): any language (the command line is
// checked to be UTF-8), but no control characters, bidirectional overrides and the like, and at
// most `max` characters; else "<command>: <option> has control characters" or "... is longer
// than <max> characters".
inline void check_operator_text(std::string_view command, const char* option,
                                const std::string& value, std::size_t max) {
    if (!core::is_display_safe(value)) {
        throw UsageError(std::string(command) + ": " + option + " has control characters");
    }
    if (core::code_point_count(value) > max) {
        throw UsageError(std::string(command) + ": " + option + " is longer than " +
                         std::to_string(max) + " characters");
    }
}

}  // namespace station::app
