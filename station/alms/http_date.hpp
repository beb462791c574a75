// HTTP dates (Retry-After), as libcurl's curl_getdate reads them: IMF-fixdate
// ("Sun, 06 Nov 1994 08:49:37 GMT") and the obsolete RFC 850 and asctime forms every recipient
// must accept (RFC 9110 5.6.7). Like url_parts.hpp, the parser is linked one of two ways:
// http_date_curl.cpp calls libcurl directly (the libraries and the tests), transport_module.cpp
// asks the ALMS transport module, which the station binary loads only on its ALMS path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <station/core/result.hpp>

namespace station::alms {

// Seconds since the Unix epoch (UTC) of the date `text` names; nullopt when it names none.
// Fails only when no parser is available (the transport module does not load: its message
// says why).
core::Result<std::optional<std::int64_t>> parse_http_date(const std::string& text);

}  // namespace station::alms
