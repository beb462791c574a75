// Base URLs the ALMS client may talk to, and query-string encoding.
// TLS is not optional: a base URL is https://, except plain http:// to a loopback host
// (127.0.0.1, ::1, localhost) so tests can run a stand-in without certificates.
#pragma once

#include <string>
#include <string_view>

#include <station/core/result.hpp>

namespace station::alms {

enum class Scheme { https, http_loopback };

struct BaseUrl {
    std::string text;  // normalised: no trailing '/', e.g. "https://na.airvantage.net"
    Scheme scheme = Scheme::https;
    std::string host;  // as written, e.g. "na.airvantage.net"
};

// Accepts https://host[:port][/path] and http:// only for loopback hosts. Refuses user
// info (credentials never ride in URLs), queries, fragments and other schemes, naming `what`.
core::Result<BaseUrl> check_base_url(std::string_view url, std::string_view what);

// The same rules for a full request URL, which may carry a query.
core::Result<BaseUrl> check_request_url(std::string_view url, std::string_view what);

// True when `host` is 127.0.0.1, ::1 (bracketed or not) or localhost.
bool is_loopback_host(std::string_view host);

// A URL for messages: user info replaced by "***", sanitized, at most 200 bytes.
std::string displayable_url(std::string_view url);

// RFC 3986 percent-encoding of a query value (unreserved characters pass).
std::string percent_encode(std::string_view value);

}  // namespace station::alms
