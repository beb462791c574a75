#include <station/app/alms_session.hpp>

#include <station/alms/transport_module.hpp>

namespace station::app {
namespace {

alms::TransportOptions transport_options(const alms::DataCenterConfig& config) {
    alms::TransportOptions options;
    options.ca_bundle = config.ca_bundle;
    options.connect_timeout = config.connect_timeout;
    options.request_timeout = config.request_timeout;
    return options;
}

std::chrono::milliseconds lease_for(const alms::DataCenterConfig& config,
                                    const alms::RetryPolicy& policy) {
    const auto per_pass = 3 * (config.connect_timeout + config.request_timeout);
    return policy.max_attempts * per_pass + (policy.max_attempts - 1) * policy.max_inline_wait +
           std::chrono::minutes(1);
}

}  // namespace

core::Result<std::unique_ptr<AlmsSession>> AlmsSession::open(core::DataCenter data_center,
                                                             const std::string& credentials_file,
                                                             int attempts) {
    // The module first: it also parses the settings' URLs, and its absence is the clearer error.
    if (auto loaded = alms::load_transport_module(); !loaded) {
        return tl::unexpected(loaded.error());
    }
    alms::CredentialSources sources;
    if (!credentials_file.empty()) sources.file = credentials_file;
    sources.env = alms::process_environment();
    auto config = alms::load_config(data_center, sources);
    if (!config) return tl::unexpected(config.error());
    alms::RetryPolicy policy;
    policy.max_attempts = attempts;
    auto transport = alms::make_curl_transport(transport_options(*config));
    if (!transport) return tl::unexpected(transport.error());
    return std::unique_ptr<AlmsSession>(
        new AlmsSession(std::move(*config), std::move(*transport), policy));
}

AlmsSession::AlmsSession(alms::DataCenterConfig config, std::unique_ptr<alms::Transport> transport,
                         const alms::RetryPolicy& policy)
    : m_transport(std::move(transport)),
      m_lease(lease_for(config, policy)),
      m_request_timeout(config.request_timeout),
      m_client(std::move(config), *m_transport, m_clock, policy) {}

}  // namespace station::app
