// Round-trip timings of the nightly regression: tonight's p50 / p95 per slot and command against
// the median of the last baseline nights, and the `slower` findings. Pure.
#include <algorithm>
#include <cstdio>

#include <station/core/regress_slot.hpp>

namespace station::core::regress_detail {
namespace {

std::string ms_text(double ms) {
    char text[48];
    std::snprintf(text, sizeof text, "%.1f ms", ms);
    return text;
}

// "p95 61.0 ms vs baseline 40.2 ms (+52 %)"; no percentage against a zero baseline.
std::string compared(const char* which, double now, double baseline) {
    std::string text =
        std::string(which) + " " + ms_text(now) + " vs baseline " + ms_text(baseline);
    if (baseline > 0) {
        char percent[48];
        std::snprintf(percent, sizeof percent, " (%+.0f %%)", (now / baseline - 1.0) * 100.0);
        text += percent;
    }
    return text;
}

bool over(double now, std::optional<double> baseline, const SlowerThreshold& threshold) {
    if (!baseline) return false;
    return now > *baseline * (1.0 + threshold.percent / 100.0) && now - *baseline > threshold.ms;
}

// The median of the per-night p50 and p95 of the last `nights` earlier nights that have samples
// of `command`; nullopt when none has.
std::optional<std::pair<double, double>> baseline_of(const History& history,
                                                     const std::string& command, int nights) {
    std::vector<double> p50s;
    std::vector<double> p95s;
    for (auto night = history.rbegin(); night != history.rend(); ++night) {
        if (static_cast<int>(p50s.size()) >= nights) break;
        const auto found = (*night)->round_trip_ms.find(command);
        if (found == (*night)->round_trip_ms.end() || found->second.empty()) continue;
        p50s.push_back(percentile(found->second, 50));
        p95s.push_back(percentile(found->second, 95));
    }
    if (p50s.empty()) return std::nullopt;
    return std::pair{percentile(p50s, 50), percentile(p95s, 50)};
}

}  // namespace

std::map<std::string, std::vector<double>> samples_ms(const SlotTonight& slot) {
    std::map<std::string, std::vector<double>> samples;
    for (const SlotObservation* run : slot.runs) {
        for (const RoundTrip& trip : run->round_trips) {
            samples[trip.command].push_back(static_cast<double>(trip.took.count()) / 1000.0);
        }
    }
    return samples;
}

std::vector<CommandTiming> command_timings(const SlotTonight& slot, const History& history,
                                           int baseline_nights) {
    std::vector<CommandTiming> timings;
    for (const auto& [command, samples] : samples_ms(slot)) {
        CommandTiming timing{command, percentile(samples, 50), percentile(samples, 95), {}, {}};
        if (const auto baseline = baseline_of(history, command, baseline_nights)) {
            timing.baseline_p50_ms = baseline->first;
            timing.baseline_p95_ms = baseline->second;
        }
        timings.push_back(std::move(timing));
    }
    return timings;
}

std::vector<RegressFinding> slower_findings(const std::string& slot,
                                            const std::vector<CommandTiming>& timings,
                                            const SlowerThreshold& threshold) {
    std::vector<RegressFinding> findings;
    for (const CommandTiming& timing : timings) {
        const bool p50 = over(timing.p50_ms, timing.baseline_p50_ms, threshold);
        const bool p95 = over(timing.p95_ms, timing.baseline_p95_ms, threshold);
        if (!p50 && !p95) continue;
        RegressFinding finding{RegressKind::slower, slot, timing.command, {}, {}, {}};
        if (p50) finding.detail = compared("p50", timing.p50_ms, *timing.baseline_p50_ms);
        if (p95) {
            if (!finding.detail.empty()) finding.detail += "; ";
            finding.detail += compared("p95", timing.p95_ms, *timing.baseline_p95_ms);
        }
        // before / now: the p95 when it is over, else the p50.
        finding.before = ms_text(p95 ? *timing.baseline_p95_ms : *timing.baseline_p50_ms);
        finding.now = ms_text(p95 ? timing.p95_ms : timing.p50_ms);
        findings.push_back(std::move(finding));
    }
    return findings;
}

}  // namespace station::core::regress_detail
