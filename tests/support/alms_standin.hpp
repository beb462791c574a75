// Starts tests/support/alms_standin.py (the local ALMS stand-in) on 127.0.0.1 with port 0
// and talks to its control endpoints. One server, tenants "na" and "eu" by path prefix:
// base_url("na") = "http://127.0.0.1:PORT/na". Default tenant credentials: client id
// "<t>-client", secret "<t>-secret", company "<t>-company".
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "process.hpp"

namespace tests {

struct HttpReply {
    long status = 0;  // 0: no answer
    std::string body;
};

// A plain HTTP exchange for test plumbing (loopback only; 5 s bound).
HttpReply http_exchange(const std::string& method, const std::string& url,
                        const std::string& body = {});

class AlmsStandin {
  public:
    enum class Tls { off, on };
    // Starts the stand-in; `token_ttl_s` is the expires_in of its tokens; Tls::on serves https
    // with tls_cert_path() (self-signed). Throws when it does not report its port within 10 s.
    explicit AlmsStandin(int token_ttl_s = 3600, Tls tls = Tls::off);
    ~AlmsStandin();
    AlmsStandin(const AlmsStandin&) = delete;
    AlmsStandin& operator=(const AlmsStandin&) = delete;

    int port() const { return m_port; }
    std::string base_url(std::string_view tenant) const;
    static std::string tls_cert_path();

    nlohmann::json state() const;                     // whole state
    nlohmann::json tenant(std::string_view t) const;  // state of one tenant
    void add_faults(std::string_view t, const nlohmann::json& faults) const;
    void seed_system(std::string_view t, const nlohmann::json& system) const;
    void expire_tokens(std::string_view t) const;
    // How tenant `t`'s token endpoint takes the client id/secret: "basic" (the default),
    // "body" (client_id/client_secret form fields) or "either".
    void accept_client_auth(std::string_view t, std::string_view accept) const;
    void reset() const;
    void stop();  // SIGTERM (the "network" goes away)

  private:
    void control(const std::string& what, const nlohmann::json& body) const;

    std::unique_ptr<TempDir> m_dir;
    std::unique_ptr<BackgroundProcess> m_process;
    int m_port = 0;
    Tls m_tls = Tls::off;
};

// Writes an ALMS credentials file for both tenants (the stand-in's default clients, secrets and
// companies; connect timeout 1 s, request timeout 3 s) with `mode`.
void write_credentials_file(const std::string& path, const std::string& na_url,
                            const std::string& eu_url, unsigned mode = 0600);

// A port on 127.0.0.1 where nothing listens (bound, then closed): "the network is down".
int closed_loopback_port();

}  // namespace tests
