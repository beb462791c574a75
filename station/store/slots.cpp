// Resuming interrupted runs and the slot health the pallet workflow keeps (quarantine).
#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

using core::fail;
using core::Reason;

}  // namespace

Result<RunRecord> Store::resume_run(RunId run) {
    const std::string what = "resume run " + std::to_string(run.value);
    return m_impl->write(what, [&]() -> Result<RunRecord> {
        auto found = read_run_record(*m_impl, run);
        if (!found) return tl::unexpected(found.error());
        if (!*found)
            return fail(Reason::store_error, m_impl->path.string() + ": " + what + ": no such run");
        const RunRecord& record = **found;
        auto owner = m_impl->prepare(
            "SELECT coalesce(owner_pid, 0), coalesce(owner_boot, ''), coalesce(owner_start, 0),"
            " coalesce(st.hostname, '') FROM runs r LEFT JOIN stations st ON st.id = r.station_id"
            " WHERE r.id = ?",
            what);
        if (!owner) return tl::unexpected(owner.error());
        if (owner->bind(run.value).step() != SQLITE_ROW) return tl::unexpected(m_impl->error(what));
        const ProcessOwner previous{owner->text(3), owner->text(1), owner->integer(0),
                                    owner->integer(2)};
        const bool aborted = record.outcome == core::Outcome::aborted;
        if (!record.interrupted && !aborted) {
            if (!record.ended && is_alive(previous)) {
                return fail(Reason::store_error, m_impl->path.string() + ": " + what +
                                                     ": the run is still going (station process " +
                                                     std::to_string(previous.pid) + ")");
            }
            if (record.ended) {
                return fail(Reason::store_error,
                            m_impl->path.string() + ": " + what + ": the run ended " +
                                std::string(core::to_string(
                                    record.outcome.value_or(core::Outcome::error))) +
                                ", not interrupted: start a new run");
            }
        }
        auto update = m_impl->prepare(
            "UPDATE runs SET ended_ms = NULL, outcome = NULL, interrupted = 0, owner_pid = ?,"
            " owner_boot = ?, owner_start = ? WHERE id = ?",
            what);
        if (!update) return tl::unexpected(update.error());
        const auto& me = m_impl->owner;
        auto done = m_impl->run(update->bind(me.pid, me.boot_id, me.start_ticks, run.value), what);
        if (!done) return tl::unexpected(done.error());
        RunRecord resumed = record;
        resumed.ended.reset();
        resumed.outcome.reset();
        resumed.interrupted = false;
        return resumed;
    });
}

Result<int> Store::slot_error_streak(std::string_view slot) {
    const auto lock = m_impl->lock();
    const std::string what = "error streak of slot " + std::string(slot);
    // Final results only: a first attempt that ended in ERROR was retried, so it is not final.
    // ABORTED units (the operator stopped them) and units ALMS did not answer for (a retest's
    // alms_unavailable) say nothing about the slot: skipped.
    auto stmt = m_impl->prepare(
        "SELECT s.outcome FROM slot_results s"
        " WHERE s.slot = ? AND s.outcome IS NOT NULL AND s.outcome <> 'ABORTED'"
        "   AND coalesce(s.reason, '') <> 'alms_unavailable'"
        "   AND (s.outcome <> 'ERROR' OR s.attempt >= 2)"
        "   AND s.started_ms >= coalesce((SELECT released_ms FROM slot_health h"
        "                                 WHERE h.slot = s.slot), 0)"
        " ORDER BY s.id DESC LIMIT 16",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(slot);
    int streak = 0;
    for (int rc = stmt->step(); rc != SQLITE_DONE; rc = stmt->step()) {
        if (rc != SQLITE_ROW) return tl::unexpected(m_impl->error(what, rc));
        if (stmt->text(0) != "ERROR") break;
        ++streak;
    }
    return streak;
}

Result<void> Store::quarantine_slot(std::string_view slot, std::string_view why, TimePoint at) {
    const std::string what = "quarantine slot " + std::string(slot);
    return m_impl->write(what, [&]() -> Result<void> {
        auto stmt = m_impl->prepare(
            "INSERT INTO slot_health(slot, quarantined_ms, why) VALUES (?, ?, ?)"
            " ON CONFLICT(slot) DO UPDATE SET quarantined_ms = excluded.quarantined_ms,"
            " why = excluded.why",
            what);
        if (!stmt) return tl::unexpected(stmt.error());
        return m_impl->run(stmt->bind(slot, at, why), what);
    });
}

Result<void> Store::release_slot(std::string_view slot, TimePoint at) {
    const std::string what = "release slot " + std::string(slot);
    return m_impl->write(what, [&]() -> Result<void> {
        auto stmt = m_impl->prepare(
            "UPDATE slot_health SET quarantined_ms = NULL, why = NULL, released_ms = ?"
            " WHERE slot = ? AND quarantined_ms IS NOT NULL",
            what);
        if (!stmt) return tl::unexpected(stmt.error());
        auto done = m_impl->run(stmt->bind(at, slot), what);
        if (!done) return done;
        if (sqlite3_changes(m_impl->db) == 0) {
            return fail(Reason::store_error,
                        m_impl->path.string() + ": " + what + ": the slot is not quarantined");
        }
        return {};
    });
}

Result<std::optional<std::string>> Store::slot_quarantine(std::string_view slot) {
    const auto lock = m_impl->lock();
    const std::string what = "look up slot " + std::string(slot);
    auto stmt = m_impl->prepare(
        "SELECT coalesce(why, '') FROM slot_health WHERE slot = ? AND quarantined_ms IS NOT NULL",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    const int rc = stmt->bind(slot).step();
    if (rc == SQLITE_DONE) return std::optional<std::string>{};
    if (rc != SQLITE_ROW) return tl::unexpected(m_impl->error(what, rc));
    return std::optional<std::string>{stmt->text(0)};
}

Result<std::vector<QuarantinedSlot>> Store::quarantined_slots() {
    const auto lock = m_impl->lock();
    const std::string what = "list quarantined slots";
    auto stmt = m_impl->prepare(
        "SELECT slot, coalesce(why, ''), quarantined_ms FROM slot_health"
        " WHERE quarantined_ms IS NOT NULL ORDER BY slot",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    std::vector<QuarantinedSlot> slots;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        slots.push_back({stmt->text(0), stmt->text(1), from_ms(stmt->integer(2))});
    }
    if (rc != SQLITE_DONE) return tl::unexpected(m_impl->error(what, rc));
    return slots;
}

}  // namespace station::store
