#include <station/alms/curl_transport.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <new>
#include <stdexcept>

#include <curl/curl.h>

#include <station/alms/url.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>

namespace station::alms {
namespace {

struct Sink {
    std::string body;
    std::size_t limit = 0;
    bool overflow = false;
    std::optional<std::string> retry_after;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t n = size * count;
    if (sink->body.size() + n > sink->limit) {
        sink->overflow = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    sink->body.append(data, n);
    return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t n = size * count;
    std::string_view line(data, n);
    if (core::istarts_with(line, "HTTP/")) sink->retry_after.reset();  // a new response begins
    constexpr std::string_view k_name = "retry-after:";
    if (core::istarts_with(line, k_name)) {
        line.remove_prefix(k_name.size());
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' '))
            line.remove_suffix(1);
        sink->retry_after = std::string(line.substr(0, 128));
    }
    return n;
}

TransportError classify(CURLcode code) {
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            return TransportError::timeout;
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_SSL_CONNECT_ERROR:
            return TransportError::connect_failed;
        case CURLE_GOT_NOTHING:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            return TransportError::connection_dropped;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return TransportError::tls_verification;
        case CURLE_WRITE_ERROR:
            return TransportError::response_too_large;
        default:
            return TransportError::other;
    }
}

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::runtime_error("libcurl: global initialisation failed");
        }
    });
}

// A header list that wipes its strings (one holds the bearer token) when freed.
class HeaderList {
  public:
    HeaderList() = default;
    ~HeaderList() {
        for (curl_slist* item = m_list; item != nullptr; item = item->next) {
            for (char* p = item->data; *p != '\0'; ++p) *p = '\0';
        }
        curl_slist_free_all(m_list);
    }
    HeaderList(const HeaderList&) = delete;
    HeaderList& operator=(const HeaderList&) = delete;
    void add(const std::string& line) {
        curl_slist* next = curl_slist_append(m_list, line.c_str());
        if (next == nullptr) throw std::bad_alloc();
        m_list = next;
    }
    curl_slist* get() const { return m_list; }

  private:
    curl_slist* m_list = nullptr;
};

std::string short_url(const std::string& url) {
    return displayable_url(url);
}

// The body sent: the request's, plus the client credentials for Auth::client_form.
Secret request_body(const HttpRequest& request) {
    if (request.auth != Auth::client_form) return Secret(request.body);
    std::string body = request.body;
    body += body.empty() ? "" : "&";
    body += "client_id=" + percent_encode(request.basic_user) +
            "&client_secret=" + percent_encode(request.basic_password.reveal());
    return Secret(std::move(body));
}

}  // namespace

CurlTransport::CurlTransport(TransportOptions options) : m_options(std::move(options)) {
    global_init();
    m_handle = curl_easy_init();
    if (m_handle == nullptr) throw std::runtime_error("libcurl: curl_easy_init failed");
}

CurlTransport::~CurlTransport() {
    curl_easy_cleanup(static_cast<CURL*>(m_handle));
}

HttpResponse CurlTransport::send(const HttpRequest& request) {
    HttpResponse response;
    const std::string what = std::string(to_string(request.method)) + " " + short_url(request.url);
    const auto base = check_request_url(request.url, "request");
    if (!base) {
        response.error = TransportError::url_refused;
        response.error_message = what + ": " + base.error().message;
        return response;
    }
    CURL* curl = static_cast<CURL*>(m_handle);
    curl_easy_reset(curl);
    Sink sink;
    sink.limit = m_options.max_response_bytes;
    std::array<char, CURL_ERROR_SIZE> error_buffer{};
    HeaderList headers;
    headers.add("Accept: application/json");
    headers.add("Expect:");  // no 100-continue round trip
    if (!request.content_type.empty()) headers.add("Content-Type: " + request.content_type);
    if (request.auth == Auth::bearer)
        headers.add("Authorization: Bearer " + request.bearer.reveal());

    const char* protocols = base->scheme == Scheme::https ? "https" : "http";
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 0L);
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.ca_bundle.empty()) {
        curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.ca_bundle.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(m_options.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(m_options.request_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, m_options.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer.data());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    if (request.auth == Auth::basic) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        curl_easy_setopt(curl, CURLOPT_USERNAME, request.basic_user.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, request.basic_password.reveal().c_str());
    }
    // The form body with the client credentials (Auth::client_form), wiped when sent.
    const Secret body = request_body(request);
    if (request.method == Method::post) {
        // libcurl (7.88 measured) silently sends a request again when a reused connection
        // closes before any answer byte; for a create that would be a second POST. A fresh
        // connection is never retried that way: the client decides, after a look-up.
        curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.reveal().c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(body.reveal().size()));
    } else if (request.method == Method::put) {
        // The body as a POST's, sent with the PUT verb (idempotent: libcurl may resend it).
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.reveal().c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(body.reveal().size()));
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
    } else {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    }

    const CURLcode code = curl_easy_perform(curl);
    // Forget the password and header pointers before the handle is reused.
    curl_easy_setopt(curl, CURLOPT_PASSWORD, nullptr);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, nullptr);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, nullptr);
    if (code != CURLE_OK) {
        response.error = sink.overflow ? TransportError::response_too_large : classify(code);
        std::string detail =
            error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(code);
        if (sink.overflow) {
            detail =
                "answer larger than " + std::to_string(m_options.max_response_bytes) + " bytes";
        }
        response.error_message = what + ": " + core::sanitize_for_display(detail, 300);
        return response;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    response.body = std::move(sink.body);
    response.retry_after = std::move(sink.retry_after);
    return response;
}

}  // namespace station::alms
