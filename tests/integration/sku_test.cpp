// The built `station identify --profile/--expect` against routersim: every shipped XR profile
// routes its unit to the right data center, and every conflicting case ends in its reason.
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

constexpr std::chrono::seconds k_run_bound{30};

const std::vector<std::string> k_personalities{"xr90-na",
                                               "xr90-global",
                                               "xr80-na",
                                               "xr80-global",
                                               "xr60-na",
                                               "xr60-global",
                                               "em7455-att",
                                               "em7565-tmo",
                                               "em9191-generic",
                                               "xr90-global-att-sim",
                                               "xr90-global-eu-sim",
                                               "xr90-na-old-firmware",
                                               "xr99-unknown"};

// One routersim with every personality, shared by the suite (each unit is its own pty).
class SkuIdentify : public testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_bench = std::make_unique<tests::SimBench>(k_personalities, std::vector<std::string>{},
                                                    std::vector<std::string>{"--latency-ms", "0"});
    }
    static void TearDownTestSuite() { s_bench.reset(); }

    static std::string port(const std::string& personality) {
        return s_bench->port_of(personality);
    }

    struct Run {
        tests::ProcessResult process;
        json doc;
    };

    static Run identify(const std::string& personality, std::vector<std::string> extra,
                        bool as_json = true, bool manifest = true) {
        std::vector<std::string> argv{tests::station_binary(), "identify", "--port",
                                      port(personality)};
        if (manifest) {
            argv.emplace_back("--manifest");
            argv.push_back(s_bench->manifest());
        }
        if (as_json) argv.emplace_back("--json");
        argv.insert(argv.end(), extra.begin(), extra.end());
        Run r{tests::run_process(argv, k_run_bound), {}};
        if (as_json) r.doc = json::parse(r.process.out, nullptr, false);
        return r;
    }

    static inline std::unique_ptr<tests::SimBench> s_bench;
};

struct Case {
    std::string name;
    std::string personality;
    std::vector<std::string> args;
    bool manifest;  // with --manifest (the simulator's packing list of every unit)
    int exit_code;
    std::string outcome;
    std::string reason;       // "" for null
    std::string region;       // "" for null
    std::string data_center;  // "" for null
    std::string basis;        // "" for null
    std::string message_has;
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name;
}

std::vector<Case> cases() {
    const std::string na = "https://na.airvantage.net";
    const std::string eu = "https://eu.airvantage.net";
    return {
        {"xr90_na",
         "xr90-na",
         {"--profile", "xr90-na", "--expect", "xr90-na"},
         true,
         0,
         "PASS",
         "",
         "na",
         "na",
         "manifest",
         "NA xr90 (xr90-na, by manifest) -> na data center (" + na + ")"},
        {"xr90_global",
         "xr90-global",
         {"--expect", "xr90-global"},
         true,
         0,
         "PASS",
         "",
         "global",
         "eu",
         "manifest",
         "Global xr90 (xr90-global, by manifest) -> eu data center (" + eu + ")"},
        {"xr80_na",
         "xr80-na",
         {"--expect", "xr80-na"},
         true,
         0,
         "PASS",
         "",
         "na",
         "na",
         "manifest",
         "NA xr80"},
        {"xr80_global",
         "xr80-global",
         {"--expect", "xr80-global"},
         true,
         0,
         "PASS",
         "",
         "global",
         "eu",
         "manifest",
         "Global xr80"},
        {"xr60_na",
         "xr60-na",
         {"--expect", "xr60-na"},
         true,
         0,
         "PASS",
         "",
         "na",
         "na",
         "manifest",
         "NA xr60"},
        {"xr60_global",
         "xr60-global",
         {"--expect", "xr60-global"},
         true,
         0,
         "PASS",
         "",
         "global",
         "eu",
         "manifest",
         "Global xr60"},
        {"na_unit_on_its_own_word",
         "xr90-na",
         {"--expect", "xr90-na"},
         false,
         0,
         "PASS",
         "",
         "na",
         "na",
         "unit_signals",
         "NA xr90 (xr90-na, by unit_signals)"},
        {"global_unit_on_its_own_word",
         "xr90-global",
         {"--expect", "xr90-global"},
         false,
         1,
         "FAIL",
         "sku_undecided",
         "",
         "",
         "",
         "no signal votes a region"},
        {"em7455_module_names_the_profile",
         "em7455-att",
         {"--profile", "em7455"},
         false,
         0,
         "PASS",
         "",
         "na",
         "na",
         "unit_signals",
         "NA em7455 (em7455, by unit_signals)"},
        {"em7565_module_of_two_profiles",
         "em7565-tmo",
         {"--profile", "em7565"},
         false,
         1,
         "FAIL",
         "sku_undecided",
         "",
         "",
         "",
         "module EM7565 is carried by several NA profiles"},
        {"em7565_pallet_named",
         "em7565-tmo",
         {"--expect", "em7565"},
         false,
         0,
         "PASS",
         "",
         "na",
         "na",
         "unit_signals",
         "NA em7565"},
        {"em9191_the_sim_alone",
         "em9191-generic",
         {"--profile", "em9191"},
         false,
         1,
         "FAIL",
         "sku_undecided",
         "",
         "",
         "",
         "only the SIM"},
        {"profile_plan_without_expect",
         "xr90-global",
         {"--profile", "xr90-na"},
         true,
         0,
         "PASS",
         "",
         "global",
         "eu",
         "manifest",
         "Global xr90"},
        {"global_unit_on_na_pallet",
         "xr90-global",
         {"--profile", "xr90-na", "--expect", "xr90-na"},
         true,
         1,
         "FAIL",
         "sku_mismatch",
         "global",
         "eu",
         "manifest",
         "unit is Global xr90 (xr90-global, by manifest), pallet profile is xr90-na"},
        {"na_unit_on_global_pallet",
         "xr80-na",
         {"--expect", "xr80-global"},
         true,
         1,
         "FAIL",
         "sku_mismatch",
         "na",
         "na",
         "manifest",
         "unit is NA xr80 (xr80-na, by manifest), pallet profile is xr80-global"},
        {"other_family",
         "xr60-na",
         {"--expect", "xr90-na"},
         true,
         1,
         "FAIL",
         "sku_mismatch",
         "na",
         "na",
         "manifest",
         "unit is NA xr60 (xr60-na, by manifest), pallet profile is xr90-na"},
        {"global_unit_with_na_sim",
         "xr90-global-att-sim",
         {"--expect", "xr90-global"},
         true,
         1,
         "FAIL",
         "sku_conflicting_signals",
         "",
         "",
         "",
         "signals disagree: manifest 1104514 says Global, but imsi 310410730099120 says NA"},
        {"global_unit_with_eu_sim",
         "xr90-global-eu-sim",
         {"--expect", "xr90-global"},
         true,
         0,
         "PASS",
         "",
         "global",
         "eu",
         "manifest",
         "Global xr90"},
        {"old_firmware",
         "xr90-na-old-firmware",
         {"--expect", "xr90-na"},
         true,
         1,
         "FAIL",
         "firmware_too_old",
         "na",
         "na",
         "manifest",
         "older than xr90-na's minimum 01.14.00.00"},
        {"not_on_manifest",
         "xr99-unknown",
         {"--profile", "xr90-na"},
         true,
         1,
         "FAIL",
         "not_on_manifest",
         "",
         "",
         "",
         "XR9X2401010001"},
        {"unknown_module",
         "xr99-unknown",
         {"--profile", "xr90-na"},
         false,
         1,
         "FAIL",
         "sku_unknown",
         "",
         "",
         "",
         "module EM9999 is carried by no NA profile"},
    };
}

class SkuCase : public SkuIdentify, public testing::WithParamInterface<Case> {};

json null_or(const std::string& text) {
    return text.empty() ? json(nullptr) : json(text);
}

TEST_P(SkuCase, EndsInItsVerdictWithEverySignal) {
    const Case& c = GetParam();
    const auto r = identify(c.personality, c.args, true, c.manifest);
    ASSERT_FALSE(r.process.timed_out);
    ASSERT_TRUE(r.doc.is_object()) << r.process.out << r.process.err;
    EXPECT_EQ(r.process.exit_code, c.exit_code) << r.process.err;
    EXPECT_EQ(r.doc["outcome"], c.outcome);
    EXPECT_EQ(r.doc["reason"], null_or(c.reason));
    EXPECT_EQ(r.doc["region"], null_or(c.region));
    EXPECT_EQ(r.doc["data_center"], null_or(c.data_center));
    EXPECT_EQ(r.doc["sku_basis"], null_or(c.basis));
    EXPECT_NE(r.doc["message"].get<std::string>().find(c.message_has), std::string::npos)
        << r.doc["message"];
    // With a manifest its vote comes first; every signal carries a source, a vote and a basis,
    // and the module model is always there, never voting a region.
    ASSERT_TRUE(r.doc["signals"].is_array());
    ASSERT_FALSE(r.doc["signals"].empty());
    if (c.manifest) {
        EXPECT_EQ(r.doc["signals"][0]["source"], "manifest");
    }
    EXPECT_EQ(r.doc["signals"].back()["source"], "module_model");
    EXPECT_EQ(r.doc["signals"].back()["votes"], "none");
    for (const auto& s : r.doc["signals"]) {
        EXPECT_EQ(s["signal"], s["source"]) << s;
        EXPECT_TRUE(s["votes"] == "na" || s["votes"] == "global" || s["votes"] == "none") << s;
        EXPECT_FALSE(s["basis"].get<std::string>().empty());
    }
    if (!c.data_center.empty()) {
        EXPECT_EQ(r.doc["data_center_url"], "https://" + c.data_center + ".airvantage.net");
    }
}

INSTANTIATE_TEST_SUITE_P(Table, SkuCase, testing::ValuesIn(cases()),
                         [](const auto& test_case) { return test_case.param.name; });

TEST_F(SkuIdentify, RunsTheProfilesPlan) {
    // xr60-na's profile has no carrier image steps; the default plan would send AT!PRIID?.
    const auto r = identify("xr60-na", {"--profile", "xr60-na"});
    ASSERT_TRUE(r.doc.is_object()) << r.process.out;
    std::vector<std::string> commands;
    for (const auto& step : r.doc["steps"]) commands.push_back(step["command"]);
    EXPECT_EQ(std::count(commands.begin(), commands.end(), "AT!PRIID?"), 0);
    EXPECT_EQ(std::count(commands.begin(), commands.end(), "AT#CCID"), 1);
    EXPECT_EQ(r.doc["iccid_command"], "AT#CCID");
    EXPECT_EQ(r.doc["profile"], "xr60-na");
    EXPECT_EQ(r.doc["plan"], "xr60-na");
    EXPECT_TRUE(r.doc["expected_profile"].is_null());
}

TEST_F(SkuIdentify, HumanOutputShowsRegionDataCenterAndVotes) {
    const auto r = identify("xr90-global-att-sim", {"--expect", "xr90-global"}, false);
    EXPECT_EQ(r.process.exit_code, 1);
    // The signals conflict: no profile is decided, whatever the model matched.
    EXPECT_NE(r.process.out.find("profile         undecided  (pallet: xr90-global)\n"
                                 "plan            xr90-global\n"),
              std::string::npos)
        << r.process.out;
    EXPECT_NE(r.process.out.find("signals\n  manifest      1104514"), std::string::npos)
        << r.process.out;
    EXPECT_NE(r.process.out.find("outcome         FAIL sku_conflicting_signals"),
              std::string::npos);
    EXPECT_NE(r.process.err.find("signals disagree"), std::string::npos) << r.process.err;
}

class SkuBadInput : public testing::Test {
  protected:
    tests::TempDir m_dir;
};

TEST_F(SkuBadInput, BrokenProfileStopsBeforeTheUnitIsTouched) {
    std::filesystem::copy_file(STATION_SOURCE_DIR "/profiles/xr90-na.toml",
                               m_dir.path() + "/xr90-na.toml");
    std::ifstream shipped(STATION_SOURCE_DIR "/profiles/xr90-global.toml");
    std::string text((std::istreambuf_iterator<char>(shipped)), std::istreambuf_iterator<char>());
    text.replace(text.find("region = \"global\""), 17, "region = \"eu\"");
    std::ofstream(m_dir.path() + "/xr90-global.toml") << text;
    // The port does not exist: a usage error must come first, not port_unavailable.
    const auto r = tests::run_process({tests::station_binary(), "identify", "--port", "/dev/null-x",
                                       "--expect", "xr90-na", "--profiles-dir", m_dir.path()},
                                      k_run_bound);
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_NE(r.err.find(m_dir.path() + "/xr90-global.toml:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(": key 'region': 'eu' is not one of na, global"), std::string::npos)
        << r.err;
}

TEST_F(SkuBadInput, UnknownProfileNamesTheKnownOnes) {
    const auto r = tests::run_process(
        {tests::station_binary(), "identify", "--port", "/dev/null-x", "--expect", "xr95-na"},
        k_run_bound);
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_NE(r.err.find("--expect: no profile 'xr95-na' (known: em7455, em7565"),
              std::string::npos)
        << r.err;
}

TEST_F(SkuBadInput, ProfilesCheckReportsEachFile) {
    std::ofstream(m_dir.path() + "/xr90-na.toml") << "name = \"xr90-na\"\ndata_centre = \"na\"\n";
    const auto r = tests::run_process(
        {tests::station_binary(), "profiles", "check", m_dir.path() + "/xr90-na.toml",
         STATION_SOURCE_DIR "/profiles/xr80-na.toml"},
        k_run_bound);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("error  " + m_dir.path() + "/xr90-na.toml:2: unknown key 'data_centre'"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("ok     " STATION_SOURCE_DIR "/profiles/xr80-na.toml"), std::string::npos);
    const auto shipped =
        tests::run_process({tests::station_binary(), "profiles", "check"}, k_run_bound);
    EXPECT_EQ(shipped.exit_code, 0) << shipped.out;
    const auto list =
        tests::run_process({tests::station_binary(), "profiles", "list", "--json"}, k_run_bound);
    const auto doc = json::parse(list.out, nullptr, false);
    ASSERT_TRUE(doc.is_array()) << list.out;
    EXPECT_GE(doc.size(), 9U);
    const auto bad = tests::run_process({tests::station_binary(), "profiles", "lst"}, k_run_bound);
    EXPECT_EQ(bad.exit_code, 64);
    EXPECT_NE(bad.err.find("station: profiles: error: unknown action 'lst'"), std::string::npos)
        << bad.err;
}

TEST_F(SkuIdentify, IdentifyFailureComesBeforeTheDecision) {
    tests::SimBench nosim({"xr90-na"}, {"no_sim"});
    ASSERT_EQ(nosim.ports().size(), 1U);
    const auto r = tests::run_process({tests::station_binary(), "identify", "--port",
                                       nosim.ports()[0].path, "--json", "--expect", "xr90-na"},
                                      k_run_bound);
    const auto doc = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << r.out;
    EXPECT_EQ(doc["reason"], "sim_not_inserted");
    EXPECT_TRUE(doc["region"].is_null());
    EXPECT_TRUE(doc["signals"].empty());
    EXPECT_EQ(doc["expected_profile"], "xr90-na");
}

}  // namespace
