#include <station/alms/transport.hpp>

namespace station::alms {

std::string_view to_string(Method method) {
    switch (method) {
        case Method::get:
            return "GET";
        case Method::post:
            return "POST";
        case Method::put:
            return "PUT";
    }
    return "GET";
}

std::string_view to_string(TransportError error) {
    switch (error) {
        case TransportError::none:
            return "none";
        case TransportError::timeout:
            return "timeout";
        case TransportError::connect_failed:
            return "connect_failed";
        case TransportError::connection_dropped:
            return "connection_dropped";
        case TransportError::tls_verification:
            return "tls_verification";
        case TransportError::url_refused:
            return "url_refused";
        case TransportError::response_too_large:
            return "response_too_large";
        case TransportError::other:
            return "other";
    }
    return "other";
}

}  // namespace station::alms
