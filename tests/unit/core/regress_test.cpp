// The nightly regression's pieces other than the findings table: kind names, percentiles, the
// exit status, the `slower` thresholds and baselines, each slot's summary line and the trend.
#include <station/core/regress.hpp>

#include <cmath>

#include <gtest/gtest.h>

#include "regress_fixture.hpp"

namespace {

using namespace regress_fixture;

TEST(RegressKind, EveryKindRoundTripsItsName) {
    for (int i = 0; i <= static_cast<int>(RegressKind::rig_fault); ++i) {
        const auto kind = static_cast<RegressKind>(i);
        const auto back = regress_kind_from_string(to_string(kind));
        ASSERT_TRUE(back.has_value()) << i;
        EXPECT_EQ(*back, kind);
    }
    EXPECT_EQ(to_string(RegressKind::identity_drift), "identity_drift");
    EXPECT_FALSE(regress_kind_from_string("Flaky").has_value());
    EXPECT_FALSE(regress_kind_from_string("").has_value());
}

TEST(RegressKind, OnlyTheProductsChangesAreRegressions) {
    const std::vector<std::pair<RegressKind, bool>> table{
        {RegressKind::identity_drift, true}, {RegressKind::verdict_changed, true},
        {RegressKind::new_failure, true},    {RegressKind::flaky, true},
        {RegressKind::slower, true},         {RegressKind::fixed, false},
        {RegressKind::rig_fault, false},
    };
    for (const auto& [kind, regression] : table) {
        EXPECT_EQ(is_regression(kind), regression) << to_string(kind);
    }
}

TEST(Percentile, InterpolatesBetweenClosestRanks) {
    struct Row {
        std::vector<double> samples;
        double p;
        double expected;
    };
    const std::vector<Row> table{
        {{}, 50, 0},
        {{7}, 95, 7},
        {{1, 2, 3, 4}, 50, 2.5},
        {{4, 1, 3, 2}, 50, 2.5},  // any order
        {{1, 2, 3, 4, 5}, 0, 1},
        {{1, 2, 3, 4, 5}, 100, 5},
        {{1, 2, 3, 4, 5}, 95, 4.8},
        {{10, 20}, 25, 12.5},
        {{1, 2, 3}, -5, 1},   // below 0: the smallest
        {{1, 2, 3}, 250, 3},  // above 100: the largest
        {{1, 2, 3}, std::nan(""), 1},
    };
    for (const Row& row : table) {
        EXPECT_DOUBLE_EQ(percentile(row.samples, row.p), row.expected)
            << row.samples.size() << " samples, p " << row.p;
    }
}

RegressReport report_of(std::vector<std::pair<std::string, Outcome>> slots,
                        std::vector<std::pair<RegressKind, std::string>> findings) {
    RegressReport report;
    for (const auto& [slot, outcome] : slots) {
        SlotSummary summary{};
        summary.slot = slot;
        summary.outcome = outcome;
        report.slots.push_back(summary);
    }
    for (const auto& [kind, slot] : findings)
        report.findings.push_back({kind, slot, "", "", "", ""});
    return report;
}

TEST(RegressExitCode, RigFaultsAndUnattributedErrorsOverRegressions) {
    struct Row {
        const char* name;
        RegressReport report;
        int expected;
    };
    const std::vector<Row> table{
        {"nothing", report_of({{"A1", P}}, {}), 0},
        {"fixed only", report_of({{"A1", P}}, {{RegressKind::fixed, "A1"}}), 0},
        {"slower", report_of({{"A1", P}}, {{RegressKind::slower, "A1"}}), 1},
        {"product FAIL", report_of({{"A1", F}}, {{RegressKind::verdict_changed, "A1"}}), 1},
        {"product ERROR", report_of({{"A1", E}}, {{RegressKind::new_failure, "A1"}}), 1},
        {"ERROR only slower", report_of({{"A1", E}}, {{RegressKind::slower, "A1"}}), 2},
        {"ERROR attributed in another slot only",
         report_of({{"A1", E}, {"A2", F}}, {{RegressKind::verdict_changed, "A2"}}), 2},
        {"ABORTED unattributed", report_of({{"A1", Outcome::aborted}}, {}), 2},
        {"rig fault beside a regression",
         report_of({{"A1", E}, {"A2", F}},
                   {{RegressKind::rig_fault, "A1"}, {RegressKind::verdict_changed, "A2"}}),
         2},
    };
    for (const Row& row : table) EXPECT_EQ(regress_exit_code(row.report), row.expected) << row.name;
}

// Five earlier nights of AT+CIMI at `ms` (one sample each) and tonight's samples.
RegressReport timed_night(std::vector<double> earlier_ms, std::vector<double> tonight_ms,
                          SlowerThreshold threshold = {}) {
    std::vector<NightSlot> earlier;
    for (std::size_t i = 0; i < earlier_ms.size(); ++i) {
        earlier.push_back(night(november(static_cast<int>(20 + i)), "A1", "XR9N0001", {P},
                                {{"AT+CIMI", {earlier_ms[i]}}}));
    }
    std::vector<RoundTrip> trips;
    for (double ms : tonight_ms) trips.push_back(trip("AT+CIMI", ms));
    const auto golden = golden_of({golden_slot("A1", "XR9N0001")});
    return evaluate_night(golden, {seen("A1", 1, "XR9N0001", P, trips)}, earlier, threshold,
                          started());
}

TEST(Slower, BothThresholdsMustBeExceeded) {
    struct Row {
        const char* name;
        std::vector<double> earlier;
        std::vector<double> tonight;
        bool slower;
    };
    const std::vector<Row> table{
        {"as before", {40, 40, 40}, {40}, false},
        {"+37 % but only +15 ms", {40, 40, 40}, {55}, false},
        {"+75 % and +30 ms", {40, 40, 40}, {70}, true},
        {"+24 % and +24 ms", {100, 100, 100}, {124}, false},
        {"+30 % and +30 ms", {100, 100, 100}, {130}, true},
        {"exactly +25 % and +25 ms", {100, 100, 100}, {125}, false},
        {"faster", {100, 100, 100}, {20}, false},
        {"no earlier night", {}, {500}, false},
        {"the median, not the mean, of the nights", {40, 40, 40, 400, 400}, {90}, true},
        {"one slow sample of many moves the p95",
         {40},
         {40, 40, 40, 40, 40, 40, 40, 40, 40, 400},
         true},
    };
    for (const Row& row : table) {
        const auto report = timed_night(row.earlier, row.tonight);
        EXPECT_EQ(report.findings.size(), row.slower ? 1u : 0u) << row.name;
        if (row.slower && !report.findings.empty()) {
            EXPECT_EQ(report.findings[0].kind, RegressKind::slower) << row.name;
            EXPECT_EQ(report.findings[0].what, "AT+CIMI") << row.name;
            EXPECT_EQ(report.slots[0].change, "slower") << row.name;
        }
    }
}

TEST(Slower, TheThresholdsAreTheCallers) {
    SlowerThreshold strict;
    strict.percent = 5;
    strict.ms = 1;
    EXPECT_EQ(timed_night({40, 40}, {44}, strict).findings.size(), 1u);
    EXPECT_EQ(timed_night({40, 40}, {44}).findings.size(), 0u);
}

TEST(Slower, TheDetailSaysHowMuch) {
    const auto report = timed_night({40.2, 40.2}, {61.0});
    ASSERT_EQ(report.findings.size(), 1u);
    const auto& finding = report.findings[0];
    EXPECT_EQ(finding.detail,
              "p50 61.0 ms vs baseline 40.2 ms (+52 %); p95 61.0 ms vs baseline 40.2 ms (+52 %)");
    EXPECT_EQ(finding.before, "40.2 ms");
    EXPECT_EQ(finding.now, "61.0 ms");
}

TEST(Slower, TheBaselineIsTheLastNightsThatRanTheCommand) {
    // Seven nights: three old slow ones, four recent fast ones; a baseline of 4 sees only these.
    SlowerThreshold threshold;
    threshold.baseline_nights = 4;
    const auto report = timed_night({300, 300, 300, 40, 40, 40, 40}, {90}, threshold);
    ASSERT_EQ(report.slots.size(), 1u);
    ASSERT_EQ(report.slots[0].timings.size(), 1u);
    const auto& timing = report.slots[0].timings[0];
    EXPECT_EQ(timing.command, "AT+CIMI");
    ASSERT_TRUE(timing.baseline_p50_ms.has_value());
    EXPECT_DOUBLE_EQ(*timing.baseline_p50_ms, 40);
    EXPECT_EQ(report.findings.size(), 1u);
    // Nights without the command do not count toward the window.
    auto earlier = std::vector<NightSlot>{
        night(november(27), "A1", "XR9N0001", {P}, {{"AT+CIMI", {40}}}),
        night(november(28), "A1", "XR9N0001", {P}, {{"ATI", {10}}}),
        night(november(29), "A1", "XR9N0001", {P}, {{"ATI", {10}}}),
    };
    threshold.baseline_nights = 1;
    const auto golden = golden_of({golden_slot("A1", "XR9N0001")});
    const auto again = evaluate_night(golden, {seen("A1", 1, "XR9N0001", P, {trip("AT+CIMI", 90)})},
                                      earlier, threshold, started());
    ASSERT_EQ(again.slots[0].timings.size(), 1u);
    EXPECT_DOUBLE_EQ(again.slots[0].timings[0].baseline_p95_ms.value_or(-1), 40);
}

TEST(Slower, NoEarlierNightNoBaseline) {
    const auto report = timed_night({}, {10, 20, 30});
    ASSERT_EQ(report.slots[0].timings.size(), 1u);
    const auto& timing = report.slots[0].timings[0];
    EXPECT_DOUBLE_EQ(timing.p50_ms, 20);
    EXPECT_DOUBLE_EQ(timing.p95_ms, 29);
    EXPECT_FALSE(timing.baseline_p50_ms.has_value());
    EXPECT_FALSE(timing.baseline_p95_ms.has_value());
}

TEST(SlotSummary, CountsTonightsIterationsAndNamesTheLastUnit) {
    const auto golden = golden_of({golden_slot("A1", "XR9N0001"), golden_slot("A2", "XR9N0002")});
    const std::vector<SlotObservation> tonight{
        seen("A2", 2, "XR9N0002", P), seen("A1", 2, "", E),         seen("A1", 1, "XR9N0001", P),
        seen("A2", 1, "XR9N0002", P), seen("A1", 3, "XR9N0001", F),
    };
    const auto report = evaluate_night(golden, tonight, {}, {}, started());
    ASSERT_EQ(report.slots.size(), 2u);
    EXPECT_EQ(report.slots[0].slot, "A1");
    EXPECT_EQ(report.slots[0].fsn, "XR9N0001");
    EXPECT_EQ(report.slots[0].outcome, E);
    EXPECT_EQ(report.slots[0].passes, 1);
    EXPECT_EQ(report.slots[0].iterations, 3);
    EXPECT_DOUBLE_EQ(report.slots[0].flake_rate, 1.0);
    EXPECT_EQ(report.slots[1].slot, "A2");
    EXPECT_EQ(report.slots[1].passes, 2);
    EXPECT_DOUBLE_EQ(report.slots[1].flake_rate, 0.0);
    EXPECT_EQ(report.iterations, 3);
    EXPECT_EQ(report.golden, "rig.golden.toml");
    EXPECT_EQ(report.started, started());
    EXPECT_EQ(report.observations.size(), tonight.size());
}

TEST(SlotSummary, FlakeRateIsTheShareOfFlippedNights) {
    // Baseline 3: nights 28 (P, flipped from F on 27), 29 (P P F, disagree), 30 (F, same
    // result as 29) and tonight (P, flipped): 3 of 4.
    const auto golden = golden_of({golden_slot("A1", "XR9N0001")});
    const std::vector<NightSlot> earlier{
        night(november(27), "A1", "XR9N0001", {F}),
        night(november(28), "A1", "XR9N0001", {P}),
        night(november(29), "A1", "XR9N0001", {P, P, F}),
        night(november(30), "A1", "XR9N0001", {F}),
    };
    SlowerThreshold threshold;
    threshold.baseline_nights = 3;
    const auto report =
        evaluate_night(golden, {seen("A1", 1, "XR9N0001", P)}, earlier, threshold, started());
    EXPECT_DOUBLE_EQ(report.slots[0].flake_rate, 0.75);
}

TEST(Findings, InSlotThenKindOrder) {
    const auto golden = golden_of({golden_slot("B2", "XR9N0002"), golden_slot("A1", "XR9N0001")});
    const std::vector<SlotObservation> tonight{
        seen_with(seen("A1", 1, "XR9N0001", F), [](auto& r) { r.identity.model = "XR80"; }),
        seen("B2", 1, "XR9N0002", F),
    };
    const auto report = evaluate_night(golden, tonight, {}, {}, started());
    ASSERT_EQ(report.findings.size(), 3u);
    EXPECT_EQ(report.findings[0].slot, "B2");
    EXPECT_EQ(report.findings[1].slot, "A1");
    EXPECT_EQ(report.findings[1].kind, RegressKind::identity_drift);
    EXPECT_EQ(report.findings[2].kind, RegressKind::verdict_changed);
    EXPECT_EQ(report.findings[2].detail, "golden verdict PASS, tonight FAIL (sim_not_inserted)");
}

TEST(Trend, OnePointPerNightAndSlotOfTheLast30OldestFirst) {
    const auto golden = golden_of({golden_slot("A1", "XR9N0001"), golden_slot("A2", "XR9N0002")});
    std::vector<NightSlot> earlier;
    for (int day = 1; day <= 30; ++day) {
        earlier.push_back(night(november(day), "A1", "XR9N0001", {P, F}, {{"ATI", {10, 30}}}));
    }
    earlier.push_back(night(november(30), "A2", "XR9N0002", {P}));
    earlier.push_back(night(november(30), "Z9", "XR9N0009", {P}));  // no longer in the rig
    const std::vector<SlotObservation> tonight{
        seen("A1", 1, "XR9N0001", P, {trip("ATI", 10), trip("AT+CIMI", 20)}),
        seen("A2", 1, "XR9N0002", P),
    };
    const auto report = evaluate_night(golden, tonight, earlier, {}, started());
    // Nights 2..30 of November and tonight; A2 only on the 30th and tonight.
    ASSERT_EQ(report.trend.size(), 29u + 2u + 1u);
    EXPECT_EQ(report.trend.front().night, november(2));
    EXPECT_EQ(report.trend.front().slot, "A1");
    EXPECT_DOUBLE_EQ(report.trend.front().pass_rate, 0.5);
    EXPECT_DOUBLE_EQ(report.trend.front().p50_ms, 20);
    EXPECT_DOUBLE_EQ(report.trend.front().p95_ms, 29);
    const auto& last = report.trend[report.trend.size() - 2];
    EXPECT_EQ(last.night, "2026-12-01");
    EXPECT_EQ(last.slot, "A1");
    EXPECT_DOUBLE_EQ(last.pass_rate, 1.0);
    EXPECT_DOUBLE_EQ(last.p50_ms, 15);
    EXPECT_EQ(report.trend.back().slot, "A2");
    for (const auto& point : report.trend) EXPECT_NE(point.slot, "Z9");
}

}  // namespace
