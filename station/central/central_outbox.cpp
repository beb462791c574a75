#include <station/central/central_outbox.hpp>

#include <algorithm>

namespace station::central {
namespace {

using store::OutboxRow;
using store::TimePoint;

// A row's state as the central push sees it: the central one while the station's copy is
// still to be sent (pending, in doubt) or while a central pusher holds it, else the station's.
#define CENTRAL_STATE                                                          \
    "(CASE WHEN central_state = 'claimed' OR state IN ('pending', 'in_doubt')" \
    " THEN coalesce(central_state, state) ELSE state END)"

// When a row is next due: the central next attempt, and for a row the station holds in doubt
// not before the station's own wait for it is over.
#define CENTRAL_NEXT_ATTEMPT                 \
    "greatest(central_next_attempt_ms, CASE" \
    " WHEN state = 'in_doubt' THEN next_attempt_ms ELSE 0 END)"

#define CENTRAL_COLUMNS                                                                        \
    "central_id, station, fsn, serial, imei, iccid, imsi, data_center, region, action,"        \
    " term_years, po, company, slot_result_id, " CENTRAL_STATE                                 \
    ", central_attempts,"                                                                      \
    " coalesce(central_error, ''), coalesce(central_remote_id, ''), coalesce(central_by, '')," \
    " central_lease_until_ms, " CENTRAL_NEXT_ATTEMPT                                           \
    ", created_ms,"                                                                            \
    " (extract(epoch FROM coalesce(central_at, now())) * 1000)::bigint, coalesce(hold, '')"

// Rows a central pusher may claim: the station's copy still to be sent, not held, not taken by
// another pusher; due at $now (see CENTRAL_NEXT_ATTEMPT).
#define CENTRAL_CLAIMABLE                                           \
    " state IN ('pending', 'in_doubt') AND coalesce(hold, '') = ''" \
    " AND (central_state IS NULL OR central_state IN ('pending', 'in_doubt'))"

std::string text(const Value& v) {
    return v.value_or("");
}

std::int64_t integer(const Value& v) {
    if (!v || v->empty()) return 0;
    return std::stoll(*v);
}

std::string ms(TimePoint time) {
    return std::to_string(store::to_ms(time));
}

OutboxRow read_row(const Row& r) {
    OutboxRow row;
    row.id = store::OutboxId{integer(r.at(0))};
    row.station = text(r.at(1));
    auto& reg = row.registration;
    reg.fsn = text(r.at(2));
    reg.serial = text(r.at(3));
    reg.imei = text(r.at(4));
    reg.iccid = text(r.at(5));
    reg.imsi = text(r.at(6));
    reg.data_center = core::data_center_from_string(text(r.at(7))).value_or(core::DataCenter::na);
    reg.region = core::region_from_string(text(r.at(8)));
    reg.action =
        store::outbox_action_from_string(text(r.at(9))).value_or(store::OutboxAction::create);
    reg.term_years = static_cast<int>(integer(r.at(10)));
    reg.po = text(r.at(11));
    reg.company = text(r.at(12));
    if (r.at(13)) reg.slot_result = store::SlotResultId{integer(r.at(13))};
    row.state =
        store::outbox_state_from_string(text(r.at(14))).value_or(store::OutboxState::failed);
    row.attempts = static_cast<int>(integer(r.at(15)));
    row.last_error = text(r.at(16));
    row.remote_id = text(r.at(17));
    if (row.state == store::OutboxState::claimed) {
        row.lease_owner = text(r.at(18));
        if (r.at(19)) row.lease_until = store::from_ms(integer(r.at(19)));
    }
    row.next_attempt = store::from_ms(integer(r.at(20)));
    reg.queued = store::from_ms(integer(r.at(21)));
    row.updated = store::from_ms(integer(r.at(22)));
    row.hold = text(r.at(23));
    return row;
}

std::string row_name(store::OutboxId row) {
    return "central outbox row " + std::to_string(row.value);
}

}  // namespace

core::Result<std::vector<OutboxRow>> CentralOutbox::rows(std::string_view where_sql,
                                                         const std::vector<Value>& params,
                                                         std::string_view what) {
    auto found =
        m_db.exec("SELECT " CENTRAL_COLUMNS " FROM outbox " + std::string(where_sql), params, what);
    if (!found) return tl::unexpected(found.error());
    std::vector<OutboxRow> out;
    out.reserve(found->size());
    for (const auto& r : *found) out.push_back(read_row(r));
    return out;
}

core::Result<store::Enqueued> CentralOutbox::enqueue_registration(const store::Registration& reg) {
    return core::fail(core::Reason::store_error,
                      "central database: queue " + reg.fsn +
                          ": units are queued by their station and reach the central outbox "
                          "by `station sync`");
}

core::Result<std::vector<OutboxRow>> CentralOutbox::claim_pending(core::DataCenter data_center,
                                                                  int max,
                                                                  const store::Lease& lease) {
    const std::string what =
        "claim central outbox rows for " + std::string(core::to_string(data_center));
    if (max <= 0 || lease.owner.empty() || lease.until <= lease.now) {
        return core::fail(
            core::Reason::store_error,
            "central database: " + what + ": need max > 0, an owner and a lease in the future");
    }
    // One statement, committed at once (autocommit): the rows it locks are skipped by every
    // other pusher's claim until it commits, and from then on they are 'claimed'.
    auto claimed = m_db.exec(
        "UPDATE outbox SET central_state = 'claimed', central_by = $1,"
        " central_lease_until_ms = $2, central_at = now()"
        " WHERE central_id IN (SELECT central_id FROM outbox WHERE data_center = $3 "
        "AND" CENTRAL_CLAIMABLE " AND " CENTRAL_NEXT_ATTEMPT
        " <= $4"
        " ORDER BY created_ms, station, id LIMIT $5 FOR UPDATE SKIP LOCKED)"
        " RETURNING " CENTRAL_COLUMNS,
        {lease.owner, ms(lease.until), std::string(core::to_string(data_center)), ms(lease.now),
         std::to_string(max)},
        what);
    if (!claimed) return tl::unexpected(claimed.error());
    std::vector<OutboxRow> out;
    for (const auto& r : *claimed) out.push_back(read_row(r));
    std::sort(out.begin(), out.end(), [](const OutboxRow& a, const OutboxRow& b) {
        return a.registration.queued != b.registration.queued
                   ? a.registration.queued < b.registration.queued
                   : a.id < b.id;
    });
    return out;
}

core::Result<void> CentralOutbox::mark(std::string_view set_sql, std::vector<Value> params,
                                       store::OutboxId row, std::string_view owner,
                                       std::string_view verb) {
    const std::string what = std::string(verb) + " " + row_name(row);
    const auto id_param = "$" + std::to_string(params.size() + 1);
    const auto owner_param = "$" + std::to_string(params.size() + 2);
    params.emplace_back(std::to_string(row.value));
    params.emplace_back(std::string(owner));
    auto done =
        m_db.exec("UPDATE outbox SET " + std::string(set_sql) +
                      ", central_lease_until_ms = NULL, central_at = now()"
                      " WHERE central_id = " +
                      id_param + " AND central_state = 'claimed' AND central_by = " + owner_param +
                      " RETURNING central_id",
                  params, what);
    if (!done) return tl::unexpected(done.error());
    if (done->empty()) {
        return core::fail(core::Reason::store_error, "central database: " + what +
                                                         ": not claimed by " + std::string(owner) +
                                                         " (lease lost or no such row)");
    }
    return {};
}

core::Result<void> CentralOutbox::mark_registered(store::OutboxId row, std::string_view owner,
                                                  std::string_view remote_id, TimePoint /*now*/) {
    return mark(
        "central_state = 'registered', central_remote_id = $1, central_error = '',"
        " central_attempts = central_attempts + 1",
        {std::string(remote_id)}, row, owner, "mark registered");
}

core::Result<void> CentralOutbox::mark_conflict(store::OutboxId row, std::string_view owner,
                                                std::string_view detail, TimePoint /*now*/) {
    return mark(
        "central_state = 'conflict', central_error = $1,"
        " central_attempts = central_attempts + 1",
        {std::string(detail)}, row, owner, "mark conflict");
}

core::Result<void> CentralOutbox::mark_failed(store::OutboxId row, std::string_view owner,
                                              std::string_view error, store::Retry retry,
                                              TimePoint /*now*/, TimePoint next_attempt) {
    return mark(
        "central_state = $1, central_error = $2, central_next_attempt_ms = $3,"
        " central_attempts = central_attempts + 1",
        {retry == store::Retry::later ? "pending" : "failed", std::string(error), ms(next_attempt)},
        row, owner, "mark failed");
}

core::Result<void> CentralOutbox::mark_in_doubt(store::OutboxId row, std::string_view owner,
                                                std::string_view error, TimePoint /*now*/,
                                                TimePoint next_attempt) {
    return mark(
        "central_state = 'in_doubt', central_error = $1, central_next_attempt_ms = $2,"
        " central_attempts = central_attempts + 1",
        {std::string(error), ms(next_attempt)}, row, owner, "mark in doubt");
}

core::Result<void> CentralOutbox::release(store::OutboxId row, std::string_view owner,
                                          TimePoint now) {
    return mark("central_state = 'pending', central_next_attempt_ms = $1", {ms(now)}, row, owner,
                "release");
}

core::Result<int> CentralOutbox::recover_dead_claims(core::DataCenter data_center, TimePoint now,
                                                     std::chrono::milliseconds in_doubt_wait) {
    auto claimed =
        rows("WHERE central_state = 'claimed' AND data_center = $1 ORDER BY central_id",
             {std::string(core::to_string(data_center))}, "read the claimed central outbox rows");
    if (!claimed) return tl::unexpected(claimed.error());
    int recovered = 0;
    for (const auto& row : *claimed) {
        if (!store::claim_is_dead(row, now)) continue;
        // Taken back in the dead pusher's name: a row another pusher took over meanwhile
        // fails this, harmlessly. Its create may have been sent: in doubt.
        auto taken = mark("central_state = 'in_doubt', central_next_attempt_ms = $1",
                          {ms(now + in_doubt_wait)}, row.id, row.lease_owner, "take back");
        if (taken) ++recovered;
    }
    return recovered;
}

core::Result<store::HeldRegistration> CentralOutbox::withdraw(std::string_view fsn,
                                                              std::string_view /*iccid*/,
                                                              std::string_view /*imei*/,
                                                              std::string_view /*why*/,
                                                              TimePoint /*now*/) {
    return core::fail(core::Reason::store_error,
                      "central database: withdraw " + std::string(fsn) +
                          ": a unit is held by the station that found it (synced as its hold)");
}

core::Result<store::OutboxStatus> CentralOutbox::outbox_status(std::size_t last_errors) {
    const std::string what = "central outbox status";
    store::OutboxStatus status;
    auto counts = m_db.exec("SELECT data_center, " CENTRAL_STATE
                            ", count(*) FROM outbox"
                            " GROUP BY 1, 2 ORDER BY 1, 2",
                            {}, what);
    if (!counts) return tl::unexpected(counts.error());
    for (const auto& r : *counts) {
        status.counts.push_back(store::OutboxCount{
            core::data_center_from_string(text(r.at(0))).value_or(core::DataCenter::na),
            store::outbox_state_from_string(text(r.at(1))).value_or(store::OutboxState::failed),
            integer(r.at(2))});
    }
    auto oldest = m_db.exec("SELECT min(created_ms) FROM outbox WHERE " CENTRAL_STATE
                            " IN ('pending', 'claimed', 'in_doubt')",
                            {}, what);
    if (!oldest) return tl::unexpected(oldest.error());
    if (!oldest->empty() && oldest->front().at(0)) {
        status.oldest_pending = store::from_ms(integer(oldest->front().at(0)));
    }
    auto errors = rows(
        "WHERE coalesce(central_error, '') <> ''"
        " ORDER BY central_at DESC, central_id DESC LIMIT $1",
        {std::to_string(last_errors)}, what);
    if (!errors) return tl::unexpected(errors.error());
    status.last_errors = std::move(*errors);
    auto held = rows(
        "WHERE coalesce(hold, '') <> '' ORDER BY updated_ms DESC, central_id DESC"
        " LIMIT 1000",
        {}, what);
    if (!held) return tl::unexpected(held.error());
    status.held = std::move(*held);
    auto waiting = rows("WHERE " CENTRAL_STATE
                        " IN ('pending', 'in_doubt', 'claimed')"
                        " ORDER BY " CENTRAL_NEXT_ATTEMPT ", central_id LIMIT 1000",
                        {}, what);
    if (!waiting) return tl::unexpected(waiting.error());
    status.waiting_rows = std::move(*waiting);
    return status;
}

core::Result<std::vector<OutboxRow>> CentralOutbox::list_outbox(
    std::optional<store::OutboxState> state, std::optional<core::DataCenter> data_center) {
    Value state_text;
    if (state) state_text = std::string(store::to_string(*state));
    Value dc_text;
    if (data_center) dc_text = std::string(core::to_string(*data_center));
    return rows("WHERE ($1::text IS NULL OR " CENTRAL_STATE
                " = $1)"
                " AND ($2::text IS NULL OR data_center = $2) ORDER BY created_ms, station, id",
                {state_text, dc_text}, "list the central outbox");
}

}  // namespace station::central
