#include <station/workflows/register_push.hpp>

#include <sstream>

#include <station/core/sanitize.hpp>
#include <station/store/process_owner.hpp>

namespace station::workflows {
namespace {

using alms::AttemptKind;
using alms::AttemptOutcome;

constexpr std::string_view k_owner_prefix = "push:";

std::optional<store::ProcessOwner> parse_owner(std::string_view text) {
    if (text.substr(0, k_owner_prefix.size()) != k_owner_prefix) return std::nullopt;
    text.remove_prefix(k_owner_prefix.size());
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in{std::string(text)};
    while (std::getline(in, part, ':')) parts.push_back(part);
    if (parts.size() != 4) return std::nullopt;
    store::ProcessOwner owner;
    owner.hostname = parts[0];
    owner.boot_id = parts[1];
    try {
        owner.pid = std::stoll(parts[2]);
        owner.start_ticks = std::stoll(parts[3]);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return owner;
}

std::optional<alms::Term> term_of(int years) {
    switch (years) {
        case 1:
            return alms::Term::one_year;
        case 3:
            return alms::Term::three_years;
        case 5:
            return alms::Term::five_years;
        default:
            return std::nullopt;
    }
}

std::string unit_name(const store::OutboxRow& row) {
    const auto& reg = row.registration;
    return "outbox row " + std::to_string(row.id.value) + " (" +
           core::sanitize_for_display(reg.serial.empty() ? reg.fsn : reg.serial, 64) + ")";
}

// Stores one attempt's outcome; the event says what happened.
store::Result<PushEvent> record(store::Store& store, const store::OutboxRow& row,
                                const std::string& owner, const AttemptOutcome& outcome,
                                store::TimePoint now) {
    PushEvent event{row, "", outcome.detail};
    switch (outcome.kind) {
        case AttemptKind::registered: {
            event.state = outcome.created ? "registered" : "already_registered";
            auto done = store.mark_registered(row.id, owner, outcome.system_uid, now);
            if (!done) return tl::unexpected(done.error());
            break;
        }
        case AttemptKind::conflict: {
            event.state = "conflict";
            auto done = store.mark_conflict(row.id, owner, outcome.detail, now);
            if (!done) return tl::unexpected(done.error());
            break;
        }
        case AttemptKind::retry_later: {
            event.state = "retry_later";
            auto done = store.mark_failed(row.id, owner, outcome.detail, store::Retry::later, now,
                                          outcome.not_before.value_or(now));
            if (!done) return tl::unexpected(done.error());
            break;
        }
        case AttemptKind::failed_final: {
            event.state = "failed";
            auto done =
                store.mark_failed(row.id, owner, outcome.detail, store::Retry::never, now, now);
            if (!done) return tl::unexpected(done.error());
            break;
        }
    }
    return event;
}

}  // namespace

std::string push_owner_id() {
    const store::ProcessOwner self = store::current_process_owner();
    return std::string(k_owner_prefix) + self.hostname + ":" + self.boot_id + ":" +
           std::to_string(self.pid) + ":" + std::to_string(self.start_ticks);
}

alms::RegistrationRequest registration_request(const store::OutboxRow& row, core::Region region) {
    const auto& reg = row.registration;
    alms::RegistrationRequest request;
    request.unit.fsn = reg.serial;  // the unit's own serial (FSN); empty fails check_unit
    request.unit.imei = reg.imei;
    request.unit.iccid = reg.iccid;
    request.unit.imsi = reg.imsi;
    request.unit.region = region;
    request.term = term_of(reg.term_years).value_or(alms::Term::one_year);
    request.purchase_order = reg.po;
    request.company = reg.company;  // the manifest's company; empty: the config's
    return request;
}

store::Result<core::Region> region_of(store::Store& store, const store::OutboxRow& row) {
    const auto& reg = row.registration;
    if (reg.slot_result) {
        auto history = store.history(store::UnitKey::imei, reg.imei, 1000);
        if (!history) return tl::unexpected(history.error());
        for (const auto& result : *history) {
            if (result.slot.id == *reg.slot_result && result.slot.region)
                return *result.slot.region;
        }
    }
    for (const auto region : {core::Region::na, core::Region::global}) {
        if (core::data_center_for(region) == reg.data_center) return region;
    }
    return core::Region::na;
}

store::Result<int> recover_dead_claims(store::Store& store, core::DataCenter data_center,
                                       store::TimePoint now) {
    auto claimed = store.list_outbox(store::OutboxState::claimed, data_center);
    if (!claimed) return tl::unexpected(claimed.error());
    const std::string host = store::current_process_owner().hostname;
    int recovered = 0;
    for (const auto& row : *claimed) {
        const auto owner = parse_owner(row.lease_owner);
        if (!owner || owner->hostname != host || store::is_alive(*owner)) continue;
        // Its pusher is gone: give the row back in that pusher's name (a row that another
        // pusher took over meanwhile fails this, harmlessly).
        if (store.release(row.id, row.lease_owner, now)) ++recovered;
    }
    return recovered;
}

PushSummary push_outbox(store::Store& store, alms::AlmsClient& client, alms::Clock& clock,
                        const PushOptions& options,
                        const std::function<void(const PushEvent&)>& on_event) {
    PushSummary summary;
    const std::string owner = push_owner_id();
    auto recovered = recover_dead_claims(store, options.data_center, clock.wall_now());
    if (!recovered) {
        summary.error = recovered.error();
        return summary;
    }
    summary.recovered = *recovered;
    int unsettled_in_a_row = 0;
    while (options.max_units <= 0 || summary.claimed < options.max_units) {
        if (options.stop != nullptr && options.stop->load()) {
            summary.aborted = true;
            break;
        }
        const store::TimePoint now = clock.wall_now();
        auto rows = store.claim_pending(options.data_center, 1,
                                        store::Lease{owner, now, now + options.lease});
        if (!rows) {
            summary.error = rows.error();
            break;
        }
        if (rows->empty()) break;
        const store::OutboxRow& row = rows->front();
        ++summary.claimed;

        auto region = region_of(store, row);
        if (!region) {
            (void)store.release(row.id, owner, clock.wall_now());
            summary.error = region.error();
            break;
        }
        const auto request = registration_request(row, *region);
        if (auto refused = client.check_unit(request.unit); !refused) {
            // Guard or invalid record: this unit must not go to this data center as queued.
            const std::string detail = refused.error().message;
            auto done = store.mark_failed(row.id, owner, detail, store::Retry::never,
                                          clock.wall_now(), clock.wall_now());
            if (!done) {
                summary.error = done.error();
                break;
            }
            ++summary.failed;
            if (on_event) on_event(PushEvent{row, "refused", detail});
            continue;
        }
        auto outcome = client.register_unit(request);
        if (!outcome) {
            (void)store.release(row.id, owner, clock.wall_now());
            if (on_event) on_event(PushEvent{row, "released", outcome.error().message});
            summary.error = core::Error{outcome.error().reason,
                                        unit_name(row) + ": " + outcome.error().message};
            break;
        }
        auto event = record(store, row, owner, *outcome, clock.wall_now());
        if (!event) {
            summary.error = event.error();
            break;
        }
        if (on_event) on_event(*event);
        switch (outcome->kind) {
            case AttemptKind::registered:
                ++summary.registered;
                if (!outcome->created) ++summary.already_registered;
                break;
            case AttemptKind::conflict:
                ++summary.conflicts;
                break;
            case AttemptKind::retry_later:
                ++summary.retry_later;
                break;
            case AttemptKind::failed_final:
                ++summary.failed;
                break;
        }
        unsettled_in_a_row = outcome->kind == AttemptKind::retry_later ? unsettled_in_a_row + 1 : 0;
        if (options.stop_after_unsettled > 0 &&
            unsettled_in_a_row >= options.stop_after_unsettled) {
            summary.stopped_unsettled = true;
            break;
        }
    }
    return summary;
}

}  // namespace station::workflows
