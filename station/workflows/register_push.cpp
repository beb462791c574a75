#include <station/workflows/register_push.hpp>

#include <algorithm>

#include <station/core/sanitize.hpp>

namespace station::workflows {
namespace {

using alms::AttemptKind;
using alms::AttemptOutcome;

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
core::Result<PushEvent> record(store::Outbox& store, const store::OutboxRow& row,
                               const std::string& owner, const AttemptOutcome& outcome,
                               store::TimePoint now, std::chrono::milliseconds in_doubt) {
    PushEvent event{row, PushState::retry_later, outcome.detail};
    switch (outcome.kind) {
        case AttemptKind::registered: {
            event.state = outcome.created ? PushState::registered : PushState::already_registered;
            auto done = store.mark_registered(row.id, owner, outcome.system_uid, now);
            if (!done) return tl::unexpected(done.error());
            break;
        }
        case AttemptKind::conflict: {
            event.state = PushState::conflict;
            auto done = store.mark_conflict(row.id, owner, outcome.detail, now);
            if (!done) return tl::unexpected(done.error());
            break;
        }
        case AttemptKind::retry_later: {
            if (outcome.create_in_doubt) {
                event.state = PushState::in_doubt;
                auto done = store.mark_in_doubt(
                    row.id, owner, outcome.detail, now,
                    std::max<store::TimePoint>(outcome.not_before.value_or(now), now + in_doubt));
                if (!done) return tl::unexpected(done.error());
                break;
            }
            event.state = PushState::retry_later;
            auto done = store.mark_failed(row.id, owner, outcome.detail, store::Retry::later, now,
                                          outcome.not_before.value_or(now));
            if (!done) return tl::unexpected(done.error());
            break;
        }
        case AttemptKind::failed_final: {
            event.state = PushState::failed;
            auto done =
                store.mark_failed(row.id, owner, outcome.detail, store::Retry::never, now, now);
            if (!done) return tl::unexpected(done.error());
            break;
        }
    }
    return event;
}

}  // namespace

std::chrono::milliseconds in_doubt_wait(std::chrono::milliseconds request_timeout) {
    using std::chrono::milliseconds;
    return request_timeout + std::clamp<milliseconds>(request_timeout / 2, std::chrono::seconds(1),
                                                      std::chrono::seconds(30));
}

std::string_view to_string(PushState state) {
    switch (state) {
        case PushState::registered:
            return "registered";
        case PushState::already_registered:
            return "already_registered";
        case PushState::conflict:
            return "conflict";
        case PushState::retry_later:
            return "retry_later";
        case PushState::failed:
            return "failed";
        case PushState::refused:
            return "refused";
        case PushState::released:
            return "released";
        case PushState::in_doubt:
            return "in_doubt";
    }
    return "released";
}

alms::RegistrationRequest registration_request(const store::OutboxRow& row) {
    const auto& reg = row.registration;
    alms::RegistrationRequest request;
    request.unit.fsn = reg.serial;  // the unit's own serial (FSN); empty fails check_unit
    request.unit.imei = reg.imei;
    request.unit.iccid = reg.iccid;
    request.unit.imsi = reg.imsi;
    // Rows read back always carry it; one made by hand without it: the data center's region.
    request.unit.region = reg.region.value_or(
        reg.data_center == core::DataCenter::eu ? core::Region::global : core::Region::na);
    request.term = term_of(reg.term_years).value_or(alms::Term::one_year);
    request.purchase_order = reg.po;
    request.company = reg.company;  // the manifest's company; empty: the config's
    request.update = reg.action == store::OutboxAction::update;
    return request;
}

void PushBackoff::after_push(const PushSummary& summary, Steady now) {
    if (summary.stopped_unsettled) m_hold_until = now + m_hold_after_down;
}

core::Result<Waiting> waiting_rows(store::Outbox& outbox, core::DataCenter data_center) {
    auto status = outbox.outbox_status(0);
    if (!status) return tl::unexpected(status.error());
    Waiting waiting;
    for (const auto& count : status->counts) {
        if (count.data_center == data_center && (count.state == store::OutboxState::pending ||
                                                 count.state == store::OutboxState::in_doubt)) {
            waiting.rows += static_cast<int>(count.count);
        }
    }
    for (const auto& row : status->waiting_rows) {  // next attempt first
        if (row.registration.data_center != data_center ||
            row.state == store::OutboxState::claimed) {
            continue;
        }
        waiting.next_attempt = row.next_attempt;
        break;
    }
    return waiting;
}

PushSummary push_outbox(store::Outbox& store, alms::AlmsClient& client, alms::Clock& clock,
                        const PushOptions& options,
                        const std::function<void(const PushEvent&)>& on_event) {
    PushSummary summary;
    const std::string owner =
        options.owner.empty() ? store::own_lease_owner() : options.owner;
    const auto wait = in_doubt_wait(options.request_timeout);
    auto recovered = store.recover_dead_claims(options.data_center, clock.wall_now(), wait);
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

        const auto request = registration_request(row);
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
            if (on_event) on_event(PushEvent{row, PushState::refused, detail});
            continue;
        }
        // An update row (a SIM swapped since registration) moves the existing system to its
        // ICCID and never creates one; a create row registers the unit.
        auto outcome = request.update ? client.update_subscription(request)
                           : client.register_unit(request);
        if (!outcome) {
            (void)store.release(row.id, owner, clock.wall_now());
            if (on_event) on_event(PushEvent{row, PushState::released, outcome.error().message});
            summary.error = core::Error{outcome.error().reason,
                                        unit_name(row) + ": " + outcome.error().message};
            break;
        }
        auto event = record(store, row, owner, *outcome, clock.wall_now(), wait);
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
                if (outcome->create_in_doubt) ++summary.in_doubt;
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
