// The nightly regression's records (the RegressLog role, regress_log.hpp; schema 10): the nights
// of a rig, the regress runs that are their iterations, each unit attempt's AT round trips, and
// the earlier nights as NightSlots for the baselines and trends. regress_nights reads a night
// with two statements (its slot results, then its round trips), each walking an index from the
// night to its runs in iteration order: 30 nights of 24 slots x 10 iterations take a few
// milliseconds (tests/bench/regress_nights_bench.cpp).
#include <map>
#include <unordered_map>

#include <station/core/time_text.hpp>
#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

using core::fail;
using core::Reason;

core::Error failure(const Store::Impl& impl, const std::string& what, std::string_view why) {
    return core::Error{Reason::store_error,
                       impl.path.string() + ": " + what + ": " + std::string(why)};
}

// The exit code of night `night` (nullopt: not finished); fails when there is no such night.
Result<std::optional<std::int64_t>> night_exit_code(Store::Impl& impl, std::int64_t night,
                                                    const std::string& what) {
    auto stmt = impl.prepare("SELECT exit_code FROM regress_nights WHERE id = ?", what);
    if (!stmt) return tl::unexpected(stmt.error());
    const int rc = stmt->bind(night).step();
    if (rc == SQLITE_DONE) return tl::unexpected(failure(impl, what, "no such night"));
    if (rc != SQLITE_ROW) return tl::unexpected(impl.error(what, rc));
    return stmt->opt_integer(0);
}

// The night and iteration run `run` is linked to, if any.
Result<std::optional<std::pair<std::int64_t, std::int64_t>>> iteration_of(Store::Impl& impl,
                                                                          RunId run,
                                                                          const std::string& what) {
    auto stmt =
        impl.prepare("SELECT night_id, iteration FROM regress_iterations WHERE run_id = ?", what);
    if (!stmt) return tl::unexpected(stmt.error());
    const int rc = stmt->bind(run.value).step();
    using Found = std::optional<std::pair<std::int64_t, std::int64_t>>;
    if (rc == SQLITE_DONE) return Found();
    if (rc != SQLITE_ROW) return tl::unexpected(impl.error(what, rc));
    return Found(std::make_pair(stmt->integer(0), stmt->integer(1)));
}

// Fails unless `run` exists and is of mode `regress`.
Result<void> check_regress_run(Store::Impl& impl, RunId run, const std::string& what) {
    auto found = read_run_record(impl, run);
    if (!found) return tl::unexpected(found.error());
    if (!*found) return tl::unexpected(failure(impl, what, "no such run"));
    if ((*found)->info.mode != RunMode::regress) {
        return tl::unexpected(failure(impl, what,
                                      "run of mode " + std::string(to_string((*found)->info.mode)) +
                                          " (a night's iterations are regress runs)"));
    }
    return {};
}

Result<std::vector<core::RoundTrip>> read_round_trips(Store::Impl& impl, SlotResultId slot) {
    const std::string what = "round trips of slot result " + std::to_string(slot.value);
    auto stmt = impl.prepare(
        "SELECT command, micros FROM round_trips WHERE slot_result_id = ? ORDER BY ordinal", what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(slot.value);
    std::vector<core::RoundTrip> out;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        out.push_back({stmt->text(0), std::chrono::microseconds(stmt->integer(1))});
    }
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    return out;
}

struct Night {
    std::int64_t id = 0;
    std::int64_t started_ms = 0;
};

Result<std::vector<Night>> finished_nights(Store::Impl& impl, std::string_view rig,
                                           TimePoint before, int nights, const std::string& what) {
    auto stmt = impl.prepare(
        "SELECT id, started_ms FROM regress_nights"
        " WHERE rig = ? AND exit_code IS NOT NULL AND started_ms < ?"
        " ORDER BY started_ms DESC, id DESC LIMIT ?",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(rig, before, nights);
    std::vector<Night> out;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) out.push_back({stmt->integer(0), stmt->integer(1)});
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    return out;
}

// One night's slots by label, and the slot result of each slot's final attempt per iteration.
struct NightSlots {
    std::map<std::string, core::NightSlot> slots;
    std::unordered_map<std::int64_t, core::NightSlot*> final_attempts;
};

// Rows come ordered by slot, iteration, attempt, id: the last row of a (slot, iteration) is its
// final attempt; the last row with an FSN names the slot's unit.
Result<NightSlots> night_slots(Store::Impl& impl, const Night& night, const std::string& what) {
    auto stmt = impl.prepare(
        "SELECT s.slot, i.iteration, s.id, coalesce(s.fsn, ''), s.outcome"
        " FROM regress_iterations i JOIN slot_results s ON s.run_id = i.run_id"
        " WHERE i.night_id = ? ORDER BY s.slot, i.iteration, s.attempt, s.id",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(night.id);
    NightSlots out;
    const std::string date = core::iso_utc(from_ms(night.started_ms)).substr(0, 10);
    core::NightSlot* slot = nullptr;
    std::int64_t iteration = 0;
    std::int64_t final_id = 0;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        std::string label = stmt->text(0);
        const std::int64_t it = stmt->integer(1);
        const bool same_slot = slot != nullptr && slot->slot == label;
        if (same_slot && it == iteration) {
            out.final_attempts.erase(final_id);
            slot->outcomes.pop_back();
        } else if (!same_slot) {
            slot = &out.slots[label];
            slot->night = date;
            slot->run = night.id;
            slot->slot = std::move(label);
        }
        iteration = it;
        final_id = stmt->integer(2);
        out.final_attempts[final_id] = slot;
        // An attempt never finished (its process killed) counts as aborted.
        const auto outcome = outcome_from_text(stmt->is_null(4) ? "" : stmt->text(4));
        slot->outcomes.push_back(outcome.value_or(core::Outcome::aborted));
        if (std::string fsn = stmt->text(3); !fsn.empty()) slot->fsn = std::move(fsn);
    }
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    return out;
}

// Adds the round trips of the final attempts, in iteration order, to their slots.
Result<void> add_night_round_trips(Store::Impl& impl, const Night& night, NightSlots& slots,
                                   const std::string& what) {
    auto stmt = impl.prepare(
        "SELECT rt.slot_result_id, rt.command, rt.micros"
        " FROM regress_iterations i JOIN slot_results s ON s.run_id = i.run_id"
        " JOIN round_trips rt ON rt.slot_result_id = s.id"
        " WHERE i.night_id = ? ORDER BY i.iteration, s.id, rt.ordinal",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(night.id);
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        const auto slot = slots.final_attempts.find(stmt->integer(0));
        if (slot == slots.final_attempts.end()) continue;  // an attempt retried
        slot->second->round_trip_ms[stmt->text(1)].push_back(static_cast<double>(stmt->integer(2)) /
                                                             1000.0);
    }
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    return {};
}

}  // namespace

Result<std::int64_t> Store::open_night(std::string_view rig, std::string_view golden,
                                       TimePoint started) {
    const std::string what = "open night of rig " + std::string(rig);
    if (rig.empty()) return tl::unexpected(failure(*m_impl, what, "empty rig id"));
    return m_impl->write(
        what,
        [&]() -> Result<std::int64_t> {
            auto stmt = m_impl->prepare(
                "INSERT INTO regress_nights(rig, golden, started_ms) VALUES (?, ?, ?)", what);
            if (!stmt) return tl::unexpected(stmt.error());
            auto done = m_impl->run(stmt->bind(rig, golden, started), what);
            if (!done) return tl::unexpected(done.error());
            return std::int64_t{sqlite3_last_insert_rowid(m_impl->db)};
        },
        Impl::Scope::statement);
}

Result<void> Store::link_iteration(std::int64_t night, RunId run, int iteration) {
    const std::string what = "link run " + std::to_string(run.value) + " to night " +
                             std::to_string(night) + " as iteration " + std::to_string(iteration);
    if (iteration < 1) return tl::unexpected(failure(*m_impl, what, "iterations count from 1"));
    return m_impl->write(what, [&]() -> Result<void> {
        if (auto known = night_exit_code(*m_impl, night, what); !known) {
            return tl::unexpected(known.error());
        }
        if (auto checked = check_regress_run(*m_impl, run, what); !checked) return checked;
        auto linked = iteration_of(*m_impl, run, what);
        if (!linked) return tl::unexpected(linked.error());
        if (*linked) {
            if (**linked == std::make_pair(night, std::int64_t{iteration})) return {};
            return tl::unexpected(failure(*m_impl, what,
                                          "the run is already iteration " +
                                              std::to_string((*linked)->second) + " of night " +
                                              std::to_string((*linked)->first)));
        }
        auto stmt = m_impl->prepare(
            "INSERT INTO regress_iterations(run_id, night_id, iteration) VALUES (?, ?, ?)", what);
        if (!stmt) return tl::unexpected(stmt.error());
        return m_impl->run(stmt->bind(run.value, night, iteration), what);
    });
}

Result<void> Store::finish_night(std::int64_t night, int exit_code, TimePoint ended) {
    const std::string what = "finish night " + std::to_string(night);
    return m_impl->write(what, [&]() -> Result<void> {
        auto code = night_exit_code(*m_impl, night, what);
        if (!code) return tl::unexpected(code.error());
        if (*code) return tl::unexpected(failure(*m_impl, what, "already finished"));
        auto stmt = m_impl->prepare(
            "UPDATE regress_nights SET exit_code = ?, ended_ms = ? WHERE id = ?", what);
        if (!stmt) return tl::unexpected(stmt.error());
        return m_impl->run(stmt->bind(exit_code, ended, night), what);
    });
}

Result<void> Store::record_round_trips(SlotResultId slot,
                                       const std::vector<core::RoundTrip>& trips) {
    const std::string what = "record round trips of slot result " + std::to_string(slot.value);
    return m_impl->write(what, [&]() -> Result<void> {
        auto exists = m_impl->prepare("SELECT 1 FROM slot_results WHERE id = ?", what);
        if (!exists) return tl::unexpected(exists.error());
        if (exists->bind(slot.value).step() != SQLITE_ROW) {
            return tl::unexpected(failure(*m_impl, what, "no such slot result"));
        }
        auto clear = m_impl->prepare("DELETE FROM round_trips WHERE slot_result_id = ?", what);
        if (!clear) return tl::unexpected(clear.error());
        if (auto done = m_impl->run(clear->bind(slot.value), what); !done) return done;
        std::int64_t ordinal = 0;
        for (const auto& trip : trips) {
            auto insert = m_impl->prepare(
                "INSERT INTO round_trips(slot_result_id, ordinal, command, micros)"
                " VALUES (?, ?, ?, ?)",
                what);
            if (!insert) return tl::unexpected(insert.error());
            insert->bind(slot.value, ++ordinal, trip.command,
                         static_cast<std::int64_t>(trip.took.count()));
            if (auto done = m_impl->run(*insert, what); !done) return done;
        }
        return {};
    });
}

Result<std::vector<core::RoundTrip>> Store::round_trips(SlotResultId slot) {
    const auto lock = m_impl->lock();
    return read_round_trips(*m_impl, slot);
}

Result<std::vector<core::NightSlot>> Store::regress_nights(std::string_view rig, TimePoint before,
                                                           int nights) {
    const std::string what = "regress nights of rig " + std::string(rig);
    std::vector<core::NightSlot> out;
    if (nights <= 0) return out;
    const auto lock = m_impl->lock();
    auto found = finished_nights(*m_impl, rig, before, nights, what);
    if (!found) return tl::unexpected(found.error());
    for (const auto& night : *found) {
        auto slots = night_slots(*m_impl, night, what);
        if (!slots) return tl::unexpected(slots.error());
        if (auto trips = add_night_round_trips(*m_impl, night, *slots, what); !trips) {
            return tl::unexpected(trips.error());
        }
        for (auto& [label, slot] : slots->slots) out.push_back(std::move(slot));
    }
    return out;
}

}  // namespace station::store
