// evaluate_night's findings: one table row per situation of a night (every kind, the rig's
// faults told apart from the product's, the baseline windows), with the findings expected in
// slot then kind order, each slot's change and the night's exit status.
#include <station/core/regress.hpp>

#include <gtest/gtest.h>

#include "regress_fixture.hpp"

namespace {

using namespace regress_fixture;

struct Expected {
    RegressKind kind;
    std::string slot;
    std::string what;
    std::string before;
    std::string now;
};

struct Case {
    const char* name;
    Golden golden;
    std::vector<SlotObservation> tonight;
    std::vector<NightSlot> earlier;
    std::vector<Expected> findings;
    std::vector<std::string> changes;  // per summary line
    int exit;
    int baseline_nights = 7;
};

const auto k_id = RegressKind::identity_drift;
const auto k_verdict = RegressKind::verdict_changed;
const auto k_new = RegressKind::new_failure;
const auto k_fixed = RegressKind::fixed;
const auto k_flaky = RegressKind::flaky;
const auto k_rig = RegressKind::rig_fault;

template <class Edit>
SlotObservation a1_with(Edit edit) {
    return seen_with(seen("A1", 1, "XR9N0001", P), edit);
}

template <class Edit>
GoldenSlot golden_with(Edit edit) {
    auto slot = golden_slot("A1", "XR9N0001");
    edit(slot);
    return slot;
}

std::vector<Case> drift_cases() {
    const auto one = golden_of({golden_slot("A1", "XR9N0001")});
    return {
        {"all as golden",
         one,
         {seen("A1", 1, "XR9N0001", P)},
         {night(november(30), "A1", "XR9N0001", {P})},
         {},
         {""},
         0},
        {"firmware differs",
         one,
         {a1_with([](auto& r) { r.identity.firmware = "SWI9X50C_01.14.23.00"; })},
         {},
         {{k_id, "A1", "firmware", "SWI9X50C_01.14.22.00", "SWI9X50C_01.14.23.00"}},
         {"drift"},
         1},
        {"fsn letter case only",
         one,
         {a1_with([](auto& r) { r.identity.fsn = "xr9n0001"; })},
         {},
         {},
         {""},
         0},
        {"another unit in the slot",
         one,
         {seen("A1", 1, "XR9N0002", P)},
         {},
         {{k_id, "A1", "fsn", "XR9N0001", "XR9N0002"},
          {k_id, "A1", "imei", imei_of("XR9N0001"), imei_of("XR9N0002")}},
         {"drift"},
         1},
        {"an empty read value says nothing",
         one,
         {a1_with([](auto& r) {
             r.identity.imei.clear();
             r.profile.clear();
             r.region.reset();
         })},
         {},
         {},
         {""},
         0},
        {"model, profile, region, data center",
         one,
         {a1_with([](auto& r) {
             r.identity.model = "XR80";
             r.profile = "xr90-global";
             r.region = Region::global;
             r.data_center = DataCenter::eu;
         })},
         {},
         {{k_id, "A1", "model", "XR90", "XR80"},
          {k_id, "A1", "profile", "xr90-na", "xr90-global"},
          {k_id, "A1", "region", "na", "global"},
          {k_id, "A1", "data_center", "na", "eu"}},
         {"drift"},
         1},
        {"firmware at its minimum",
         golden_of({golden_with([](auto& g) {
             g.firmware.clear();
             g.firmware_min = "01.14.22";
         })}),
         {seen("A1", 1, "XR9N0001", P)},
         {},
         {},
         {""},
         0},
        {"firmware below its minimum",
         golden_of({golden_with([](auto& g) {
             g.firmware.clear();
             g.firmware_min = "01.15.00.00";
         })}),
         {seen("A1", 1, "XR9N0001", P)},
         {},
         {{k_id, "A1", "firmware_min", "01.15.00.00", "SWI9X50C_01.14.22.00"}},
         {"drift"},
         1},
        {"firmware with no version against a minimum",
         golden_of({golden_with([](auto& g) {
             g.firmware.clear();
             g.firmware_min = "01.14.00.00";
         })}),
         {a1_with([](auto& r) { r.identity.firmware = "unknown"; })},
         {},
         {{k_id, "A1", "firmware_min", "01.14.00.00", "unknown"}},
         {"drift"},
         1},
        {"only the second iteration drifts",
         golden_of({golden_with([](auto& g) { g.iccid = "89014104279999999995"; })}),
         {seen_with(seen("A1", 1, "XR9N0001", P),
                    [](auto& r) { r.identity.iccid = "89014104279999999995"; }),
          seen_with(seen("A1", 2, "XR9N0001", P),
                    [](auto& r) { r.identity.iccid = "89014104270000000001"; })},
         {},
         {{k_id, "A1", "iccid", "89014104279999999995", "89014104270000000001"}},
         {"drift"},
         1},
        {"slot not in the golden file",
         one,
         {seen("A1", 1, "XR9N0001", P), seen("B9", 1, "XR9N0009", P)},
         {},
         {{k_id, "B9", "slot", "", "B9"}},
         {"", "drift"},
         1},
    };
}

std::vector<Case> change_cases() {
    const auto one = golden_of({golden_slot("A1", "XR9N0001")});
    const auto expect_fail = golden_of({golden_slot("A1", "XR9N0001", F)});
    const std::string d29 = november(29);
    const std::string d30 = november(30);
    return {
        {"verdict changed, no earlier night",
         one,
         {seen("A1", 1, "XR9N0001", F)},
         {},
         {{k_verdict, "A1", "", "PASS", "FAIL"}},
         {"verdict changed"},
         1},
        {"golden FAIL and FAIL tonight",
         expect_fail,
         {seen("A1", 1, "XR9N0001", F)},
         {},
         {},
         {""},
         0},
        {"new failure",
         one,
         {seen("A1", 1, "XR9N0001", F)},
         {night(d30, "A1", "XR9N0001", {P, P})},
         {{k_verdict, "A1", "", "PASS", "FAIL"}, {k_new, "A1", "", "PASS", "FAIL"}},
         {"new failure"},
         1},
        {"fixed",
         one,
         {seen("A1", 1, "XR9N0001", P)},
         {night(d30, "A1", "XR9N0001", {F})},
         {{k_fixed, "A1", "", "FAIL", "PASS"}},
         {"fixed"},
         0},
        {"compared with the newest earlier night, in any order",
         one,
         {seen("A1", 1, "XR9N0001", P)},
         {night(d30, "A1", "XR9N0001", {F}), night(d29, "A1", "XR9N0001", {P})},
         {{k_fixed, "A1", "", "FAIL", "PASS"}, {k_flaky, "A1", "", "FAIL", "PASS"}},
         {"flaky"},
         1},
        {"the highest run of a night counts",
         one,
         {seen("A1", 1, "XR9N0001", P)},
         {night(d30, "A1", "XR9N0001", {F}, {}, 4), night(d30, "A1", "XR9N0001", {P}, {}, 5)},
         {},
         {""},
         0},
        {"an earlier run of tonight's date is left out",
         one,
         {seen("A1", 1, "XR9N0001", P)},
         {night("2026-12-01", "A1", "XR9N0001", {F}), night(d30, "A1", "XR9N0001", {P})},
         {},
         {""},
         0},
        {"iterations disagree",
         one,
         {seen("A1", 1, "XR9N0001", P), seen("A1", 2, "XR9N0001", F), seen("A1", 3, "XR9N0001", P)},
         {night(d30, "A1", "XR9N0001", {P, P, P})},
         {{k_verdict, "A1", "", "PASS", "FAIL"},
          {k_new, "A1", "", "PASS", "FAIL"},
          {k_flaky, "A1", "", "", "PASS, FAIL, PASS"}},
         {"flaky"},
         1},
        {"one flip between nights is a new failure, not flaky",
         one,
         {seen("A1", 1, "XR9N0001", F)},
         {night(november(28), "A1", "XR9N0001", {P}), night(d29, "A1", "XR9N0001", {P}),
          night(d30, "A1", "XR9N0001", {P})},
         {{k_verdict, "A1", "", "PASS", "FAIL"}, {k_new, "A1", "", "PASS", "FAIL"}},
         {"new failure"},
         1},
        {"a second flip within the baseline is flaky",
         one,
         {seen("A1", 1, "XR9N0001", P)},
         {night(november(28), "A1", "XR9N0001", {P}), night(d29, "A1", "XR9N0001", {P}),
          night(d30, "A1", "XR9N0001", {F})},
         {{k_fixed, "A1", "", "FAIL", "PASS"}, {k_flaky, "A1", "", "FAIL", "PASS"}},
         {"flaky"},
         1},
        {"a flip before the baseline window does not count",
         one,
         {seen("A1", 1, "XR9N0001", F)},
         {night(november(26), "A1", "XR9N0001", {F}), night(november(27), "A1", "XR9N0001", {P}),
          night(november(28), "A1", "XR9N0001", {P}), night(d29, "A1", "XR9N0001", {P}),
          night(d30, "A1", "XR9N0001", {P})},
         {{k_verdict, "A1", "", "PASS", "FAIL"}, {k_new, "A1", "", "PASS", "FAIL"}},
         {"new failure"},
         1,
         2},
        {"the same flip inside a wider window is flaky",
         one,
         {seen("A1", 1, "XR9N0001", F)},
         {night(november(26), "A1", "XR9N0001", {F}), night(november(27), "A1", "XR9N0001", {P}),
          night(november(28), "A1", "XR9N0001", {P}), night(d29, "A1", "XR9N0001", {P}),
          night(d30, "A1", "XR9N0001", {P})},
         {{k_verdict, "A1", "", "PASS", "FAIL"},
          {k_new, "A1", "", "PASS", "FAIL"},
          {k_flaky, "A1", "", "PASS", "FAIL"}},
         {"flaky"},
         1,
         4},
    };
}

std::vector<Case> error_cases() {
    const auto two = golden_of({golden_slot("A1", "XR9N0001"), golden_slot("A2", "XR9N0002")});
    const auto one = golden_of({golden_slot("A1", "XR9N0001")});
    const auto expect_error = golden_of({golden_slot("A1", "XR9N0001", E)});
    const std::string d30 = november(30);
    return {
        {"dead slot: no identity in any iteration",
         one,
         {seen("A1", 1, "", E), seen("A1", 2, "", E)},
         {night(d30, "A1", "XR9N0001", {P})},
         {{k_rig, "A1", "", "", ""}},
         {"rig fault"},
         2},
        {"a golden slot not run tonight",
         two,
         {seen("A1", 1, "XR9N0001", P)},
         {},
         {{k_rig, "A2", "", "", ""}},
         {"", "rig fault"},
         2},
        {"the unit that errs here passes in another slot",
         two,
         {seen("A1", 1, "XR9N0002", E), seen("A2", 1, "XR9N0002", P)},
         {},
         {{k_rig, "A1", "", "", "XR9N0002"}},
         {"rig fault", ""},
         2},
        {"units swapped: the error stays with the slot",
         two,
         {seen("A1", 1, "XR9N0002", E), seen("A2", 1, "XR9N0001", P)},
         {night(d30, "A1", "XR9N0001", {E}), night(d30, "A2", "XR9N0002", {P})},
         {{k_rig, "A1", "", "XR9N0001", "XR9N0002"},
          {k_id, "A2", "fsn", "XR9N0002", "XR9N0001"},
          {k_id, "A2", "imei", imei_of("XR9N0002"), imei_of("XR9N0001")}},
         {"rig fault", "drift"},
         2},
        {"the error stays with the slot when its unit is moved",
         one,
         {seen("A1", 1, "XR9N0003", E)},
         {night(d30, "A1", "XR9N0001", {E, E})},
         {{k_rig, "A1", "", "XR9N0001", "XR9N0003"}},
         {"rig fault"},
         2},
        {"the error follows the unit: the product's",
         one,
         {seen("A1", 1, "XR9N0001", E)},
         {night(d30, "A1", "XR9N0001", {P})},
         {{k_verdict, "A1", "", "PASS", "ERROR"}, {k_new, "A1", "", "PASS", "ERROR"}},
         {"new failure"},
         1},
        {"the same unit erred here before: still the product's",
         one,
         {seen("A1", 1, "XR9N0001", E)},
         {night(d30, "A1", "XR9N0001", {E})},
         {{k_verdict, "A1", "", "PASS", "ERROR"}},
         {"verdict changed"},
         1},
        {"an ERROR nothing attributes to the product",
         expect_error,
         {seen("A1", 1, "XR9N0001", E)},
         {},
         {},
         {""},
         2},
        {"a dead slot whose golden verdict is ERROR",
         expect_error,
         {seen("A1", 1, "", E)},
         {},
         {{k_rig, "A1", "", "", ""}},
         {"rig fault"},
         2},
    };
}

class EvaluateNight : public ::testing::TestWithParam<Case> {};

TEST_P(EvaluateNight, FindsWhatChanged) {
    const Case& c = GetParam();
    SlowerThreshold threshold;
    threshold.baseline_nights = c.baseline_nights;
    const auto report = evaluate_night(c.golden, c.tonight, c.earlier, threshold, started());
    ASSERT_EQ(report.findings.size(), c.findings.size());
    for (std::size_t i = 0; i < c.findings.size(); ++i) {
        const auto& got = report.findings[i];
        const auto& want = c.findings[i];
        EXPECT_EQ(to_string(got.kind), to_string(want.kind)) << i;
        EXPECT_EQ(got.slot, want.slot) << i;
        EXPECT_EQ(got.what, want.what) << i;
        EXPECT_EQ(got.before, want.before) << i;
        EXPECT_EQ(got.now, want.now) << i;
        EXPECT_FALSE(got.detail.empty()) << i;
    }
    ASSERT_EQ(report.slots.size(), c.changes.size());
    for (std::size_t i = 0; i < c.changes.size(); ++i) {
        EXPECT_EQ(report.slots[i].change, c.changes[i]) << report.slots[i].slot;
    }
    EXPECT_EQ(regress_exit_code(report), c.exit);
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    std::string name;
    for (const char* at = info.param.name; *at; ++at) {
        name += std::isalnum(static_cast<unsigned char>(*at)) ? *at : '_';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(Drift, EvaluateNight, ::testing::ValuesIn(drift_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Change, EvaluateNight, ::testing::ValuesIn(change_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Error, EvaluateNight, ::testing::ValuesIn(error_cases()), case_name);

}  // namespace
