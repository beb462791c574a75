// SKU profiles as a set, through the built station: `identify --profile` shows the decided
// profile beside the one whose command plan ran, and a profile set in which one manifest line
// could name profiles of two data centers (a part number listed twice), or whose shared tables
// list a SIM issuer for both regions, is refused by `profiles check` and stops identify and
// provision before any unit is touched (exit 64).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;

constexpr std::chrono::seconds k_bound{60};
const std::string k_shipped = STATION_SOURCE_DIR "/profiles/";

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ProfileSet : public testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_bench = std::make_unique<tests::SimBench>(
            std::vector<std::string>{"xr90-na", "xr90-global-att-sim"}, std::vector<std::string>{},
            std::vector<std::string>{"--latency-ms", "0"});
    }
    static void TearDownTestSuite() { s_bench.reset(); }

    static std::string port(const std::string& personality) {
        return s_bench->port_of(personality);
    }

    static json identify_json(const std::string& personality, std::vector<std::string> extra) {
        std::vector<std::string> argv{tests::station_binary(), "identify", "--port",
                                      port(personality),       "--json",   "--manifest",
                                      s_bench->manifest()};
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
    const auto r =
        tests::run_process({tests::station_binary(), "identify", "--port", port("xr90-na"),
                            "--profile", "xr90-global", "--manifest", s_bench->manifest()},
                           k_bound);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("profile         xr90-na\nplan            xr90-global\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("region          NA\n"), std::string::npos) << r.out;
}

// --- item: one manifest line that could name profiles of two data centers ------------------

class OverlappingProfiles : public ProfileSet {
  protected:
    void SetUp() override {
        for (const char* file : {"xr90-na.toml", "networks.toml"}) {
            std::filesystem::copy_file(k_shipped + file, m_dir.path() + "/" + file);
        }
        std::string global = read_file(k_shipped + "xr90-global.toml");
        const std::string parts = "part_numbers = [\"1104514\"]";
        ASSERT_NE(global.find(parts), std::string::npos);
        global.replace(global.find(parts), parts.size(),
                       "part_numbers = [\"1104514\", \"1104513\"]");
        std::ofstream(m_dir.path() + "/xr90-global.toml") << global;
    }

    // The one message naming the part number, both profiles and the two data centers.
    void expect_named(const std::string& text) const {
        EXPECT_NE(text.find(m_dir.path() +
                            "/xr90-na.toml: part number '1104513' is also listed by xr90-global "
                            "(xr90-global, Global -> eu data center; xr90-na, NA -> na data "
                            "center): one manifest line would name two profiles"),
                  std::string::npos)
            << text;
    }

    tests::TempDir m_dir;
};

TEST_F(OverlappingProfiles, ProfilesCheckReportsThePartNumber) {
    const auto r = tests::run_process(
        {tests::station_binary(), "profiles", "check", "--profiles-dir", m_dir.path()}, k_bound);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    expect_named(r.out);
    EXPECT_NE(r.out.find("2 profile(s) loaded, 1 error(s)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("ok     " + m_dir.path() + "/networks.toml ("), std::string::npos)
        << r.out;
}

TEST_F(OverlappingProfiles, IdentifyStopsBeforeTheUnitIsTouched) {
    const auto r =
        tests::run_process({tests::station_binary(), "identify", "--port", port("xr90-na"),
                            "--profile", "xr90-na", "--json", "--profiles-dir", m_dir.path()},
                           k_bound);
    EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    expect_named(r.err);
}

TEST_F(OverlappingProfiles, ProvisionStopsBeforeAnyUnitIsTouched) {
    const std::string db = m_dir.path() + "/station.db";
    const auto r =
        tests::run_process({tests::station_binary(), "provision", "--profile", "xr90-na",
                            "--pallet", "P-1", "--db", db, "--port", port("xr90-na"),
                            "--profiles-dir", m_dir.path(), "--manifest", s_bench->manifest()},
                           k_bound);
    EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
    expect_named(r.err);
    EXPECT_FALSE(std::filesystem::exists(db)) << "no run was started";
}

TEST_F(OverlappingProfiles, AnIssuerListedForBothRegionsIsRefused) {
    std::string global = read_file(k_shipped + "xr90-global.toml");
    std::ofstream(m_dir.path() + "/xr90-global.toml") << global;  // distinct part numbers again
    std::ofstream(m_dir.path() + "/networks.toml", std::ios::app)
        << "\n[[issuer]]\nprefix = \"8901410\"\nname = \"AT&T, listed again\"\n"
           "votes = \"global\"\n";
    const auto r = tests::run_process(
        {tests::station_binary(), "profiles", "check", "--profiles-dir", m_dir.path()}, k_bound);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("error  " + m_dir.path() + "/networks.toml:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("is listed for both regions (na at line"), std::string::npos) << r.out;
}

TEST_F(OverlappingProfiles, DistinctPartNumbersPass) {
    std::string global = read_file(k_shipped + "xr90-global.toml");
    std::ofstream(m_dir.path() + "/xr90-global.toml") << global;
    const auto r = tests::run_process(
        {tests::station_binary(), "profiles", "check", "--profiles-dir", m_dir.path()}, k_bound);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    const auto doc = identify_json(
        "xr90-na", {"--profile", "xr90-na", "--expect", "xr90-na", "--profiles-dir", m_dir.path()});
    ASSERT_TRUE(doc.is_object());
    EXPECT_EQ(doc["outcome"], "PASS") << doc["message"];
}

}  // namespace
