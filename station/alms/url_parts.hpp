// The parts of an absolute URL, as libcurl's URL parser splits them. check_base_url and
// check_request_url (url.hpp) judge the parts; parsing them is libcurl's job, so the parser is
// linked in one of two ways: url_parts_curl.cpp calls libcurl directly (the libraries and the
// tests), transport_module.cpp asks the ALMS transport module, which the station binary loads
// only on its ALMS path (so commands that never talk to ALMS never load libcurl).
#pragma once

#include <optional>
#include <string>

#include <station/core/result.hpp>

namespace station::alms {

struct UrlParts {
    std::string scheme;
    std::string host;
    std::string user;
    std::string password;
    std::string query;
    std::string fragment;
};

// The parts of `url`; nullopt when it is not a valid absolute URL. Fails only when no parser
// is available (out of memory, or the transport module does not load: its message says why).
core::Result<std::optional<UrlParts>> parse_url_parts(const std::string& url);

}  // namespace station::alms
