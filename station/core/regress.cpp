// The nightly rig regression (core/regress.hpp): the names of the kinds, percentiles, the exit
// status, and evaluate_night, which gathers tonight's iterations per slot and the earlier nights
// per slot, lets regress_slot.cpp judge each slot, and draws the 30-night trend. Pure.
#include <station/core/regress.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <station/core/regress_slot.hpp>
#include <station/core/text.hpp>
#include <station/core/time_text.hpp>

namespace station::core {
namespace {

using regress_detail::History;
using regress_detail::Passes;
using regress_detail::SlotTonight;

constexpr std::size_t k_trend_nights = 30;

constexpr std::array<std::pair<RegressKind, std::string_view>, 7> k_kind_names{{
    {RegressKind::identity_drift, "identity_drift"},
    {RegressKind::verdict_changed, "verdict_changed"},
    {RegressKind::new_failure, "new_failure"},
    {RegressKind::fixed, "fixed"},
    {RegressKind::flaky, "flaky"},
    {RegressKind::slower, "slower"},
    {RegressKind::rig_fault, "rig_fault"},
}};

// The golden slots in golden order, then the slots seen tonight but not in the golden file in
// the order first seen; each with its iterations in iteration order.
std::vector<SlotTonight> gather_slots(const Golden& golden,
                                      const std::vector<SlotObservation>& tonight) {
    std::vector<SlotTonight> slots;
    std::map<std::string, std::size_t> index;
    for (const GoldenSlot& slot : golden.slots) {
        if (index.emplace(slot.slot, slots.size()).second) slots.push_back({slot.slot, &slot, {}});
    }
    for (const SlotObservation& run : tonight) {
        const auto [at, added] = index.emplace(run.slot, slots.size());
        if (added) slots.push_back({run.slot, nullptr, {}});
        slots[at->second].runs.push_back(&run);
    }
    for (SlotTonight& slot : slots) {
        std::stable_sort(slot.runs.begin(), slot.runs.end(),
                         [](const auto* a, const auto* b) { return a->iteration < b->iteration; });
    }
    return slots;
}

// Per slot its earlier nights, oldest first: one per night (the highest run), before tonight.
std::map<std::string, History> gather_history(const std::vector<NightSlot>& earlier,
                                              const std::string& tonight) {
    std::map<std::pair<std::string, std::string>, const NightSlot*> newest;
    for (const NightSlot& night : earlier) {
        if (night.night >= tonight) continue;
        const NightSlot*& kept = newest[{night.slot, night.night}];
        if (!kept || night.run > kept->run) kept = &night;
    }
    std::map<std::string, History> histories;
    for (const auto& [key, night] : newest) histories[key.first].push_back(night);
    return histories;
}

Passes passes_of(const std::vector<SlotTonight>& slots) {
    Passes passes;
    for (const SlotTonight& slot : slots) {
        for (const SlotObservation* run : slot.runs) {
            if (run->outcome != Outcome::pass || run->identity.fsn.empty()) continue;
            passes.emplace(ascii_upper(run->identity.fsn), slot.slot);
        }
    }
    return passes;
}

TrendPoint point_of(const std::string& night, const std::string& slot,
                    const std::vector<Outcome>& outcomes,
                    const std::map<std::string, std::vector<double>>& samples) {
    TrendPoint point{night, slot, 0, 0, 0};
    if (!outcomes.empty()) {
        const auto passed = std::count(outcomes.begin(), outcomes.end(), Outcome::pass);
        point.pass_rate = static_cast<double>(passed) / static_cast<double>(outcomes.size());
    }
    std::vector<double> all;
    for (const auto& [command, ms] : samples) all.insert(all.end(), ms.begin(), ms.end());
    point.p50_ms = percentile(all, 50);
    point.p95_ms = percentile(all, 95);
    return point;
}

// The last 30 nights (tonight's included) of the report's slots, oldest first, then in slot
// order; a slot without data on a night has no point for it.
std::vector<TrendPoint> trend_of(const std::vector<SlotTonight>& slots,
                                 const std::map<std::string, History>& histories,
                                 const std::string& tonight) {
    std::set<std::string> all_nights{tonight};
    for (const SlotTonight& slot : slots) {
        const auto found = histories.find(slot.slot);
        if (found == histories.end()) continue;
        for (const NightSlot* night : found->second) all_nights.insert(night->night);
    }
    std::vector<std::string> nights(all_nights.begin(), all_nights.end());
    if (nights.size() > k_trend_nights) nights.erase(nights.begin(), nights.end() - k_trend_nights);
    std::vector<TrendPoint> trend;
    for (const std::string& night : nights) {
        for (const SlotTonight& slot : slots) {
            if (night == tonight) {
                if (!slot.runs.empty()) {
                    trend.push_back(point_of(night, slot.slot, regress_detail::outcomes_of(slot),
                                             regress_detail::samples_ms(slot)));
                }
                continue;
            }
            const auto found = histories.find(slot.slot);
            if (found == histories.end()) continue;
            for (const NightSlot* was : found->second) {
                if (was->night != night) continue;
                trend.push_back(point_of(night, slot.slot, was->outcomes, was->round_trip_ms));
            }
        }
    }
    return trend;
}

bool attributes_error(RegressKind kind) {
    return kind == RegressKind::identity_drift || kind == RegressKind::verdict_changed ||
           kind == RegressKind::new_failure || kind == RegressKind::flaky;
}

}  // namespace

std::string_view to_string(RegressKind kind) {
    for (const auto& [each, name] : k_kind_names) {
        if (each == kind) return name;
    }
    return "unknown";
}

std::optional<RegressKind> regress_kind_from_string(std::string_view text) {
    for (const auto& [kind, name] : k_kind_names) {
        if (name == text) return kind;
    }
    return std::nullopt;
}

bool is_regression(RegressKind kind) {
    return kind != RegressKind::rig_fault && kind != RegressKind::fixed;
}

double percentile(std::vector<double> samples, double p) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    const double clamped = std::isnan(p) ? 0.0 : std::clamp(p, 0.0, 100.0);
    const double rank = clamped / 100.0 * static_cast<double>(samples.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(rank));
    const std::size_t above = std::min(below + 1, samples.size() - 1);
    const double fraction = rank - static_cast<double>(below);
    return samples[below] + (samples[above] - samples[below]) * fraction;
}

RegressReport evaluate_night(const Golden& golden, const std::vector<SlotObservation>& tonight,
                             const std::vector<NightSlot>& earlier,
                             const SlowerThreshold& threshold, Clock::time_point started) {
    RegressReport report;
    report.golden = golden.path;
    report.started = started;
    report.observations = tonight;
    for (const SlotObservation& run : tonight) {
        report.iterations = std::max(report.iterations, run.iteration);
    }
    const std::string night = iso_utc(started, false).substr(0, 10);
    const auto slots = gather_slots(golden, tonight);
    const auto histories = gather_history(earlier, night);
    const Passes passes = passes_of(slots);
    const History none;
    for (const SlotTonight& slot : slots) {
        const auto found = histories.find(slot.slot);
        auto result = regress_detail::evaluate_slot(
            slot, found == histories.end() ? none : found->second, passes, threshold);
        report.slots.push_back(std::move(result.summary));
        report.findings.insert(report.findings.end(), result.findings.begin(),
                               result.findings.end());
    }
    report.trend = trend_of(slots, histories, night);
    return report;
}

int regress_exit_code(const RegressReport& report) {
    const auto& findings = report.findings;
    const auto any = [&](auto predicate) {
        return std::any_of(findings.begin(), findings.end(), predicate);
    };
    if (any([](const RegressFinding& f) { return f.kind == RegressKind::rig_fault; })) return 2;
    for (const SlotSummary& slot : report.slots) {
        if (slot.outcome < Outcome::error) continue;
        const bool attributed = any([&](const RegressFinding& f) {
            return f.slot == slot.slot && attributes_error(f.kind);
        });
        if (!attributed) return 2;
    }
    return any([](const RegressFinding& f) { return is_regression(f.kind); }) ? 1 : 0;
}

}  // namespace station::core
