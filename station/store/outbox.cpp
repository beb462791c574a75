// The registration outbox (the Outbox role of outbox.hpp). Rows move pending -> claimed ->
// registered | conflict | failed (or back to pending); a row whose unit shares its SIM identity
// is withdrawn (withdraw, also called inside claim_identity), and a held row that was being sent goes to withdrawn instead of back to pending. A claim is one
// UPDATE ... RETURNING inside BEGIN IMMEDIATE, so two pushers in two processes can never claim the
// same row; a claim carries a lease that expires, so a pusher that died does not hold rows forever;
// marks check the lease owner.
#include <algorithm>
#include <charconv>
#include <string>

#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

using core::fail;
using core::Reason;

constexpr std::int64_t k_max_held_shown = 1000;  // held rows outbox_status lists
constexpr std::string_view k_owner_prefix = "push:";

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

#define STATION_OUTBOX_COLUMNS                                                                \
    "id, fsn, serial, imei, iccid, imsi, data_center, term_years, po, slot_result_id, state," \
    " attempts, last_error, remote_id, lease_owner, lease_until_ms, next_attempt_ms,"         \
    " created_ms, updated_ms, hold, company, region, action"

Result<std::vector<OutboxRow>> read_rows(Store::Impl& impl, Statement& stmt,
                                         std::string_view what) {
    std::vector<OutboxRow> rows;
    int rc = SQLITE_ROW;
    while ((rc = stmt.step()) == SQLITE_ROW) rows.push_back(read_outbox_row(stmt));
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    return rows;
}

// One UPDATE of a row claimed by `owner`; fails when the row is not (or no longer) ours.
template <class... Args>
Result<void> mark(Store::Impl& impl, std::string_view sql, OutboxId row, std::string_view owner,
                  std::string_view verb, const Args&... args) {
    const std::string what = std::string(verb) + " outbox row " + std::to_string(row.value);
    return impl.write(
        what,
        [&]() -> Result<void> {
            auto stmt = impl.prepare(sql, what);
            if (!stmt) return tl::unexpected(stmt.error());
            auto done = impl.run(stmt->bind(args..., row.value, owner), what);
            if (!done) return done;
            if (sqlite3_changes(impl.db) == 0) {
                return fail(Reason::store_error, impl.path.string() + ": " + what +
                                                     ": not claimed by " + std::string(owner) +
                                                     " (lease lost or no such row)");
            }
            return {};
        },
        Store::Impl::Scope::statement);
}

}  // namespace

std::string lease_owner_of(const ProcessOwner& process) {
    return std::string(k_owner_prefix) + process.hostname + ":" + process.boot_id + ":" +
           std::to_string(process.pid) + ":" + std::to_string(process.start_ticks);
}

std::string own_lease_owner() {
    return lease_owner_of(current_process_owner());
}

std::optional<ProcessOwner> parse_lease_owner(std::string_view owner) {
    if (!owner.starts_with(k_owner_prefix)) return std::nullopt;
    owner.remove_prefix(k_owner_prefix.size());
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto colon = owner.find(':', start);
        parts.push_back(owner.substr(start, colon - start));
        if (colon == std::string_view::npos) break;
        start = colon + 1;
    }
    if (parts.size() != 4) return std::nullopt;
    const auto pid = parse_int(parts[2]);
    const auto ticks = parse_int(parts[3]);
    if (!pid || !ticks) return std::nullopt;
    return ProcessOwner{std::string(parts[0]), std::string(parts[1]), *pid, *ticks};
}

bool claim_is_dead(const OutboxRow& row, TimePoint now) {
    const auto owner = parse_lease_owner(row.lease_owner);
    const bool expired = row.lease_until && *row.lease_until <= now;
    const bool dead = owner && owner->hostname == current_process_owner().hostname &&
                      !is_alive(*owner);
    return expired || dead;
}

Result<HeldRegistration> hold_outbox_rows(Store::Impl& impl, std::string_view fsn,
                                          std::string_view iccid, std::string_view imei,
                                          std::string_view why, TimePoint now,
                                          std::string_view what) {
    auto sent = impl.prepare(
        "UPDATE outbox SET hold = ?1, updated_ms = ?2 WHERE fsn = ?3 AND"
        " state IN ('claimed', 'in_doubt', 'registered', 'conflict') AND"
        " (iccid = ?4 OR imei = ?5)",
        what);
    if (!sent) return tl::unexpected(sent.error());
    auto done = impl.run(sent->bind(why, now, fsn, iccid, imei), what);
    if (!done) return tl::unexpected(done.error());
    const bool any_sent = sqlite3_changes(impl.db) > 0;
    auto withdraw = impl.prepare(
        "UPDATE outbox SET state = 'withdrawn', hold = ?1, updated_ms = ?2 WHERE fsn = ?3 AND"
        " state IN ('pending', 'failed') AND (iccid = ?4 OR imei = ?5)",
        what);
    if (!withdraw) return tl::unexpected(withdraw.error());
    done = impl.run(withdraw->bind(why, now, fsn, iccid, imei), what);
    if (!done) return tl::unexpected(done.error());
    if (any_sent) return HeldRegistration::sent;
    return sqlite3_changes(impl.db) > 0 ? HeldRegistration::withdrawn : HeldRegistration::none;
}

OutboxRow read_outbox_row(const Statement& stmt) {
    OutboxRow row;
    row.id = OutboxId{stmt.integer(0)};
    auto& reg = row.registration;
    reg.fsn = stmt.text(1);
    reg.serial = stmt.text(2);
    reg.imei = stmt.text(3);
    reg.iccid = stmt.text(4);
    reg.imsi = stmt.text(5);
    reg.data_center = core::data_center_from_string(stmt.text(6)).value_or(core::DataCenter::na);
    reg.term_years = static_cast<int>(stmt.integer(7));
    reg.po = stmt.text(8);
    if (auto slot = stmt.opt_integer(9)) reg.slot_result = SlotResultId{*slot};
    row.state = outbox_state_from_string(stmt.text(10)).value_or(OutboxState::failed);
    row.attempts = static_cast<int>(stmt.integer(11));
    row.last_error = stmt.text(12);
    row.remote_id = stmt.text(13);
    row.lease_owner = stmt.text(14);
    if (auto until = stmt.opt_integer(15)) row.lease_until = from_ms(*until);
    row.next_attempt = from_ms(stmt.integer(16));
    reg.queued = from_ms(stmt.integer(17));
    row.updated = from_ms(stmt.integer(18));
    row.hold = stmt.text(19);
    reg.company = stmt.text(20);
    reg.region = core::region_from_string(stmt.text(21));
    reg.action = outbox_action_from_string(stmt.text(22)).value_or(OutboxAction::create);
    return row;
}

Result<Enqueued> Store::enqueue_registration(const Registration& reg) {
    const std::string what = "queue registration of " + reg.fsn;
    if (reg.fsn.empty() || reg.imei.empty() || reg.iccid.empty()) {
        return fail(Reason::store_error,
                    m_impl->path.string() + ": " + what + ": FSN, IMEI and ICCID are all required");
    }
    std::optional<std::int64_t> slot;
    if (reg.slot_result) slot = reg.slot_result->value;
    const std::string_view wanted = core::to_string(reg.data_center);
    const std::string_view action = to_string(reg.action);
    std::optional<std::string_view> region;
    if (reg.region) region = core::to_string(*reg.region);
    Impl& impl = *m_impl;
    return impl.write(what, [&]() -> Result<Enqueued> {
        // One live create per unit; one live update per unit and ICCID (a SIM swapped twice
        // queues two updates, the same swap queued again is already_queued). The action is a
        // literal in each statement, not a parameter: `action = ?` against the partial index
        // outbox_live_unit makes SQLite prepare the statement again at every bind.
        auto find = reg.action == OutboxAction::create
                        ? impl.prepare(
                              "SELECT data_center FROM outbox WHERE fsn = ?1 AND"
                              " state <> 'withdrawn' AND action = 'create'",
                              what)
                        : impl.prepare(
                              "SELECT data_center FROM outbox WHERE fsn = ?1 AND"
                              " state <> 'withdrawn' AND action = 'update' AND iccid = ?2",
                              what);
        if (!find) return tl::unexpected(find.error());
        if (reg.action == OutboxAction::create) {
            find->bind(reg.fsn);
        } else {
            find->bind(reg.fsn, reg.iccid);
        }
        int rc = SQLITE_ROW;
        std::optional<Enqueued> found;
        while ((rc = find->step()) == SQLITE_ROW) {
            if (find->text(0) == wanted) return Enqueued::already_queued;
            found = Enqueued::queued_for_other_data_center;
        }
        if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
        if (found) return *found;
        auto insert = impl.prepare(
            "INSERT INTO outbox(fsn, serial, imei, iccid, imsi, data_center, term_years, po,"
            " slot_result_id, state, next_attempt_ms, created_ms, updated_ms, company, region,"
            " action) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', ?10, ?10, ?10, ?11,"
            " coalesce(?12, (SELECT region FROM slot_results WHERE id = ?9"
            " AND region IN ('na', 'global')), CASE ?6 WHEN 'eu' THEN 'global' ELSE 'na' END),"
            " ?13)",
            what);
        if (!insert) return tl::unexpected(insert.error());
        auto done = impl.run(insert->bind(reg.fsn, reg.serial, reg.imei, reg.iccid, reg.imsi,
                                          wanted, reg.term_years, reg.po, slot, reg.queued,
                                          reg.company, region, action),
                             what);
        if (!done) return tl::unexpected(done.error());
        return Enqueued::queued;
    });
}

Result<std::vector<OutboxRow>> Store::claim_pending(core::DataCenter data_center, int max,
                                                    const Lease& lease) {
    const std::string what = "claim outbox rows for " + std::string(core::to_string(data_center));
    if (max <= 0 || lease.owner.empty() || lease.until <= lease.now) {
        return fail(Reason::store_error, m_impl->path.string() + ": " + what +
                                             ": need max > 0, an owner and a lease in the future");
    }
    Impl& impl = *m_impl;
    auto rows = impl.write(what, [&]() -> Result<std::vector<OutboxRow>> {
        auto stmt = impl.prepare(
            "UPDATE outbox SET state = 'claimed', lease_owner = ?1, lease_until_ms = ?2,"
            " updated_ms = ?3 WHERE id IN (SELECT id FROM outbox WHERE data_center = ?4 AND"
            " state IN ('pending', 'in_doubt') AND next_attempt_ms <= ?3 AND hold = ''"
            " ORDER BY id LIMIT ?5)"
            " RETURNING " STATION_OUTBOX_COLUMNS,
            what);
        if (!stmt) return tl::unexpected(stmt.error());
        stmt->bind(lease.owner, lease.until, lease.now, core::to_string(data_center), max);
        return read_rows(impl, *stmt, what);
    });
    if (!rows) return rows;
    std::sort(rows->begin(), rows->end(),
              [](const OutboxRow& a, const OutboxRow& b) { return a.id < b.id; });
    return rows;
}

Result<void> Store::mark_registered(OutboxId row, std::string_view owner,
                                    std::string_view remote_id, TimePoint now) {
    return mark(*m_impl,
                "UPDATE outbox SET state = 'registered', remote_id = ?, last_error = '',"
                " attempts = attempts + 1, lease_owner = '', lease_until_ms = NULL,"
                " updated_ms = ? WHERE id = ? AND state = 'claimed' AND lease_owner = ?",
                row, owner, "mark registered", remote_id, now);
}

Result<void> Store::mark_conflict(OutboxId row, std::string_view owner, std::string_view detail,
                                  TimePoint now) {
    return mark(*m_impl,
                "UPDATE outbox SET state = 'conflict', last_error = ?, attempts = attempts + 1,"
                " lease_owner = '', lease_until_ms = NULL, updated_ms = ?"
                " WHERE id = ? AND state = 'claimed' AND lease_owner = ?",
                row, owner, "mark conflict", detail, now);
}

Result<void> Store::mark_failed(OutboxId row, std::string_view owner, std::string_view error,
                                Retry retry, TimePoint now, TimePoint next_attempt) {
    return mark(*m_impl,
                "UPDATE outbox SET state = CASE WHEN ?1 = 'pending' AND hold <> '' THEN"
                " 'withdrawn' ELSE ?1 END, last_error = ?, attempts = attempts + 1,"
                " next_attempt_ms = ?, lease_owner = '', lease_until_ms = NULL, updated_ms = ?"
                " WHERE id = ? AND state = 'claimed' AND lease_owner = ?",
                row, owner, "mark failed", retry == Retry::later ? "pending" : "failed", error,
                next_attempt, now);
}

Result<void> Store::mark_in_doubt(OutboxId row, std::string_view owner, std::string_view error,
                                  TimePoint now, TimePoint next_attempt) {
    return mark(*m_impl,
                "UPDATE outbox SET state = 'in_doubt', last_error = ?, attempts = attempts + 1,"
                " next_attempt_ms = ?, lease_owner = '', lease_until_ms = NULL, updated_ms = ?"
                " WHERE id = ? AND state = 'claimed' AND lease_owner = ?",
                row, owner, "mark in doubt", error, next_attempt, now);
}

Result<void> Store::release(OutboxId row, std::string_view owner, TimePoint now) {
    return mark(*m_impl,
                "UPDATE outbox SET state = CASE WHEN hold <> '' THEN 'withdrawn' ELSE 'pending'"
                " END, next_attempt_ms = ?, lease_owner = '', lease_until_ms = NULL, updated_ms = ?"
                " WHERE id = ? AND state = 'claimed' AND lease_owner = ?",
                row, owner, "release", now, now);
}

Result<int> Store::recover_dead_claims(core::DataCenter data_center, TimePoint now,
                                       std::chrono::milliseconds in_doubt_wait) {
    auto claimed = list_outbox(OutboxState::claimed, data_center);
    if (!claimed) return tl::unexpected(claimed.error());
    int recovered = 0;
    for (const auto& row : *claimed) {
        if (!claim_is_dead(row, now)) continue;
        // Its pusher is gone: take the row back in that pusher's name (a row that another
        // pusher took over meanwhile fails this, harmlessly).
        auto taken = mark(*m_impl,
                          "UPDATE outbox SET state = CASE WHEN hold <> '' THEN 'withdrawn' ELSE"
                          " 'in_doubt' END, next_attempt_ms = ?, lease_owner = '',"
                          " lease_until_ms = NULL, updated_ms = ?"
                          " WHERE id = ? AND state = 'claimed' AND lease_owner = ?",
                          row.id, row.lease_owner, "take back", now + in_doubt_wait, now);
        if (taken) ++recovered;
    }
    return recovered;
}

Result<HeldRegistration> Store::withdraw(std::string_view fsn, std::string_view iccid,
                                         std::string_view imei, std::string_view why,
                                         TimePoint now) {
    const std::string what = "withdraw outbox rows of " + std::string(fsn);
    Impl& impl = *m_impl;
    return impl.write(what, [&]() -> Result<HeldRegistration> {
        return hold_outbox_rows(impl, fsn, iccid, imei, why, now, what);
    });
}

Result<OutboxStatus> Store::outbox_status(std::size_t last_errors) {
    const std::string what = "outbox status";
    const auto lock = m_impl->lock();
    OutboxStatus status;
    auto counts = m_impl->prepare(
        "SELECT data_center, state, count(*) FROM outbox GROUP BY data_center, state"
        " ORDER BY data_center, state",
        what);
    if (!counts) return tl::unexpected(counts.error());
    int rc = SQLITE_ROW;
    while ((rc = counts->step()) == SQLITE_ROW) {
        status.counts.push_back(OutboxCount{
            core::data_center_from_string(counts->text(0)).value_or(core::DataCenter::na),
            outbox_state_from_string(counts->text(1)).value_or(OutboxState::failed),
            counts->integer(2)});
    }
    if (rc != SQLITE_DONE) return tl::unexpected(m_impl->error(what, rc));
    auto oldest = m_impl->prepare(
        "SELECT min(created_ms) FROM outbox WHERE state IN ('pending', 'claimed', 'in_doubt')",
        what);
    if (!oldest) return tl::unexpected(oldest.error());
    rc = oldest->step();
    if (rc != SQLITE_ROW) return tl::unexpected(m_impl->error(what, rc));
    if (auto ms = oldest->opt_integer(0)) status.oldest_pending = from_ms(*ms);
    auto errors = m_impl->prepare("SELECT " STATION_OUTBOX_COLUMNS
                                  " FROM outbox WHERE last_error <> ''"
                                  " ORDER BY updated_ms DESC, id DESC LIMIT ?",
                                  what);
    if (!errors) return tl::unexpected(errors.error());
    errors->bind(static_cast<std::int64_t>(last_errors));
    auto rows = read_rows(*m_impl, *errors, what);
    if (!rows) return tl::unexpected(rows.error());
    status.last_errors = std::move(*rows);
    auto held = m_impl->prepare("SELECT " STATION_OUTBOX_COLUMNS
                                " FROM outbox WHERE hold <> ''"
                                " ORDER BY updated_ms DESC, id DESC LIMIT ?",
                                what);
    if (!held) return tl::unexpected(held.error());
    held->bind(static_cast<std::int64_t>(k_max_held_shown));
    rows = read_rows(*m_impl, *held, what);
    if (!rows) return tl::unexpected(rows.error());
    status.held = std::move(*rows);
    auto waiting = m_impl->prepare("SELECT " STATION_OUTBOX_COLUMNS
                                   " FROM outbox WHERE state IN ('pending', 'in_doubt', 'claimed')"
                                   " ORDER BY next_attempt_ms, id LIMIT ?",
                                   what);
    if (!waiting) return tl::unexpected(waiting.error());
    waiting->bind(static_cast<std::int64_t>(k_max_held_shown));
    rows = read_rows(*m_impl, *waiting, what);
    if (!rows) return tl::unexpected(rows.error());
    status.waiting_rows = std::move(*rows);
    return status;
}

Result<std::vector<OutboxRow>> Store::list_outbox(std::optional<OutboxState> state,
                                                  std::optional<core::DataCenter> data_center) {
    const auto lock = m_impl->lock();
    std::optional<std::string_view> state_text;
    if (state) state_text = to_string(*state);
    std::optional<std::string_view> dc_text;
    if (data_center) dc_text = core::to_string(*data_center);
    auto stmt = m_impl->prepare("SELECT " STATION_OUTBOX_COLUMNS
                                " FROM outbox WHERE (?1 IS NULL OR state = ?1)"
                                " AND (?2 IS NULL OR data_center = ?2) ORDER BY id",
                                "list outbox");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(state_text, dc_text);
    return read_rows(*m_impl, *stmt, "list outbox");
}

}  // namespace station::store
