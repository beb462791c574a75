// The [[plan]] keys that save round trips (issue 14): yields, when, on_error_of, join. Valid
// ones load into the plan; each mistake is "<file>:<line>: <what>".
#include <profiles/loader.hpp>

#include <gtest/gtest.h>

namespace profiles {
namespace {

using drivers::router::Field;
using drivers::router::Reader;
using drivers::router::When;

const std::string k_head = R"(name = "xr90-na"
family = "xr90"
region = "na"
part_numbers = ["1104513"]
[usb]
vendor_id = 0x1199
product_ids = [0x9091]
[signals]
module_models = ["EM7565*"]
)";

// Lines 10.. are the plan.
const std::string k_plan = R"([[plan]]
commands = ["ATE0"]
when = "unparsed"
[[plan]]
commands = ["AT+CMEE=1"]
when = "plain_error"
on_error_of = ["cpin", "iccid"]
[[plan]]
commands = ["ATI"]
reader = "ati"
[[plan]]
commands = ["AT+CGSN"]
reader = "imei"
yields = ["imei"]
[[plan]]
commands = ["AT+CPIN?"]
reader = "cpin"
join = true
[[plan]]
commands = ["AT!ICCID?", "AT+CCID"]
reader = "iccid"
join = true
)";

TEST(PlanKeys, LoadIntoThePlan) {
    const auto p = parse_profile(k_head + k_plan, "p.toml", "xr90-na");
    ASSERT_TRUE(p) << p.error().message;
    const auto& steps = p->plan.steps;
    ASSERT_EQ(steps.size(), 6U);
    EXPECT_EQ(steps[0].when, When::unparsed);
    EXPECT_EQ(steps[1].when, When::plain_error);
    EXPECT_EQ(steps[1].on_error_of, (std::vector<Reader>{Reader::cpin, Reader::iccid}));
    EXPECT_EQ(steps[2].when, When::always);
    EXPECT_EQ(steps[2].yields, (std::vector<Field>{Field::model, Field::firmware, Field::fsn}))
        << "default from the reader";
    EXPECT_EQ(steps[3].yields, std::vector<Field>{Field::imei});
    EXPECT_FALSE(steps[3].join);
    EXPECT_TRUE(steps[4].join);
    EXPECT_TRUE(steps[5].join);
}

struct Mistake {
    const char* name;
    const char* from;  // text in k_plan
    const char* to;
    const char* error;
};

class PlanKeyMistake : public testing::TestWithParam<Mistake> {};

TEST_P(PlanKeyMistake, IsReportedWithFileAndLine) {
    const auto& m = GetParam();
    std::string plan = k_plan;
    const auto at = plan.find(m.from);
    ASSERT_NE(at, std::string::npos) << m.from;
    plan.replace(at, std::string(m.from).size(), m.to);
    const auto p = parse_profile(k_head + plan, "p.toml", "xr90-na");
    ASSERT_FALSE(p) << m.name;
    EXPECT_EQ(p.error().message, m.error);
}

INSTANTIATE_TEST_SUITE_P(
    Table, PlanKeyMistake,
    testing::Values(
        Mistake{"unknown_when", "when = \"unparsed\"", "when = \"sometimes\"",
                "p.toml:12: key 'plan[1].when': 'sometimes' is not one of always, plain_error, unparsed"},
        Mistake{"when_on_a_reading_step", "reader = \"ati\"", "reader = \"ati\"\nwhen = \"unparsed\"",
                "p.toml:20: key 'plan[3].when': only a setup step (reader = 'none') may wait for a cause"},
        Mistake{"plain_error_without_triggers", "on_error_of = [\"cpin\", \"iccid\"]\n", "",
                "p.toml:15: key 'plan[2].when': 'plain_error' needs on_error_of = [readers whose plain "
                "ERROR calls it]"},
        Mistake{"triggers_without_plain_error", "when = \"plain_error\"\n", "",
                "p.toml:15: key 'plan[2].on_error_of': only with when = 'plain_error'"},
        Mistake{"unknown_trigger", "[\"cpin\", \"iccid\"]", "[\"cpin\", \"sim\"]",
                "p.toml:16: key 'plan[2].on_error_of': 'sim' is not a reader (ati, imei, cpin, iccid, "
                "imsi, priid, impref)"},
        Mistake{"unknown_field", "yields = [\"imei\"]", "yields = [\"imei\", \"serial\"]",
                "p.toml:23: key 'plan[4].yields': 'serial' is not one of model, firmware, fsn, imei, "
                "sim_status, iccid, imsi, carrier_images"},
        Mistake{"join_without_reader", "commands = [\"ATE0\"]\n",
                "commands = [\"ATE0\"]\njoin = true\n",
                "p.toml:12: key 'plan[1].join': only a step with a reader may join the combined line"},
        Mistake{"join_not_boolean", "join = true\n[[plan]]\ncommands = [\"AT!ICCID?\"",
                "join = \"yes\"\n[[plan]]\ncommands = [\"AT!ICCID?\"",
                "p.toml:27: key 'plan[5].join': expected true or false, got string"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(PlanKeys, ShippedProfilesJoinTheSimQueriesAndCallSetupOnDemand) {
    for (const auto* name : {"xr90-na", "xr90-global", "em7565"}) {
        const auto p = load_profile(std::string(STATION_SOURCE_DIR "/profiles/") + name + ".toml");
        ASSERT_TRUE(p) << p.error().message;
        ASSERT_FALSE(p->plan.steps.empty()) << name;
        std::size_t joined = 0;
        for (const auto& step : p->plan.steps) {
            if (step.reader == Reader::none) {
                EXPECT_NE(step.when, When::always) << name;
            }
            joined += step.join ? 1 : 0;
        }
        EXPECT_GE(joined, 2U) << name;
    }
}

}  // namespace
}  // namespace profiles
