#include <station/alms/url.hpp>

#include <station/alms/url_parts.hpp>
#include <station/core/sanitize.hpp>

namespace station::alms {
namespace {

using core::fail;
using core::Reason;

bool is_unreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

}  // namespace

bool is_loopback_host(std::string_view host) {
    return host == "127.0.0.1" || host == "::1" || host == "[::1]" || host == "localhost";
}

namespace {

enum class Query { refused, allowed };

core::Result<BaseUrl> check_url(std::string_view url, std::string_view what, Query query) {
    const std::string shown = displayable_url(url);
    const std::string prefix = std::string(what) + ": URL '" + shown + "'";
    if (url.empty()) return fail(Reason::bad_usage, std::string(what) + ": URL is empty");
    const std::string text(url);
    const auto parsed = parse_url_parts(text);
    if (!parsed) return fail(Reason::bad_usage, prefix + ": " + parsed.error().message);
    if (!*parsed) return fail(Reason::bad_usage, prefix + " is not a valid absolute URL");
    const UrlParts& parts = **parsed;
    const std::string& scheme = parts.scheme;
    const std::string& host = parts.host;
    if (!parts.user.empty() || !parts.password.empty()) {
        return fail(Reason::bad_usage, std::string(what) +
                                           ": URL must not carry user info (credentials belong "
                                           "in the credentials file)");
    }
    if ((query == Query::refused && !parts.query.empty()) || !parts.fragment.empty()) {
        return fail(Reason::bad_usage, prefix + " must not have a query or fragment");
    }
    BaseUrl out;
    if (scheme == "https") {
        out.scheme = Scheme::https;
    } else if (scheme == "http" && is_loopback_host(host)) {
        out.scheme = Scheme::http_loopback;
    } else if (scheme == "http") {
        return fail(Reason::bad_usage,
                    prefix + " uses plain http to a non-loopback host; only https is allowed");
    } else {
        return fail(Reason::bad_usage, prefix + " has unsupported scheme '" +
                                           core::sanitize_for_display(scheme, 20) + "'");
    }
    out.text = text;
    out.host = host;
    if (query == Query::refused) {
        while (!out.text.empty() && out.text.back() == '/') out.text.pop_back();
    }
    return out;
}

}  // namespace

core::Result<BaseUrl> check_base_url(std::string_view url, std::string_view what) {
    return check_url(url, what, Query::refused);
}

core::Result<BaseUrl> check_request_url(std::string_view url, std::string_view what) {
    return check_url(url, what, Query::allowed);
}

std::string displayable_url(std::string_view url) {
    std::string text(url);
    const auto scheme_end = text.find("://");
    if (scheme_end != std::string::npos) {
        const auto authority = scheme_end + 3;
        const auto path = text.find_first_of("/?#", authority);
        const auto at = text.rfind('@', path == std::string::npos ? text.size() : path);
        if (at != std::string::npos && at >= authority)
            text.replace(authority, at - authority, "***");
    }
    return core::sanitize_for_display(text, 200);
}

std::string percent_encode(std::string_view value) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (is_unreserved(c)) {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += k_hex[byte >> 4U];
            out += k_hex[byte & 0x0FU];
        }
    }
    return out;
}

}  // namespace station::alms
