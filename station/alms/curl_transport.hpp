// The real Transport: libcurl easy interface, one handle (connection reuse) per transport,
// so one transport per thread. TLS peer and host verification are always on; there is no
// switch to turn them off. libcurl's verbose/debug output is never enabled, because it would
// print the Authorization header.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <station/alms/transport.hpp>

namespace station::alms {

struct TransportOptions {
    std::string ca_bundle;  // PEM file of trusted CAs; empty = the system store
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds request_timeout{30000};  // whole exchange
    std::size_t max_response_bytes = 4U * 1024U * 1024U;
    std::string user_agent = "station-alms/0.1";
};

class CurlTransport final : public Transport {
  public:
    explicit CurlTransport(TransportOptions options);
    ~CurlTransport() override;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    HttpResponse send(const HttpRequest& request) override;

  private:
    TransportOptions m_options;
    void* m_handle = nullptr;  // CURL*, kept opaque so curl.h stays out of this header
};

}  // namespace station::alms
