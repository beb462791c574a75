// The RegressLog role of the in-memory fake (memory_store.hpp): nights, their iteration runs and
// round trips in maps; regress_nights computed from the fake's runs and slot results, in the
// order and with the rules of the SQLite store (station/store/regress_log.hpp).
#include <algorithm>
#include <tuple>

#include <station/core/time_text.hpp>

#include "memory_store.hpp"

namespace tests {
namespace {

using station::core::fail;
using station::core::Reason;

tl::unexpected<station::core::Error> failed(const std::string& what, const std::string& why) {
    return fail(Reason::store_error, "memory store: " + what + ": " + why);
}

}  // namespace

Result<std::int64_t> MemoryStore::open_night(std::string_view rig, std::string_view golden,
                                             st::TimePoint started) {
    auto lock = enter("open_night");
    if (!lock) return tl::unexpected(lock.error());
    if (rig.empty()) return failed("open_night", "empty rig id");
    const auto id = static_cast<std::int64_t>(m_data.nights.size()) + 1;
    m_data.nights[id] = Night{std::string(rig), std::string(golden), started, {}, {}};
    return id;
}

Result<void> MemoryStore::link_iteration(std::int64_t night, st::RunId run, int iteration) {
    auto lock = enter("link_iteration");
    if (!lock) return tl::unexpected(lock.error());
    if (iteration < 1) return failed("link_iteration", "iterations count from 1");
    if (m_data.nights.count(night) == 0) return failed("link_iteration", "no such night");
    const auto found = std::find_if(m_data.runs.begin(), m_data.runs.end(),
                                    [run](const st::RunRecord& r) { return r.id == run; });
    if (found == m_data.runs.end()) return failed("link_iteration", "no such run");
    if (found->info.mode != st::RunMode::regress) {
        return failed("link_iteration", "not a regress run");
    }
    for (const auto& [other, linked] : m_data.iterations) {
        const bool same = linked.night == night && linked.iteration == iteration;
        if (other == run.value && same) return {};
        if (other == run.value || same) return failed("link_iteration", "already linked");
    }
    m_data.iterations[run.value] = Iteration{night, iteration};
    return {};
}

Result<void> MemoryStore::finish_night(std::int64_t night, int exit_code, st::TimePoint ended) {
    auto lock = enter("finish_night");
    if (!lock) return tl::unexpected(lock.error());
    const auto found = m_data.nights.find(night);
    if (found == m_data.nights.end()) return failed("finish_night", "no such night");
    if (found->second.exit_code) return failed("finish_night", "already finished");
    found->second.exit_code = exit_code;
    found->second.ended = ended;
    return {};
}

Result<void> MemoryStore::record_round_trips(st::SlotResultId slot,
                                             const std::vector<station::core::RoundTrip>& trips) {
    auto lock = enter("record_round_trips");
    if (!lock) return tl::unexpected(lock.error());
    if (slot_of(slot) == nullptr) return failed("record_round_trips", "no such slot result");
    m_data.round_trips[slot.value] = trips;
    return {};
}

Result<std::vector<station::core::RoundTrip>> MemoryStore::round_trips(st::SlotResultId slot) {
    const std::lock_guard lock(m_lock);
    const auto found = m_data.round_trips.find(slot.value);
    if (found == m_data.round_trips.end()) return std::vector<station::core::RoundTrip>();
    return found->second;
}

std::vector<station::core::NightSlot> MemoryStore::night_slots(std::int64_t night,
                                                               const Night& n) const {
    // The slot results of the night's runs, in (slot, iteration, attempt, id) order.
    std::vector<std::tuple<std::string, int, int, std::int64_t, const st::SlotRecord*>> rows;
    for (const auto& s : m_data.slots) {
        const auto it = m_data.iterations.find(s.run.value);
        if (it == m_data.iterations.end() || it->second.night != night) continue;
        rows.emplace_back(s.start.slot, it->second.iteration, s.start.attempt, s.id.value, &s);
    }
    std::sort(rows.begin(), rows.end());
    const std::string date = station::core::iso_utc(n.started).substr(0, 10);
    std::vector<station::core::NightSlot> out;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& [label, iteration, attempt, id, s] = rows[i];
        if (out.empty() || out.back().slot != label) {
            out.push_back({date, night, label, "", {}, {}});
        }
        auto& slot = out.back();
        if (!s->identity.fsn.empty()) slot.fsn = s->identity.fsn;
        const bool final_attempt = i + 1 == rows.size() || std::get<0>(rows[i + 1]) != label ||
                                   std::get<1>(rows[i + 1]) != iteration;
        if (!final_attempt) continue;
        slot.outcomes.push_back(s->outcome.value_or(station::core::Outcome::aborted));
        const auto trips = m_data.round_trips.find(id);
        if (trips == m_data.round_trips.end()) continue;
        for (const auto& trip : trips->second) {
            slot.round_trip_ms[trip.command].push_back(static_cast<double>(trip.took.count()) /
                                                       1000.0);
        }
    }
    return out;
}

Result<std::vector<station::core::NightSlot>> MemoryStore::regress_nights(std::string_view rig,
                                                                          st::TimePoint before,
                                                                          int nights) {
    auto lock = enter("regress_nights");
    if (!lock) return tl::unexpected(lock.error());
    std::vector<std::pair<st::TimePoint, std::int64_t>> chosen;
    for (const auto& [id, n] : m_data.nights) {
        if (n.rig == rig && n.exit_code && n.started < before) chosen.emplace_back(n.started, id);
    }
    std::sort(chosen.rbegin(), chosen.rend());
    if (chosen.size() > static_cast<std::size_t>(std::max(nights, 0))) {
        chosen.resize(static_cast<std::size_t>(std::max(nights, 0)));
    }
    std::vector<station::core::NightSlot> out;
    for (const auto& [started, id] : chosen) {
        for (auto& slot : night_slots(id, m_data.nights.at(id))) out.push_back(std::move(slot));
    }
    return out;
}

}  // namespace tests
