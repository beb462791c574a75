// One HTTP exchange, as the ALMS client sees it. Credentials travel in their own fields
// (never in `headers`), so code that prints a request cannot print them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <station/alms/secret.hpp>

namespace station::alms {

// put: the subscription update of an outbox `update` row (mapping.hpp: an assumed call).
enum class Method { get, post, put };

std::string_view to_string(Method method);

// basic: HTTP Basic with basic_user/basic_password. client_form: the same two appended to the
// form body by the transport (`&client_id=..&client_secret=..`, percent-encoded), for an
// OAuth server that does not take HTTP Basic. bearer: the access token.
enum class Auth { none, basic, client_form, bearer };

struct HttpRequest {
    Method method = Method::get;
    std::string url;           // absolute; checked again by the transport (https or loopback http)
    std::string content_type;  // for POST and PUT bodies
    std::string body;
    Auth auth = Auth::none;
    std::string basic_user;  // client id (not secret, but not printed either): basic, client_form
    Secret basic_password;   // client secret: basic, client_form
    Secret bearer;           // access token
};

// Why no HTTP status came back.
enum class TransportError {
    none,
    timeout,             // connect or whole-request deadline passed
    connect_failed,      // refused, unreachable, DNS, TLS handshake broken off
    connection_dropped,  // the peer closed or reset mid-exchange, or sent nothing
    tls_verification,    // certificate not trusted / wrong host / CA bundle unusable
    url_refused,         // not https (or loopback http): never sent
    response_too_large,  // body over the bound
    other,
};

std::string_view to_string(TransportError error);

struct HttpResponse {
    TransportError error = TransportError::none;
    std::string error_message;  // when error != none: what failed (never credentials)
    long status = 0;            // HTTP status when error == none
    std::string body;
    std::optional<std::string> retry_after;  // the Retry-After header, verbatim
};

// Sends one request and returns what came back. Implementations bound time and size.
class Transport {
  public:
    virtual ~Transport() = default;
    virtual HttpResponse send(const HttpRequest& request) = 0;
};

}  // namespace station::alms
