// SKU profiles as a set, through the built station: `identify --profile` shows the decided
// profile beside the one whose command plan ran.
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;

constexpr std::chrono::seconds k_bound{60};

class ProfileSet : public testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_bench = std::make_unique<tests::SimBench>(
            std::vector<std::string>{"xr90-na", "xr90-global-att-sim"}, std::vector<std::string>{},
            std::vector<std::string>{"--latency-ms", "0"});
    }
    static void TearDownTestSuite() { s_bench.reset(); }

    static std::string port(const std::string& personality) {
        for (const auto& p : s_bench->ports()) {
            if (p.personality == personality) return p.path;
        }
        return "/nonexistent";
    }

    static json identify_json(const std::string& personality, std::vector<std::string> extra) {
        std::vector<std::string> argv{tests::station_binary(), "identify", "--port",
                                      port(personality), "--json"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        const auto r = tests::run_process(argv, k_bound);
        return json::parse(r.out, nullptr, false);
    }

    static inline std::unique_ptr<tests::SimBench> s_bench;
};

// --- item: identify shows the decided profile and the plan ---------------------------------

struct ShownCase {
    const char* name;
    const char* personality;
    std::vector<std::string> args;
    json profile;  // decided; null when undecided
    const char* plan;
    json region;
};

void PrintTo(const ShownCase& c, std::ostream* os) {
    *os << c.name;
}

const std::vector<ShownCase> k_shown{
    {"na_unit_with_global_plan",
     "xr90-na",
     {"--profile", "xr90-global"},
     "xr90-na",
     "xr90-global",
     "na"},
    {"na_unit_with_global_plan_on_global_pallet",
     "xr90-na",
     {"--expect", "xr90-global"},
     "xr90-na",
     "xr90-global",
     "na"},
    {"na_unit_own_plan", "xr90-na", {"--profile", "xr90-na"}, "xr90-na", "xr90-na", "na"},
    {"conflicting_signals_undecided",
     "xr90-global-att-sim",
     {"--profile", "xr90-na"},
     nullptr,
     "xr90-na",
     nullptr},
};

class ProfileShown : public ProfileSet, public testing::WithParamInterface<ShownCase> {};

TEST_P(ProfileShown, JsonNamesDecidedProfileAndPlan) {
    const ShownCase& c = GetParam();
    const auto doc = identify_json(c.personality, c.args);
    ASSERT_TRUE(doc.is_object());
    EXPECT_EQ(doc["profile"], c.profile) << doc.dump();
    EXPECT_EQ(doc["plan"], c.plan);
    EXPECT_EQ(doc["region"], c.region);
}

INSTANTIATE_TEST_SUITE_P(Table, ProfileShown, testing::ValuesIn(k_shown),
                         [](const auto& row) { return std::string(row.param.name); });

TEST_F(ProfileSet, TextViewNamesBoth) {
    const auto r = tests::run_process({tests::station_binary(), "identify", "--port",
                                       port("xr90-na"), "--profile", "xr90-global"},
                                      k_bound);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("profile         xr90-na\nplan            xr90-global\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("region          NA\n"), std::string::npos) << r.out;
}

}  // namespace
