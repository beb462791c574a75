#include <station/alms/client.hpp>

#include <algorithm>
#include <random>

#include <station/alms/client_problem.hpp>
#include <station/alms/mapping.hpp>
#include <station/core/identifiers.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>

namespace station::alms {

using core::fail;
using core::Reason;

namespace {

UnitRandom default_random() {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

// The reason a transport failure that retrying cannot mend is recorded under.
Reason transport_fault(TransportError error) {
    return error == TransportError::tls_verification ? Reason::alms_tls_failed
                                                     : Reason::bad_usage;  // url_refused
}


// Whether a create that came back as `response` may have taken effect: sent (not refused at
// connect) and not answered with a clear refusal. 429 says it was not handled.
bool create_may_have_happened(const HttpResponse& response) {
    if (response.error != TransportError::none) {
        return response.error != TransportError::connect_failed &&
               response.error != TransportError::url_refused &&
               response.error != TransportError::tls_verification;
    }
    return response.status == 408 || response.status >= 500 ||
           (response.status >= 200 && response.status <= 299);
}

}  // namespace

Millis token_lifetime(std::chrono::seconds expires_in) {
    using std::chrono::seconds;
    if (expires_in.count() <= 0) expires_in = seconds(300);
    const seconds margin = std::clamp(expires_in / 10, seconds(1), seconds(300));
    return std::chrono::duration_cast<Millis>(std::max(expires_in - margin, seconds(0)));
}

AlmsClient::AlmsClient(DataCenterConfig config, Transport& transport, Clock& clock,
                       RetryPolicy policy, UnitRandom random)
    : m_config(std::move(config)),
      m_transport(transport),
      m_clock(clock),
      m_policy(policy),
      m_random(random ? std::move(random) : default_random()) {
    m_policy.max_attempts = std::max(1, m_policy.max_attempts);
}

std::string AlmsClient::name() const {
    return "ALMS " + std::string(core::to_string(m_config.data_center));
}

std::string AlmsClient::url(const std::string& target) const {
    return m_config.base_url.text + target;
}

core::Result<void> AlmsClient::check_unit(const UnitRecord& unit) const {
    const core::DataCenter routed = core::data_center_for(unit.region);
    const std::string who = mapping::describe(unit);
    if (routed != m_config.data_center) {
        return fail(Reason::wrong_data_center,
                    name() + ": refusing " + who + ": a " +
                        std::string(core::display_name(unit.region)) + " unit routes to the " +
                        core::ascii_upper(core::to_string(routed)) + " data center, not " +
                        core::ascii_upper(core::to_string(m_config.data_center)));
    }
    if (const auto check = core::check_imei(unit.imei); check != core::IdCheck::ok) {
        return fail(Reason::bad_usage, name() + ": " + who + ": IMEI is not valid (" +
                                           std::string(core::to_string(check)) + ")");
    }
    if (const auto check = core::check_iccid(unit.iccid); check != core::IdCheck::ok) {
        return fail(Reason::bad_usage, name() + ": " + who + ": ICCID is not valid (" +
                                           std::string(core::to_string(check)) + ")");
    }
    const bool fsn_ok =
        !unit.fsn.empty() && unit.fsn.size() <= 64 &&
        std::all_of(unit.fsn.begin(), unit.fsn.end(), [](char c) { return c > ' ' && c < 0x7f; });
    if (!fsn_ok) {
        return fail(Reason::bad_usage,
                    name() + ": " + who + ": serial number is empty or not printable");
    }
    return {};
}

HttpRequest AlmsClient::token_request(Auth how) const {
    HttpRequest request;
    request.method = Method::post;
    request.url = url(std::string(mapping::k_token_path));
    request.content_type = std::string(mapping::k_token_content_type);
    request.body = std::string(mapping::k_token_form);
    request.auth = how;
    request.basic_user = m_config.client_id;
    request.basic_password = m_config.client_secret;
    return request;
}

AlmsClient::Step<HttpResponse> AlmsClient::fetch_token() {
    HttpResponse response = m_transport.send(token_request(m_token_auth));
    std::string tried;
    if (m_token_auth == Auth::basic && mapping::refused_client(response.status, response.body)) {
        // Whether ALMS takes HTTP Basic or the form body is not public: one more try, then
        // keep to what worked.
        response = m_transport.send(token_request(Auth::client_form));
        if (response.error == TransportError::none && classify_status(response.status) ==
                                                          Disposition::success) {
            m_token_auth = Auth::client_form;
        }
        tried = " (refused with HTTP Basic and with client_id/client_secret in the form body)";
    }
    const std::string what = name() + ": token request";
    if (response.error != TransportError::none) {
        const Disposition d = classify_transport(response.error);
        Problem p{d, what + ": " + response.error_message, 0, std::nullopt, std::nullopt, {}};
        if (d == Disposition::final) p.station_fault = transport_fault(response.error);
        return tl::unexpected(std::move(p));
    }
    const Disposition d = classify_status(response.status);
    if (d == Disposition::success) return response;
    auto server = mapping::parse_error(response.body);
    Problem p{d == Disposition::reauthenticate ? Disposition::final : d,
              what + ": HTTP " + std::to_string(response.status),
              response.status,
              response.retry_after,
              server,
              {}};
    if (server) p.message += " " + mapping::describe(server);
    if (response.status >= 400 && response.status <= 499 && d != Disposition::honour_retry_after) {
        p.message += tried + " (check client_id/client_secret for " +
                     std::string(core::to_string(m_config.data_center)) + ")";
        p.station_fault = Reason::alms_auth_refused;
    }
    return tl::unexpected(std::move(p));
}

AlmsClient::Step<const Secret*> AlmsClient::ensure_token() {
    if (m_token && m_clock.steady_now() < m_token->refresh_at) return &m_token->value;
    m_token.reset();
    auto response = fetch_token();
    if (!response) return tl::unexpected(std::move(response.error()));
    auto token = mapping::parse_token(response->body);
    if (!token) {
        return tl::unexpected(Problem{Disposition::backoff,
                                      name() + ": token request: " + token.error().message,
                                      response->status,
                                      std::nullopt,
                                      std::nullopt,
                                      {}});
    }
    ++m_tokens_fetched;
    m_token = CachedToken{std::move(token->access_token),
                          m_clock.steady_now() + token_lifetime(token->expires_in)};
    return &m_token->value;
}

std::string AlmsClient::company_for(const RegistrationRequest& request) const {
    if (!request.company.empty()) return request.company;
    return mapping::acting_company(m_config.company_uid, m_config.reseller_target_company);
}

AlmsClient::Step<HttpResponse> AlmsClient::call(Method method, const std::string& target,
                                                const std::string& body,
                                                const std::string& company) {
    const std::string what = name() + ": " + std::string(to_string(method)) + " " +
                             core::sanitize_for_display(target, 200);
    for (int round = 0; round < 2; ++round) {
        auto token = ensure_token();
        if (!token) return tl::unexpected(std::move(token.error()));
        HttpRequest request;
        request.method = method;
        request.url = url(target);
        request.auth = Auth::bearer;
        request.bearer = **token;
        if (method != Method::get) {
            request.content_type = std::string(mapping::k_json_content_type);
            request.body = body;
        }
        HttpResponse response = m_transport.send(request);
        if (response.error != TransportError::none) {
            const Disposition d = classify_transport(response.error);
            Problem p{d, name() + ": " + response.error_message, 0, std::nullopt, std::nullopt, {}};
            if (d == Disposition::final) p.station_fault = transport_fault(response.error);
            p.create_in_doubt = method == Method::post && create_may_have_happened(response);
            return tl::unexpected(std::move(p));
        }
        const Disposition d = classify_status(response.status);
        if (d == Disposition::success) return response;
        if (d == Disposition::reauthenticate && round == 0) {
            m_token.reset();  // expired or revoked: one fresh token, one more try
            continue;
        }
        auto server = mapping::parse_error(response.body);
        Problem p{d,
                  what + ": HTTP " + std::to_string(response.status),
                  response.status,
                  response.retry_after,
                  server,
                  {}};
        if (server) p.message += " " + mapping::describe(server);
        p.create_in_doubt = method == Method::post && create_may_have_happened(response);
        if (d == Disposition::reauthenticate) {
            p.disposition = Disposition::final;
            p.message += " with a fresh token (are these credentials allowed to act on company '" +
                         core::sanitize_for_display(company, 80) + "'?)";
            p.station_fault = Reason::alms_auth_refused;
        }
        return tl::unexpected(std::move(p));
    }
    return tl::unexpected(Problem{Disposition::final, what + ": unreachable", 0, std::nullopt,
                                  std::nullopt, Reason::protocol_error});
}

AlmsClient::Step<std::vector<RemoteSystem>> AlmsClient::lookup(const UnitRecord& unit,
                                                               const std::string& company) {
    const std::string target = mapping::lookup_target(unit, company);
    auto response = call(Method::get, target, {}, company);
    if (!response) return tl::unexpected(std::move(response.error()));
    auto systems = mapping::parse_system_list(response->body, name() + ": GET /api/v1/systems");
    if (!systems) {
        return tl::unexpected(Problem{Disposition::backoff,
                                      systems.error().message,
                                      response->status,
                                      std::nullopt,
                                      std::nullopt,
                                      {}});
    }
    // Only systems that really carry this IMEI count (a server ignoring the filter must not
    // turn into a conflict).
    std::erase_if(*systems, [&](const RemoteSystem& s) { return s.imei != unit.imei; });
    return std::move(*systems);
}

namespace {

// A settled outcome from what the look-up found, or nullopt when nothing matches.
std::optional<AttemptOutcome> judge(const std::vector<RemoteSystem>& found, const UnitRecord& unit,
                                    const std::string& who) {
    if (found.empty()) return std::nullopt;
    AttemptOutcome out;
    if (found.size() == 1 && mapping::same_unit(found.front(), unit)) {
        out.kind = AttemptKind::registered;
        out.system_uid = found.front().uid;
        out.created = false;
        out.detail = who + ": already registered as " + mapping::describe(found.front());
        return out;
    }
    out.kind = AttemptKind::conflict;
    out.remote = found.front();
    out.detail = who + ": " + mapping::describe(unit) + " conflicts with " +
                 mapping::describe(found.front());
    if (found.size() > 1) {
        out.detail += " and " + std::to_string(found.size() - 1) + " more with the same IMEI";
    }
    return out;
}

}  // namespace

AlmsClient::Step<AttemptOutcome> AlmsClient::pass(const RegistrationRequest& request) {
    const UnitRecord& unit = request.unit;
    const std::string company = company_for(request);
    auto found = lookup(unit, company);
    if (!found) return tl::unexpected(std::move(found.error()));
    if (auto settled = judge(*found, unit, name())) return std::move(*settled);

    auto created =
        call(Method::post, mapping::create_target(company), mapping::create_body(request), company);
    if (created) {
        auto uid = mapping::parse_created_uid(created->body, name() + ": POST /api/v1/systems");
        if (!uid) {
            // It may exist now: looked up again once the create is surely stored.
            return tl::unexpected(Problem{Disposition::backoff, uid.error().message,
                                          created->status, std::nullopt, std::nullopt, {}, true});
        }
        AttemptOutcome out;
        out.kind = AttemptKind::registered;
        out.system_uid = *uid;
        out.created = true;
        out.detail = name() + ": created system " + core::sanitize_for_display(*uid, 120) +
                     " for " + mapping::describe(unit);
        return out;
    }
    Problem& problem = created.error();
    if (problem.disposition == Disposition::final && !problem.station_fault) {
        // Refused: perhaps someone created it meanwhile. Look once more before giving up.
        if (auto again = lookup(unit, company)) {
            if (auto settled = judge(*again, unit, name())) return std::move(*settled);
        }
    }
    return tl::unexpected(std::move(problem));
}

core::Result<void> AlmsClient::authenticate() {
    auto token = ensure_token();
    if (!token) {
        return fail(token.error().station_fault.value_or(Reason::alms_unavailable),
                    token.error().message);
    }
    return {};
}

core::Result<AttemptOutcome> AlmsClient::register_unit(const RegistrationRequest& request) {
    if (auto ok = check_unit(request.unit); !ok) return tl::unexpected(ok.error());
    return settle([&] { return pass(request); });
}

core::Result<AttemptOutcome> AlmsClient::settle(const std::function<Step<AttemptOutcome>()>& pass) {
    int failures = 0;
    for (int attempt = 1;; ++attempt) {
        auto result = pass();
        if (result) {
            result->passes = attempt;
            return std::move(*result);
        }
        Problem& p = result.error();
        if (p.station_fault) return fail(*p.station_fault, p.message);
        AttemptOutcome out;
        out.passes = attempt;
        out.http_status = p.status;
        out.server_error = p.server_error;
        out.detail = p.message;
        if (p.disposition == Disposition::final) {
            out.kind = AttemptKind::failed_final;
            return out;
        }
        ++failures;
        const Millis delay = retry_delay(m_policy, p.disposition, p.retry_after, failures,
                                         m_clock.wall_now(), m_random());
        // A create in doubt is not looked up at once: ALMS may not have stored it yet.
        out.create_in_doubt = p.create_in_doubt;
        if (p.create_in_doubt || next_step(m_policy, attempt, delay) == NextStep::give_back) {
            out.kind = AttemptKind::retry_later;
            out.not_before = m_clock.wall_now() + delay;
            return out;
        }
        m_clock.sleep_for(delay);
    }
}

}  // namespace station::alms
