// The ALMS client's calls for returned units (issue 16): the read-only look-up by IMEI a retest
// makes in both data centers, and the subscription update an outbox `update` row asks for.
#include <station/alms/client.hpp>

#include <algorithm>

#include <station/alms/client_problem.hpp>
#include <station/alms/mapping.hpp>
#include <station/core/identifiers.hpp>
#include <station/core/sanitize.hpp>

namespace station::alms {

using core::fail;
using core::Reason;

core::Result<std::vector<RemoteSystem>> AlmsClient::find_by_imei(const std::string& imei,
                                                                 const std::string& company) {
    if (const auto check = core::check_imei(imei); check != core::IdCheck::ok) {
        return fail(Reason::bad_usage,
                    name() + ": look-up of IMEI '" + core::sanitize_for_display(imei, 32) +
                        "': not a valid IMEI (" + std::string(core::to_string(check)) + ")");
    }
    UnitRecord unit;
    unit.imei = imei;
    const std::string acting =
        !company.empty()
            ? company
            : mapping::acting_company(m_config.company_uid, m_config.reseller_target_company);
    int failures = 0;
    for (int attempt = 1;; ++attempt) {
        auto found = lookup(unit, acting);
        if (found) return std::move(*found);
        Problem& p = found.error();
        if (p.station_fault) return fail(*p.station_fault, p.message);
        if (p.disposition == Disposition::final) {
            return fail(p.status == 403 ? Reason::alms_auth_refused : Reason::alms_unavailable,
                        p.message);
        }
        ++failures;
        const Millis delay = retry_delay(m_policy, p.disposition, p.retry_after, failures,
                                         m_clock.wall_now(), m_random());
        if (next_step(m_policy, attempt, delay) == NextStep::give_back) {
            return fail(Reason::alms_unavailable, p.message + " (no usable answer after " +
                                                      std::to_string(attempt) +
                                                      (attempt == 1 ? " attempt)" : " attempts)"));
        }
        m_clock.sleep_for(delay);
    }
}

namespace {

AttemptOutcome conflict(const std::string& detail, const std::optional<RemoteSystem>& remote) {
    AttemptOutcome out;
    out.kind = AttemptKind::conflict;
    out.detail = detail;
    out.remote = remote;
    return out;
}

// Settled before any update: nothing or something else to update, or nothing left to do.
std::optional<AttemptOutcome> judge_update(const std::vector<RemoteSystem>& found,
                                           const UnitRecord& unit, const std::string& who) {
    if (found.empty()) {
        return conflict(who + ": no system to update for " + mapping::describe(unit) +
                            " (a unit is never created by an update)",
                        std::nullopt);
    }
    if (found.size() > 1) {
        return conflict(who + ": " + std::to_string(found.size()) + " systems with the IMEI of " +
                            mapping::describe(unit) + ", first " + mapping::describe(found[0]) +
                            ": none updated",
                        found.front());
    }
    const RemoteSystem& system = found.front();
    if (system.serial != unit.fsn) {
        return conflict(who + ": " + mapping::describe(system) + " is not " +
                            mapping::describe(unit) + " (serial differs): not updated",
                        system);
    }
    if (system.iccid == unit.iccid) {
        AttemptOutcome out;
        out.kind = AttemptKind::registered;
        out.system_uid = system.uid;
        out.detail = who + ": already holds the new ICCID: " + mapping::describe(system);
        return out;
    }
    return std::nullopt;
}

}  // namespace

AlmsClient::Step<AttemptOutcome> AlmsClient::update_pass(const RegistrationRequest& request) {
    const UnitRecord& unit = request.unit;
    const std::string company = company_for(request);
    auto found = lookup(unit, company);
    if (!found) return tl::unexpected(std::move(found.error()));
    if (auto settled = judge_update(*found, unit, name())) return std::move(*settled);

    const RemoteSystem before = found->front();
    auto updated = call(Method::put, mapping::update_target(before.uid, company),
                        mapping::update_body(unit), company);
    if (!updated) return tl::unexpected(std::move(updated.error()));
    auto back = lookup(unit, company);
    if (!back) return tl::unexpected(std::move(back.error()));
    const auto same = std::find_if(back->begin(), back->end(),
                                   [&](const RemoteSystem& s) { return s.uid == before.uid; });
    AttemptOutcome out;
    out.system_uid = before.uid;
    if (same != back->end() && same->iccid == unit.iccid) {
        out.kind = AttemptKind::registered;
        out.created = true;
        out.detail = name() + ": updated system " + core::sanitize_for_display(before.uid, 120) +
                     " from ICCID " + core::sanitize_for_display(before.iccid, 32) + " to " +
                     core::sanitize_for_display(unit.iccid, 32) + " (read back)";
        return out;
    }
    // ALMS took the update but does not show it: not registered; looked at again later.
    out.kind = AttemptKind::retry_later;
    out.not_before = m_clock.wall_now() + backoff_delay(m_policy, 1, m_random());
    out.detail = name() + ": updated system " + core::sanitize_for_display(before.uid, 120) +
                 " to ICCID " + core::sanitize_for_display(unit.iccid, 32) +
                 ", but the read-back shows " +
                 (same == back->end() ? std::string("no such system")
                                      : "ICCID " + core::sanitize_for_display(same->iccid, 32)) +
                 ": not marked registered";
    return out;
}

core::Result<AttemptOutcome> AlmsClient::update_subscription(const RegistrationRequest& request) {
    if (auto ok = check_unit(request.unit); !ok) return tl::unexpected(ok.error());
    return settle([&] { return update_pass(request); });
}

}  // namespace station::alms
