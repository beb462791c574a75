// The ALMS client for ONE data center: OAuth2 token (client credentials as HTTP Basic, or in
// the form body when the server refuses Basic as invalid_client; cached until shortly before
// it expires, renewed once on a 401), look-up before create so a unit is registered at most
// once even when an earlier attempt died half-way, and the retry policy of retry_policy.hpp.
//
// The guard comes first: a client for one data center refuses a unit whose region routes to
// the other one (core::data_center_for), before any network call, because a unit registered
// in the wrong data center can never be registered at all.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <station/alms/clock.hpp>
#include <station/alms/config.hpp>
#include <station/alms/registration.hpp>
#include <station/alms/retry_policy.hpp>
#include <station/alms/transport.hpp>
#include <station/core/result.hpp>

namespace station::alms {

// A number in [0, 1) for backoff jitter (injectable so tests are deterministic).
using UnitRandom = std::function<double()>;

class AlmsClient {
  public:
    // `transport` and `clock` must outlive the client. One client per thread.
    AlmsClient(DataCenterConfig config, Transport& transport, Clock& clock, RetryPolicy policy = {},
               UnitRandom random = {});

    core::DataCenter data_center() const { return m_config.data_center; }

    // Registers one unit: look up by IMEI; same serial + ICCID -> registered (no create);
    // different data -> conflict; none -> create. Retries inside the call while waits are
    // short (policy), otherwise returns retry_later with not_before.
    // Errors (the attempt was not made, or the station's setup is at fault): the unit routes
    // to the other data center, the unit record is invalid, ALMS refused the client
    // credentials, or TLS verification failed. The outbox leaves such a row as it was.
    core::Result<AttemptOutcome> register_unit(const RegistrationRequest& request);

    // Read-only look-up (retest --alms-check): the systems this data center holds whose gateway
    // IMEI is `imei` (uid, name, serial, ICCID and IMSI of their subscription), empty when
    // none; acting for `company` (empty: the config's reseller target, else its company). No
    // data-center guard: a check looks in both. Retries as register_unit does while the waits
    // are short. Errors: alms_unavailable (no usable answer within the retries, or a refusal
    // other than the credentials'), alms_auth_refused (client credentials refused, or 403 for
    // the company), alms_tls_failed; bad_usage for an IMEI that is not valid.
    core::Result<std::vector<RemoteSystem>> find_by_imei(const std::string& imei,
                                                         const std::string& company = {});

    // Outbox action `update` (a SIM swapped since the unit was registered): looks the system
    // up by IMEI and moves its subscription to the request's ICCID (mapping::update_target),
    // then reads it back. Never creates a system. Outcomes:
    // - registered, created = false: the system already holds this ICCID (no call made);
    // - registered, created = true: updated now and the read-back shows the new ICCID;
    // - conflict: no system to update, several with this IMEI, or one with another serial;
    // - retry_later: not settled, or the read-back still shows another ICCID (not_before set);
    // - failed_final: ALMS refused the update (4xx).
    // Errors as register_unit (the guard and the unit checks come first).
    core::Result<AttemptOutcome> update_subscription(const RegistrationRequest& request);

    // The checks register_unit makes before any network call: the unit routes to this data
    // center, and its IMEI, ICCID and serial are valid. Fails with a sentence naming the unit.
    core::Result<void> check_unit(const UnitRecord& unit) const;

    // Fetches a token now unless a fresh one is cached (setup checks).
    core::Result<void> authenticate();

    // Tokens fetched from the token endpoint so far.
    int tokens_fetched() const { return m_tokens_fetched; }

  private:
    struct Problem;
    struct CachedToken {
        Secret value;
        SteadyTime refresh_at;
    };
    template <class T>
    using Step = tl::expected<T, Problem>;

    // The token request with the client credentials sent `how` (basic or client_form).
    HttpRequest token_request(Auth how) const;
    // The token endpoint's 2xx answer. HTTP Basic first; refused as invalid_client (400/401),
    // once more with the credentials in the form body, which is then kept to.
    Step<HttpResponse> fetch_token();
    Step<const Secret*> ensure_token();
    // `company`: the company the call acts for (named when the credentials are refused).
    Step<HttpResponse> call(Method method, const std::string& target, const std::string& body,
                            const std::string& company);
    Step<std::vector<RemoteSystem>> lookup(const UnitRecord& unit, const std::string& company);
    // The company a request acts for: its own when set, else the config's.
    std::string company_for(const RegistrationRequest& request) const;
    Step<AttemptOutcome> pass(const RegistrationRequest& request);
    Step<AttemptOutcome> update_pass(const RegistrationRequest& request);
    // Runs passes until one settles, sleeping between them under the retry policy; hands the
    // unit back (retry_later) when the wait is long or the attempts are spent.
    core::Result<AttemptOutcome> settle(const std::function<Step<AttemptOutcome>()>& pass);
    std::string url(const std::string& target) const;
    std::string name() const;  // "ALMS na"

    DataCenterConfig m_config;
    Transport& m_transport;
    Clock& m_clock;
    RetryPolicy m_policy;
    UnitRandom m_random;
    std::optional<CachedToken> m_token;
    Auth m_token_auth = Auth::basic;  // how the token endpoint takes the client credentials
    int m_tokens_fetched = 0;
};

// How long a token is used: expires_in minus a margin (a tenth, between 1 s and 5 min);
// a missing expires_in counts as 5 minutes.
Millis token_lifetime(std::chrono::seconds expires_in);

}  // namespace station::alms
