// Private to the ALMS client's sources (client.cpp, client_update.cpp): why a call did not give
// a usable answer.
#pragma once

#include <optional>
#include <string>

#include <station/alms/client.hpp>

namespace station::alms {

struct AlmsClient::Problem {
    Disposition disposition = Disposition::backoff;  // honour_retry_after, backoff or final
    std::string message;
    long status = 0;
    std::optional<std::string> retry_after;
    std::optional<ServerError> server_error;
    std::optional<core::Reason> station_fault;  // set: the station's setup is at fault (an Error)
    bool create_in_doubt = false;               // a create was sent; its answer was lost
};

}  // namespace station::alms
