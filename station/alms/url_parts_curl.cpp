// parse_url_parts through libcurl's URL API (CURLU).
#include <station/alms/url_parts.hpp>

#include <memory>

#include <curl/curl.h>

namespace station::alms {
namespace {

struct UrlDeleter {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
    void operator()(char* text) const { curl_free(text); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

// One part of a parsed URL; empty when absent.
std::string part(CURLU* url, CURLUPart which) {
    char* raw = nullptr;
    if (curl_url_get(url, which, &raw, 0) != CURLUE_OK || raw == nullptr) return {};
    const CurlString owned(raw);
    return std::string(owned.get());
}

}  // namespace

core::Result<std::optional<UrlParts>> parse_url_parts(const std::string& url) {
    const std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
    if (!parsed) return core::fail(core::Reason::bad_usage, "out of memory");
    if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        return std::optional<UrlParts>{};
    }
    UrlParts parts;
    parts.scheme = part(parsed.get(), CURLUPART_SCHEME);
    parts.host = part(parsed.get(), CURLUPART_HOST);
    parts.user = part(parsed.get(), CURLUPART_USER);
    parts.password = part(parsed.get(), CURLUPART_PASSWORD);
    parts.query = part(parsed.get(), CURLUPART_QUERY);
    parts.fragment = part(parsed.get(), CURLUPART_FRAGMENT);
    return std::optional<UrlParts>(std::move(parts));
}

}  // namespace station::alms
