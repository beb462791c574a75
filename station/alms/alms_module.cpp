// The entry points of station_alms_curl.so (transport_module.hpp): the libcurl transport and
// libcurl's URL and date parsers, behind four C symbols. Nothing escapes as an exception.
#include <exception>

#include <station/alms/transport_module.hpp>

#define STATION_MODULE_EXPORT extern "C" __attribute__((visibility("default")))

STATION_MODULE_EXPORT int station_alms_module_abi() {
    return station::alms::k_transport_module_abi;
}

STATION_MODULE_EXPORT station::alms::Transport* station_alms_module_new_transport(
    const station::alms::TransportOptions* options, std::string* error) {
    try {
        return new station::alms::CurlTransport(*options);
    } catch (const std::exception& e) {
        *error = e.what();
    } catch (...) {
        *error = "libcurl transport: unknown failure";
    }
    return nullptr;
}

namespace {

// Runs a parser answering Result<optional<T>>: 1 with *out set, 0 when the text names no such
// value, -1 with *error set.
template <class T, class Parse>
int serve(const Parse& parse, T* out, std::string* error) {
    try {
        auto parsed = parse();
        if (!parsed) {
            *error = parsed.error().message;
            return -1;
        }
        if (!*parsed) return 0;
        *out = std::move(**parsed);
        return 1;
    } catch (const std::exception& e) {
        *error = e.what();
    }
    return -1;
}

}  // namespace

STATION_MODULE_EXPORT int station_alms_module_parse_url(const std::string* url,
                                                        station::alms::UrlParts* out,
                                                        std::string* error) {
    return serve([url] { return station::alms::parse_url_parts(*url); }, out, error);
}

STATION_MODULE_EXPORT int station_alms_module_parse_http_date(const std::string* text,
                                                              std::int64_t* seconds,
                                                              std::string* error) {
    return serve([text] { return station::alms::parse_http_date(*text); }, seconds, error);
}
