// One Result type for every failure a caller can act on (tl::expected from libexpected-dev).
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

#include <station/core/reason.hpp>

namespace station::core {

// What went wrong, as a stable reason code plus a sentence naming where and what,
// e.g. {Reason::no_response, "/dev/ttyUSB2: AT+CGSN: no response after 2000 ms"}.
struct Error {
    Reason reason = Reason::protocol_error;
    std::string message;
};

template <class T>
using Result = tl::expected<T, Error>;

// Builds the error side of a Result: `return fail(Reason::port_lost, "...")`.
inline tl::unexpected<Error> fail(Reason reason, std::string message) {
    return tl::unexpected<Error>(Error{reason, std::move(message)});
}

}  // namespace station::core
