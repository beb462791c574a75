// parse_http_date through libcurl's date parser (curl_getdate).
#include <station/alms/http_date.hpp>

#include <curl/curl.h>

namespace station::alms {

core::Result<std::optional<std::int64_t>> parse_http_date(const std::string& text) {
    const time_t when = curl_getdate(text.c_str(), nullptr);
    if (when == static_cast<time_t>(-1)) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(static_cast<std::int64_t>(when));
}

}  // namespace station::alms
