// One data center's ALMS client as the CLI builds it: credentials and settings loaded (never from
// the command line), a curl transport with TLS verification on, the system clock, and the claim
// lease a pusher holds rows for. Shared by `station register push` and `station provision --push`.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <station/alms/client.hpp>
#include <station/alms/clock.hpp>
#include <station/alms/config.hpp>
#include <station/alms/transport.hpp>
#include <station/core/region.hpp>
#include <station/core/result.hpp>

namespace station::app {

class AlmsSession {
  public:
    // Loads the settings of `data_center` from `credentials_file` (empty: the default file and
    // the environment). Fails (bad_usage) naming the file, key or variable at fault.
    static core::Result<std::unique_ptr<AlmsSession>> open(core::DataCenter data_center,
                                                           const std::string& credentials_file,
                                                           int attempts);
    AlmsSession(const AlmsSession&) = delete;
    AlmsSession& operator=(const AlmsSession&) = delete;

    alms::AlmsClient& client() { return m_client; }
    alms::Clock& clock() { return m_clock; }
    // How long a claim holds: longer than the worst case of one unit (every pass timing out,
    // every wait slept), plus a minute.
    std::chrono::milliseconds lease() const { return m_lease; }
    // The transport's whole-request timeout (request_timeout_ms).
    std::chrono::milliseconds request_timeout() const { return m_request_timeout; }

  private:
    AlmsSession(alms::DataCenterConfig config, std::unique_ptr<alms::Transport> transport,
                const alms::RetryPolicy& policy);

    alms::SystemClock m_clock;
    std::unique_ptr<alms::Transport> m_transport;
    std::chrono::milliseconds m_lease;
    std::chrono::milliseconds m_request_timeout;
    alms::AlmsClient m_client;
};

}  // namespace station::app
