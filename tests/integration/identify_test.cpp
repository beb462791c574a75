// The built `station identify` against routersim: every personality, every fault, bad input.
// Each case must end in its outcome, reason and exit code: never a hang, crash or silent PASS.
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <drivers/router/identity_plan.hpp>
#include <fixtures/routersim/personality.hpp>

#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;
using std::chrono::seconds;
using tests::run_process;
using tests::SimBench;

constexpr seconds k_run_bound{30};

struct Identified {
    tests::ProcessResult process;
    json doc;
};

Identified identify(const std::string& port, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{tests::station_binary(), "identify", "--port", port, "--json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Identified result{run_process(argv, k_run_bound), {}};
    result.doc = json::parse(result.process.out, nullptr, false);
    return result;
}

std::vector<std::string> shipped_personalities() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(tests::personality_dir())) {
        if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

class IdentifyPersonality : public testing::TestWithParam<std::string> {};

TEST_P(IdentifyPersonality, PassesWithTheSimulatedIdentity) {
    const auto personality = fixtures::routersim::load_personality(tests::personality_dir() + "/" +
                                                                   GetParam() + ".toml");
    ASSERT_TRUE(personality) << personality.error().message;
    SimBench bench({GetParam()}, {});
    ASSERT_EQ(bench.ports().size(), 1U);
    const auto r = identify(bench.ports()[0].path);
    ASSERT_FALSE(r.process.timed_out);
    ASSERT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
    ASSERT_TRUE(r.doc.is_object()) << r.process.out;
    EXPECT_EQ(r.doc["outcome"], "PASS");
    EXPECT_TRUE(r.doc["reason"].is_null());
    EXPECT_EQ(r.doc["port"], bench.ports()[0].path);
    EXPECT_EQ(r.doc["model"], personality->model);
    EXPECT_EQ(r.doc["imei"], personality->imei);
    EXPECT_EQ(r.doc["iccid"], personality->iccid);
    EXPECT_EQ(r.doc["imsi"], personality->imsi);
    if (!personality->fsn.empty() &&
        personality->ati_style == fixtures::routersim::AtiStyle::labelled) {
        EXPECT_EQ(r.doc["fsn"], personality->fsn);
    }
    EXPECT_EQ(r.doc["sim_status"], "ready");
    // The station tries the forms in its default order; the first one this module knows wins.
    std::string expected_command;
    for (const auto& command : drivers::router::default_iccid_commands()) {
        for (const auto form : personality->iccid_commands) {
            if (expected_command.empty() && fixtures::routersim::command_text(form) == command) {
                expected_command = command;
            }
        }
    }
    EXPECT_EQ(r.doc["iccid_command"], expected_command);
    EXPECT_TRUE(r.doc["carrier_images"].is_array());
}

INSTANTIATE_TEST_SUITE_P(Shipped, IdentifyPersonality, testing::ValuesIn(shipped_personalities()),
                         [](const auto& row) {
                             std::string name = row.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

struct FaultCase {
    const char* fault;
    const char* outcome;
    const char* reason;  // nullptr: PASS
    int exit_code;
};

class IdentifyFault : public testing::TestWithParam<FaultCase> {};

TEST_P(IdentifyFault, EndsInItsOutcomeAndReason) {
    const auto& c = GetParam();
    // stale_ok (an OK 50 ms after every answer) at 100 ms per command: the stale OK always
    // comes before the next answer. At the personality's 20 ms, identify (AT, ATI and one
    // combined line) may end before any stale OK arrives, or not: the outcome would hang on
    // timing (it was decided by the 60 ms quiet wait after the first AT, no longer made).
    const std::string fault = c.fault;
    SimBench bench({"em7455-att"}, {c.fault},
                   fault == "stale_ok" ? std::vector<std::string>{"--latency-ms", "100"}
                                       : std::vector<std::string>{});
    ASSERT_EQ(bench.ports().size(), 1U);
    const auto r = identify(bench.ports()[0].path, {"--timeout-ms", "400"});
    ASSERT_FALSE(r.process.timed_out) << c.fault;
    ASSERT_TRUE(r.doc.is_object()) << c.fault << ": " << r.process.out << r.process.err;
    EXPECT_EQ(r.process.exit_code, c.exit_code) << c.fault << ": " << r.doc.dump();
    EXPECT_EQ(r.doc["outcome"], c.outcome) << c.fault << ": " << r.doc["message"];
    if (c.reason == nullptr) {
        EXPECT_TRUE(r.doc["reason"].is_null());
        EXPECT_EQ(r.doc["imei"], "359072060054893");
        EXPECT_EQ(r.doc["iccid"], "89014103211118510720");
    } else {
        EXPECT_EQ(r.doc["reason"], c.reason) << c.fault << ": " << r.doc["message"];
        const std::string message = r.doc["message"];
        EXPECT_EQ(message.rfind(bench.ports()[0].path + ":", 0), 0U) << message;
    }
}

INSTANTIATE_TEST_SUITE_P(Table, IdentifyFault,
                         testing::Values(FaultCase{"no_sim", "FAIL", "sim_not_inserted", 1},
                                         FaultCase{"pin_locked", "FAIL", "sim_pin_required", 1},
                                         FaultCase{"invalid_iccid", "FAIL", "iccid_invalid", 1},
                                         FaultCase{"silent", "ERROR", "no_response", 2},
                                         FaultCase{"late=3000", "ERROR", "no_response", 2},
                                         // lost at ATI; lost on the combined line (the
                                         // whole plan is ATI and one line now)
                                         FaultCase{"drop_after=0", "ERROR", "port_lost", 2},
                                         FaultCase{"drop_after=1", "ERROR", "port_lost", 2},
                                         FaultCase{"endless", "ERROR", "response_too_large", 2},
                                         FaultCase{"stale_ok", "ERROR", "protocol_error", 2},
                                         FaultCase{"garbage_before", "PASS", nullptr, 0},
                                         FaultCase{"garbage_inside", "PASS", nullptr, 0},
                                         FaultCase{"urc_storm", "PASS", nullptr, 0}),
                         [](const auto& row) {
                             std::string name = row.param.fault;
                             std::replace(name.begin(), name.end(), '=', '_');
                             return name;
                         });

TEST(IdentifyCli, MissingPortIsPortUnavailable) {
    const auto r = identify("/dev/does-not-exist");
    EXPECT_EQ(r.process.exit_code, 2);
    EXPECT_EQ(r.doc["outcome"], "ERROR");
    EXPECT_EQ(r.doc["reason"], "port_unavailable");
    EXPECT_NE(r.doc["message"].get<std::string>().find("/dev/does-not-exist"), std::string::npos);
}

TEST(IdentifyCli, NonTtyIsPortUnavailable) {
    tests::TempDir dir;
    const std::string file = dir.path() + "/not-a-tty";
    std::ofstream(file) << "x";
    const auto r = identify(file);
    EXPECT_EQ(r.process.exit_code, 2);
    EXPECT_EQ(r.doc["reason"], "port_unavailable");
}

struct UsageCase {
    std::vector<std::string> args;
    const char* says;
};

class IdentifyUsage : public testing::TestWithParam<UsageCase> {};

TEST_P(IdentifyUsage, BadUsageExits64WithAClearError) {
    std::vector<std::string> argv{tests::station_binary()};
    argv.insert(argv.end(), GetParam().args.begin(), GetParam().args.end());
    const auto r = run_process(argv, k_run_bound);
    EXPECT_EQ(r.exit_code, 64);
    // a command names itself; with none (or an unknown one) there is none to name
    const bool named = !GetParam().args.empty() && GetParam().args.front() == "identify";
    EXPECT_EQ(r.err.rfind(named ? "station: identify: error: " : "station: error: ", 0), 0U)
        << r.err;
    EXPECT_NE(r.err.find(GetParam().says), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, IdentifyUsage,
    testing::Values(
        UsageCase{{}, "no command"}, UsageCase{{"frobnicate"}, "unknown command 'frobnicate'"},
        UsageCase{{"identify"}, "--port"}, UsageCase{{"identify", "--port"}, "--port"},
        UsageCase{{"identify", "--port", "/dev/x", "--timeout-ms", "0"}, "--timeout-ms"},
        UsageCase{{"identify", "--port", "/dev/x", "--timeout-ms", "abc"}, "timeout-ms"},
        UsageCase{{"identify", "--port", "/dev/x", "--baud", "12345"}, "--baud"},
        UsageCase{{"identify", "--port", "/dev/x", "--bogus"}, "--bogus"}),
    [](const auto& row) { return "row" + std::to_string(row.index); });

TEST(IdentifyOutput, DeviceStringsCannotReachTheTerminalRaw) {
    tests::TempDir dir;
    std::ifstream in(tests::personality_dir() + "/em7455-att.toml");
    std::stringstream text;
    text << in.rdbuf();
    std::string toml = text.str();
    const std::string from = "model = \"EM7455\"";
    const auto at = toml.find(from);
    ASSERT_NE(at, std::string::npos);
    toml.replace(at, from.size(), "model = \"EM\\u001b[2J\\u001b]0;owned\\u0007\"");
    const std::string file = dir.path() + "/hostile.toml";
    std::ofstream(file) << toml;
    SimBench bench({file}, {});
    ASSERT_EQ(bench.ports().size(), 1U);
    // The channel sets a line with control bytes aside as noise: it never becomes a field,
    // and the transcript shows it escaped.
    const auto text_run = run_process(
        {tests::station_binary(), "identify", "--port", bench.ports()[0].path, "--transcript"},
        k_run_bound);
    EXPECT_EQ(text_run.out.find('\x1b'), std::string::npos) << text_run.out;
    EXPECT_EQ(text_run.out.find('\x07'), std::string::npos);
    EXPECT_NE(text_run.out.find("Model: EM\\x1b[2J\\x1b]0;owned\\x07"), std::string::npos)
        << text_run.out;
    const auto json_run = identify(bench.ports()[0].path, {"--transcript"});
    EXPECT_EQ(json_run.process.out.find('\x1b'), std::string::npos);
    EXPECT_NE(json_run.process.out.find("\\u001b[2J"), std::string::npos);
    EXPECT_TRUE(json_run.doc["model"].is_null());
}

TEST(IdentifyOutput, TranscriptHasBothDirections) {
    SimBench bench({"xr90-na"}, {});
    ASSERT_EQ(bench.ports().size(), 1U);
    const auto r = identify(bench.ports()[0].path, {"--transcript"});
    ASSERT_TRUE(r.doc.contains("transcript"));
    bool tx = false;
    bool rx = false;
    for (const auto& entry : r.doc["transcript"]) {
        tx = tx || (entry["dir"] == "tx" && entry["data"] == "ATI\r");
        rx = rx || (entry["dir"] == "rx" &&
                    entry["data"].get<std::string>().find("!ICCID:") != std::string::npos);
    }
    EXPECT_TRUE(tx);
    EXPECT_TRUE(rx);
    const auto text = run_process(
        {tests::station_binary(), "identify", "--port", bench.ports()[0].path, "--transcript"},
        k_run_bound);
    // The joinable queries go out as one line (AT+CGSN is not sent: ATI's IMEI is valid).
    EXPECT_NE(text.out.find(">> AT+CPIN?;!ICCID?;+CIMI;!PRIID?\\r"), std::string::npos) << text.out;
}

// A station killed in the middle of a command leaves a slow module still answering it; the next
// station on that port must resynchronise and read the unit's identity, not a shifted answer.
// (Before resyncs settled after an unclean answer, every one of these ended protocol_error.)
TEST(IdentifyRecovery, StationKilledMidCommandThenNextIdentifyPasses) {
    const auto personality =
        fixtures::routersim::load_personality(tests::personality_dir() + "/xr90-na.toml");
    ASSERT_TRUE(personality) << personality.error().message;
    for (const int killed_after_ms : {500, 1500}) {
        SimBench bench({"xr90-na"}, {}, {"--latency-ms", "300"});
        ASSERT_EQ(bench.ports().size(), 1U);
        const std::string port = bench.ports()[0].path;
        {
            tests::BackgroundProcess killed(
                {tests::station_binary(), "identify", "--port", port, "--timeout-ms", "2000"});
            std::this_thread::sleep_for(std::chrono::milliseconds(killed_after_ms));
            killed.signal(SIGKILL);
            ASSERT_TRUE(killed.wait(std::chrono::seconds(5)));
        }
        const auto again = identify(port, {"--timeout-ms", "2000"});
        ASSERT_EQ(again.process.exit_code, 0) << "killed after " << killed_after_ms << " ms\n"
                                              << again.process.out << again.process.err;
        EXPECT_EQ(again.doc["iccid"], personality->iccid);
        EXPECT_EQ(again.doc["imei"], personality->imei);
        EXPECT_EQ(again.doc["fsn"], bench.ports()[0].fsn);
    }
}

}  // namespace
