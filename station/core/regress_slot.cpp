// One slot of the nightly regression: is its ERROR the rig's, does its unit differ from the
// golden file, and did it change since the earlier nights. Pure; the rules are listed at
// evaluate_night in core/regress.hpp.
#include <station/core/regress_slot.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include <station/core/sku_profile.hpp>
#include <station/core/text.hpp>

namespace station::core::regress_detail {
namespace {

// Identifiers and profile names compare ignoring ASCII case (as compare_history does).
bool differs_any_case(const std::string& golden, const std::string& now) {
    return !iequals(golden, now);
}

bool differs_exactly(const std::string& golden, const std::string& now) {
    return golden != now;
}

// Below the minimum, or no version to compare at all.
bool below_minimum(const std::string& minimum, const std::string& now) {
    const auto need = firmware_version(minimum);
    const auto have = firmware_version(now);
    return !have || (need && compare_versions(*have, *need) < 0);
}

template <class Enum>
std::string text_of(const std::optional<Enum>& value) {
    return value ? std::string(to_string(*value)) : std::string();
}

// One golden field: its value in the golden file, what an iteration read, when they differ.
struct FieldRule {
    const char* field;
    std::string (*golden)(const GoldenSlot&);
    std::string (*read)(const SlotObservation&);
    bool (*differs)(const std::string& golden, const std::string& now);
};

const std::array<FieldRule, 9> k_fields{{
    {"fsn", [](const GoldenSlot& g) { return g.fsn; },
     [](const SlotObservation& o) { return o.identity.fsn; }, differs_any_case},
    {"imei", [](const GoldenSlot& g) { return g.imei; },
     [](const SlotObservation& o) { return o.identity.imei; }, differs_any_case},
    {"iccid", [](const GoldenSlot& g) { return g.iccid; },
     [](const SlotObservation& o) { return o.identity.iccid; }, differs_any_case},
    {"model", [](const GoldenSlot& g) { return g.model; },
     [](const SlotObservation& o) { return o.identity.model; }, differs_exactly},
    {"firmware", [](const GoldenSlot& g) { return g.firmware; },
     [](const SlotObservation& o) { return o.identity.firmware; }, differs_exactly},
    {"firmware_min", [](const GoldenSlot& g) { return g.firmware_min; },
     [](const SlotObservation& o) { return o.identity.firmware; }, below_minimum},
    {"profile", [](const GoldenSlot& g) { return g.profile; },
     [](const SlotObservation& o) { return o.profile; }, differs_any_case},
    {"region", [](const GoldenSlot& g) { return text_of(g.region); },
     [](const SlotObservation& o) { return text_of(o.region); }, differs_exactly},
    {"data_center", [](const GoldenSlot& g) { return text_of(g.data_center); },
     [](const SlotObservation& o) { return text_of(o.data_center); }, differs_exactly},
}};

std::string count_text(std::size_t count, std::size_t of) {
    return std::to_string(count) + " of " + std::to_string(of);
}

void drift_of(const SlotTonight& slot, const FieldRule& rule, std::vector<RegressFinding>& out) {
    const std::string golden = rule.golden(*slot.golden);
    if (golden.empty()) return;
    std::string first;
    std::size_t differing = 0;
    std::size_t read = 0;
    for (const SlotObservation* run : slot.runs) {
        const std::string now = rule.read(*run);
        if (!read_identity(run->identity) || now.empty()) continue;
        ++read;
        if (!rule.differs(golden, now)) continue;
        if (differing++ == 0) first = now;
    }
    if (differing == 0) return;
    out.push_back({RegressKind::identity_drift, slot.slot, rule.field, golden, first,
                   std::string(rule.field) + " read as " + first + " in " +
                       count_text(differing, read) + " iterations, golden file: " + golden});
}

void drift_findings(const SlotTonight& slot, std::vector<RegressFinding>& out) {
    if (!slot.golden) {
        out.push_back({RegressKind::identity_drift, slot.slot, "slot", "", slot.slot,
                       "slot not in the golden file"});
        return;
    }
    for (const FieldRule& rule : k_fields) drift_of(slot, rule, out);
}

// The first iteration with the night's worst outcome.
const SlotObservation* worst_run(const SlotTonight& slot) {
    const SlotObservation* found = nullptr;
    for (const SlotObservation* run : slot.runs) {
        if (!found || run->outcome > found->outcome) found = run;
    }
    return found;
}

void verdict_finding(const SlotTonight& slot, std::vector<RegressFinding>& out) {
    const Outcome now = night_result(outcomes_of(slot));
    if (!slot.golden || now == slot.golden->verdict) return;
    std::string detail = "golden verdict " + std::string(to_string(slot.golden->verdict)) +
                         ", tonight " + std::string(to_string(now));
    const SlotObservation* run = worst_run(slot);
    if (run && run->reason) detail += " (" + std::string(to_string(*run->reason)) + ")";
    out.push_back({RegressKind::verdict_changed, slot.slot, "",
                   std::string(to_string(slot.golden->verdict)), std::string(to_string(now)),
                   detail});
}

bool all_pass(const std::vector<Outcome>& outcomes) {
    return !outcomes.empty() && std::all_of(outcomes.begin(), outcomes.end(), [](Outcome outcome) {
        return outcome == Outcome::pass;
    });
}

bool disagree(const std::vector<Outcome>& outcomes) {
    return std::any_of(outcomes.begin(), outcomes.end(),
                       [&](Outcome outcome) { return outcome != outcomes.front(); });
}

bool night_flipped(const std::vector<Outcome>& outcomes, const std::vector<Outcome>* before) {
    return disagree(outcomes) || (before && night_result(*before) != night_result(outcomes));
}

struct Flakes {
    double rate = 0;
    bool earlier_flipped = false;  // one of the baseline nights flipped
    std::size_t nights = 0;
};

Flakes flakes_of(const History& history, const std::vector<Outcome>& tonight, int baseline_nights) {
    Flakes flakes;
    const std::size_t window =
        std::min(history.size(), static_cast<std::size_t>(std::max(baseline_nights, 0)));
    std::size_t flipped = 0;
    for (std::size_t i = history.size() - window; i < history.size(); ++i) {
        if (night_flipped(history[i]->outcomes, i > 0 ? &history[i - 1]->outcomes : nullptr)) {
            ++flipped;
            flakes.earlier_flipped = true;
        }
    }
    if (night_flipped(tonight, history.empty() ? nullptr : &history.back()->outcomes)) ++flipped;
    flakes.nights = window + 1;
    flakes.rate = static_cast<double>(flipped) / static_cast<double>(flakes.nights);
    return flakes;
}

std::string outcomes_text(const std::vector<Outcome>& outcomes) {
    std::vector<std::string> names;
    for (Outcome outcome : outcomes) names.emplace_back(to_string(outcome));
    return join(names);
}

std::string passed_text(const std::vector<Outcome>& outcomes) {
    const auto passed = std::count(outcomes.begin(), outcomes.end(), Outcome::pass);
    return count_text(static_cast<std::size_t>(passed), outcomes.size()) + " iterations passed";
}

void change_findings(const SlotTonight& slot, const NightSlot& last,
                     std::vector<RegressFinding>& out) {
    const auto tonight = outcomes_of(slot);
    const std::string was(to_string(night_result(last.outcomes)));
    const std::string now(to_string(night_result(tonight)));
    if (all_pass(last.outcomes) && !all_pass(tonight)) {
        out.push_back({RegressKind::new_failure, slot.slot, "", was, now,
                       "all PASS on " + last.night + ", tonight " + passed_text(tonight)});
    } else if (!all_pass(last.outcomes) && all_pass(tonight)) {
        out.push_back({RegressKind::fixed, slot.slot, "", was, now,
                       was + " on " + last.night + ", tonight " + passed_text(tonight)});
    }
}

std::string percent_text(double share) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f %%", share * 100.0);
    return text;
}

void flaky_finding(const SlotTonight& slot, const History& history, const Flakes& flakes,
                   std::vector<RegressFinding>& out) {
    const auto tonight = outcomes_of(slot);
    const std::string rate = "; flake rate " + percent_text(flakes.rate) + " over " +
                             std::to_string(flakes.nights) + " nights";
    if (disagree(tonight)) {
        out.push_back({RegressKind::flaky, slot.slot, "", "", outcomes_text(tonight),
                       "iterations disagree: " + passed_text(tonight) + rate});
        return;
    }
    if (history.empty() || !flakes.earlier_flipped) return;
    const NightSlot& last = *history.back();
    const Outcome was = night_result(last.outcomes);
    const Outcome now = night_result(tonight);
    if (was == now) return;
    out.push_back({RegressKind::flaky, slot.slot, "", std::string(to_string(was)),
                   std::string(to_string(now)),
                   "flipped from " + std::string(to_string(was)) + " on " + last.night + " to " +
                       std::string(to_string(now)) + rate});
}

std::set<std::string> fsns_of(const SlotTonight& slot) {
    std::set<std::string> fsns;
    for (const SlotObservation* run : slot.runs) {
        if (!run->identity.fsn.empty()) fsns.insert(ascii_upper(run->identity.fsn));
    }
    return fsns;
}

std::string last_fsn(const SlotTonight& slot) {
    std::string fsn;
    for (const SlotObservation* run : slot.runs) {
        if (!run->identity.fsn.empty()) fsn = run->identity.fsn;
    }
    return fsn;
}

// (b): a unit read here that passes tonight in another slot.
std::optional<RegressFinding> moved_unit(const SlotTonight& slot, const Passes& passes) {
    for (const std::string& fsn : fsns_of(slot)) {
        for (auto [at, end] = passes.equal_range(fsn); at != end; ++at) {
            if (at->second == slot.slot) continue;
            return RegressFinding{
                RegressKind::rig_fault,
                slot.slot,
                "",
                "",
                fsn,
                "unit " + fsn + " errs in this slot but passes tonight in slot " + at->second};
        }
    }
    return std::nullopt;
}

// (c): the slot erred on a baseline night with another unit in it.
std::optional<RegressFinding> error_stays(const SlotTonight& slot, const History& history,
                                          int baseline_nights) {
    const auto fsns = fsns_of(slot);
    if (fsns.empty()) return std::nullopt;
    int looked = 0;
    for (auto night = history.rbegin(); night != history.rend() && looked < baseline_nights;
         ++night, ++looked) {
        const NightSlot& was = **night;
        const bool erred = std::count(was.outcomes.begin(), was.outcomes.end(), Outcome::error) > 0;
        if (!erred || was.fsn.empty() || fsns.count(ascii_upper(was.fsn)) > 0) continue;
        return RegressFinding{
            RegressKind::rig_fault,
            slot.slot,
            "",
            was.fsn,
            last_fsn(slot),
            "the slot also erred on " + was.night + " with unit " + was.fsn + " in it"};
    }
    return std::nullopt;
}

std::optional<RegressFinding> rig_fault(const SlotTonight& slot, const History& history,
                                        const Passes& passes, int baseline_nights) {
    const auto outcomes = outcomes_of(slot);
    if (slot.runs.empty()) {
        return RegressFinding{RegressKind::rig_fault,        slot.slot, "", "", "",
                              "the slot was not run tonight"};
    }
    if (std::count(outcomes.begin(), outcomes.end(), Outcome::error) == 0) return std::nullopt;
    const bool any_identity = std::any_of(slot.runs.begin(), slot.runs.end(), [](const auto* run) {
        return read_identity(run->identity);
    });
    if (!any_identity) {
        return RegressFinding{RegressKind::rig_fault,
                              slot.slot,
                              "",
                              "",
                              "",
                              "no identity read in " + std::to_string(slot.runs.size()) +
                                  " iterations: the slot's port never answered"};
    }
    if (auto moved = moved_unit(slot, passes)) return moved;
    return error_stays(slot, history, baseline_nights);
}

// The most important finding names the change; see evaluate_night.
std::string change_of(const std::vector<RegressFinding>& findings) {
    static constexpr std::array<std::pair<RegressKind, const char*>, 7> k_order{{
        {RegressKind::rig_fault, "rig fault"},
        {RegressKind::flaky, "flaky"},
        {RegressKind::new_failure, "new failure"},
        {RegressKind::identity_drift, "drift"},
        {RegressKind::verdict_changed, "verdict changed"},
        {RegressKind::slower, "slower"},
        {RegressKind::fixed, "fixed"},
    }};
    for (const auto& entry : k_order) {
        // Not a structured binding: clang before 16 cannot capture one in a lambda.
        const RegressKind kind = entry.first;
        const bool found = std::any_of(findings.begin(), findings.end(),
                                       [&](const RegressFinding& f) { return f.kind == kind; });
        if (found) return entry.second;
    }
    return "";
}

SlotSummary summarize(const SlotTonight& slot, const History& history,
                      const SlowerThreshold& threshold) {
    const auto outcomes = outcomes_of(slot);
    SlotSummary summary{slot.slot,
                        last_fsn(slot),
                        night_result(outcomes),
                        0,
                        static_cast<int>(outcomes.size()),
                        "",
                        0,
                        {}};
    summary.passes = static_cast<int>(std::count(outcomes.begin(), outcomes.end(), Outcome::pass));
    summary.flake_rate = flakes_of(history, outcomes, threshold.baseline_nights).rate;
    summary.timings = command_timings(slot, history, threshold.baseline_nights);
    return summary;
}

}  // namespace

std::vector<Outcome> outcomes_of(const SlotTonight& slot) {
    std::vector<Outcome> outcomes;
    for (const SlotObservation* run : slot.runs) outcomes.push_back(run->outcome);
    return outcomes;
}

Outcome night_result(const std::vector<Outcome>& outcomes) {
    if (outcomes.empty()) return Outcome::error;
    Outcome result = Outcome::pass;
    for (Outcome outcome : outcomes) result = worst(result, outcome);
    return result;
}

bool read_identity(const Identity& identity) {
    return !identity.fsn.empty() || !identity.imei.empty() || !identity.iccid.empty() ||
           !identity.model.empty() || !identity.firmware.empty() || !identity.imsi.empty();
}

SlotResult evaluate_slot(const SlotTonight& slot, const History& history, const Passes& passes,
                         const SlowerThreshold& threshold) {
    SlotResult result{summarize(slot, history, threshold), {}};
    auto& findings = result.findings;
    if (auto fault = rig_fault(slot, history, passes, threshold.baseline_nights)) {
        findings.push_back(std::move(*fault));
    } else {
        drift_findings(slot, findings);
        verdict_finding(slot, findings);
        if (!history.empty()) change_findings(slot, *history.back(), findings);
        flaky_finding(slot, history,
                      flakes_of(history, outcomes_of(slot), threshold.baseline_nights), findings);
        auto slower = slower_findings(slot.slot, result.summary.timings, threshold);
        findings.insert(findings.end(), slower.begin(), slower.end());
        std::stable_sort(findings.begin(), findings.end(),
                         [](const auto& a, const auto& b) { return a.kind < b.kind; });
    }
    result.summary.change = change_of(findings);
    return result;
}

}  // namespace station::core::regress_detail
