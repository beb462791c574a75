// The nightly rig regression (issue 17): what a night of a rig of known ("golden") units saw,
// compared with the golden file and with earlier nights. Pure: observations in, findings and a
// report model out; the workflow gathers them, the store keeps them, report/regress.hpp draws
// them.
//
// Kinds of change, each per slot:
// - identity_drift: a field the golden file names differs (firmware below its minimum);
// - verdict_changed: the verdict differs from the golden one;
// - new_failure / fixed: not PASS tonight but PASS on the last night (or the reverse);
// - flaky: the slot's outcome differs between iterations of one night, or flips between nights;
// - slower: a command's p50 or p95 round trip is above the median of the last baseline nights
//   by more than both thresholds (default +25 % and +20 ms);
// - rig_fault: an ERROR that stays with the slot (every unit put in it errs, or the unit that
//   errs here passes in another slot): the rig's fault, not the product's.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/identity.hpp>
#include <station/core/reason.hpp>
#include <station/core/region.hpp>

namespace station::core {

using Clock = std::chrono::system_clock;

// What the golden file expects in one slot. Empty strings / nullopt: not checked.
struct GoldenSlot {
    std::string slot;  // the rig's slot label
    std::string fsn;
    std::string imei;
    std::string iccid;
    std::string model;
    std::string firmware;      // exact
    std::string firmware_min;  // or a minimum (firmware_version() order)
    std::string profile;       // decided profile
    std::optional<Region> region;
    std::optional<DataCenter> data_center;
    Outcome verdict = Outcome::pass;
    int line = 0;  // where the slot's table starts in the golden file (for messages)
};

struct Golden {
    std::string path;  // the file it was read from
    std::vector<GoldenSlot> slots;
};

// One AT command's round trip in one unit attempt: from the first byte sent to its final
// result code. `command` as sent ("AT+CIMI", or a concatenated line "ATI;+CIMI").
struct RoundTrip {
    std::string command;
    std::chrono::microseconds took{0};
};

// One slot in one iteration of tonight's run, as the pallet engine reported it.
struct SlotObservation {
    std::string slot;
    int iteration = 1;  // 1-based
    Identity identity;
    std::string profile;
    std::optional<Region> region;
    std::optional<DataCenter> data_center;
    Outcome outcome = Outcome::error;
    std::optional<Reason> reason;
    std::string message;
    std::vector<RoundTrip> round_trips;
    std::chrono::milliseconds took{0};
    std::string transcript_tail;  // the last lines of its transcript (for JUnit failure text)
};

// One slot on one earlier night, from the store: its unit, each iteration's outcome, and its
// round trips per command (milliseconds, every sample of the night).
struct NightSlot {
    std::string night;  // "YYYY-MM-DD" (UTC) of the run's start
    std::int64_t run = 0;
    std::string slot;
    std::string fsn;
    std::vector<Outcome> outcomes;  // per iteration
    std::map<std::string, std::vector<double>> round_trip_ms;
};

enum class RegressKind {
    identity_drift,
    verdict_changed,
    new_failure,
    fixed,
    flaky,
    slower,
    rig_fault,
};
std::string_view to_string(RegressKind kind);  // "identity_drift", ...
std::optional<RegressKind> regress_kind_from_string(std::string_view text);
// identity_drift, verdict_changed, new_failure, flaky and slower are product regressions
// (exit 1); rig_fault is the rig's (exit 2); fixed is good news (exit 0).
bool is_regression(RegressKind kind);

struct RegressFinding {
    RegressKind kind;
    std::string slot;
    std::string what;  // the field ("firmware"), the command ("AT+CIMI") or "" for the slot
    std::string before;
    std::string now;
    std::string detail;  // one sentence, e.g. "p95 61.0 ms vs baseline 40.2 ms (+52 %)"
};

struct SlowerThreshold {
    double percent = 25.0;  // more than this much above the baseline median...
    double ms = 20.0;       // ...and more than this many milliseconds above it
    int baseline_nights = 7;
};

// Per slot and command: tonight's p50 / p95 and the baseline's (nullopt: no earlier nights).
struct CommandTiming {
    std::string command;
    double p50_ms = 0;
    double p95_ms = 0;
    std::optional<double> baseline_p50_ms;
    std::optional<double> baseline_p95_ms;
};

// One slot's line in the report.
struct SlotSummary {
    std::string slot;
    std::string fsn;       // tonight's unit (the last iteration that read one)
    Outcome outcome;       // the worst of tonight's iterations
    int passes = 0;        // iterations that passed
    int iterations = 0;
    std::string change;    // since last night: "", "new failure", "fixed", "flaky", "slower", ...
    double flake_rate = 0;  // over tonight and the baseline nights: share of nights that flipped
    std::vector<CommandTiming> timings;
};

// One earlier night (or tonight) of one slot, for the 30-night charts.
struct TrendPoint {
    std::string night;  // "YYYY-MM-DD"
    std::string slot;
    double pass_rate = 0;  // 0..1
    double p50_ms = 0;     // over every command of the night
    double p95_ms = 0;
};

struct RegressReport {
    std::string rig;
    std::string golden;  // path
    Clock::time_point started;
    std::optional<std::int64_t> run;  // the store's run id of tonight
    int iterations = 0;
    std::vector<SlotSummary> slots;          // in rig order
    std::vector<RegressFinding> findings;    // in slot, then kind order
    std::vector<TrendPoint> trend;           // the last 30 nights incl. tonight, oldest first
    std::vector<SlotObservation> observations;  // tonight, every iteration
};

// The p-th percentile (0..100) of `samples` by linear interpolation between closest ranks;
// 0 for none.
double percentile(std::vector<double> samples, double p);

// Everything above: tonight's observations against the golden file and the earlier nights
// (any order; only the last `threshold.baseline_nights` count for `slower` and the flake rate,
// the last 30 for the trend). `started` is tonight's start: its UTC date names tonight's night.
// The rules, per slot (golden order, then slots seen but not in the golden file):
// - earlier nights: one per night and slot (the highest run of a night); nights on or after
//   tonight's date are left out (tonight's run supersedes a same-day earlier run);
// - rig_fault: some iteration tonight is ERROR and (a) no iteration read any identity (or the
//   slot was not observed at all), or (b) a unit read here passes tonight in another slot, or
//   (c) on one of the baseline nights the slot also had an ERROR with another FSN in it. Such a
//   slot gets no other finding;
// - identity_drift: one per golden field that some iteration read differently (an empty read
//   value says nothing; FSN, IMEI, ICCID and profile ignore letter case; firmware_min compares
//   by firmware_version(), an unreadable version counts as below); a slot not in the golden
//   file gets one with what = "slot";
// - verdict_changed: the worst outcome tonight is not the golden verdict;
// - new_failure / fixed: the newest earlier night was all PASS and tonight is not (or the
//   reverse);
// - flaky: tonight's iterations disagree, or the night's result (its worst outcome) differs
//   from the newest earlier night's while one of the baseline nights also flipped (a single
//   change is new_failure / fixed, a second one within the baseline is flaky). A night flipped
//   when its iterations disagree or its result differs from the night before it; flake_rate is
//   the share of flipped nights among the baseline nights and tonight;
// - slower: per command, tonight's p50 (p95) over every sample against the median of the
//   per-night p50 (p95) of the last baseline nights that have samples of the command; the
//   finding's before / now are the p95's when it is over, else the p50's.
// SlotSummary::change names the most important finding: "rig fault", "flaky", "new failure",
// "drift", "verdict changed", "slower", "fixed" (in that order), "" for none. The trend has one
// point per night and slot (of the report's slots, with data that night), night then slot order.
RegressReport evaluate_night(const Golden& golden, const std::vector<SlotObservation>& tonight,
                             const std::vector<NightSlot>& earlier,
                             const SlowerThreshold& threshold, Clock::time_point started);

// The exit status of a night: 0 nothing regressed, 1 product regressions, 2 rig faults or
// station errors (a slot whose outcome is ERROR or ABORTED with no identity_drift,
// verdict_changed, new_failure or flaky finding that attributes it to the product).
int regress_exit_code(const RegressReport& report);

}  // namespace station::core
