// What the operator and the scripts around the station see, through the built binary: the live
// table on an 80-column terminal, the --watch shift line, --json-events' run field and closing
// summary, one station per port, a missing --port, rig files with several mistakes, and the
// verbs' --help.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "json_lines.hpp"
#include "process.hpp"
#include "sim_bench.hpp"
#include "terminal_process.hpp"

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::chrono::seconds k_bound{60};

class OperatorView : public testing::Test {
  protected:
    std::vector<std::string> provision(const std::vector<std::string>& ports,
                                       std::vector<std::string> extra = {}) const {
        std::vector<std::string> a{tests::station_binary(),
                                   "provision",
                                   "--profile",
                                   "xr90-na",
                                   "--pallet",
                                   "P-80",
                                   "--operator",
                                   "tester",
                                   "--db",
                                   m_dir.path() + "/station.db",
                                   "--timeout-ms",
                                   "1000"};
        for (const auto& port : ports) {
            a.push_back("--port");
            a.push_back(port);
        }
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }
    static std::vector<std::string> paths(const tests::SimBench& bench) {
        std::vector<std::string> out;
        for (const auto& port : bench.ports()) out.push_back(port.path);
        return out;
    }

    tests::TempDir m_dir;
};

// A wrong-SKU unit's reason and most of its message fit an 80-column terminal's row.
TEST_F(OperatorView, LiveTableFitsEightyColumnsAndTheReasonGetsTheRoom) {
    tests::SimBench bench({"xr90-na", "xr90-global"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 2U);
    tests::TerminalProcess station(provision(paths(bench), {"--manifest", bench.manifest()}), 80,
                                   24);
    const auto status = station.wait(k_bound);
    ASSERT_TRUE(status) << station.output();
    EXPECT_EQ(*status, 1) << station.output();
    const auto frame = tests::last_frame_lines(station.output());
    ASSERT_GE(frame.size(), 5U) << station.output();
    std::string pass_row, fail_row;
    for (const auto& line : frame) {
        EXPECT_LE(tests::columns_of(line), 79U) << "'" << line << "'";
        if (line.find(bench.ports()[0].path) != std::string::npos) pass_row = line;
        if (line.find(bench.ports()[1].path) != std::string::npos) fail_row = line;
    }
    ASSERT_FALSE(fail_row.empty()) << station.output();
    // The verdict says what the SKU decision rests on.
    EXPECT_NE(pass_row.find("xr90-na by manifest: "), std::string::npos) << pass_row;
    const auto reason = fail_row.find("sku_mismatch: ");
    ASSERT_NE(reason, std::string::npos) << fail_row;
    EXPECT_GE(tests::columns_of(fail_row.substr(reason)), 36U)
        << "the reason column gets the room: '" << fail_row << "'";
}

// --watch: a running count of every unit of the shift, not only what the slots show now.
TEST_F(OperatorView, WatchShowsARunningShiftSummary) {
    tests::SimBench first({"xr90-na"}, {}, {"--latency-ms", "0"});
    tests::SimBench second({"xr90-global"}, {}, {"--latency-ms", "0"});
    const std::string slot = m_dir.path() + "/slot-A1";
    tests::TerminalProcess station(provision({slot}, {"--watch", "--no-manifest"}), 80, 24);
    std::filesystem::create_symlink(first.ports()[0].path, slot);
    ASSERT_TRUE(station.wait_for_output("Shift: 1 unit", 20s)) << station.output();
    std::filesystem::remove(slot);
    ASSERT_TRUE(station.wait_for_output("waiting for a unit", 20s)) << station.output();
    std::filesystem::create_symlink(second.ports()[0].path, slot);
    ASSERT_TRUE(station.wait_for_output("Shift: 2 units", 20s)) << station.output();
    const auto frame = tests::last_frame_lines(station.output());
    std::string shift;
    for (const auto& line : frame) {
        if (line.rfind("Shift:", 0) == 0) shift = line;
    }
    EXPECT_NE(shift.find("PASS 1"), std::string::npos) << shift;
    EXPECT_NE(shift.find("FAIL 1"), std::string::npos) << shift;
    station.signal(SIGINT);
    EXPECT_TRUE(station.wait(20s));
}

// Every JSON event names its run; the last one is run_finished with the run's summary.
TEST_F(OperatorView, JsonEventsCarryTheRunAndEndWithTheSummary) {
    tests::SimBench bench({"xr90-na", "xr90-global"}, {}, {"--latency-ms", "0"});
    const auto r = tests::run_process(
        provision(paths(bench), {"--json-events", "--manifest", bench.manifest()}), k_bound);
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto events = tests::json_lines(r.out);
    ASSERT_GE(events.size(), 6U) << r.out;
    const json run = events.front()["run"];
    ASSERT_TRUE(run.is_number_integer()) << events.front();
    for (const auto& e : events) EXPECT_EQ(e["run"], run) << e;
    const json& last = events.back();
    EXPECT_EQ(last["kind"], "run_finished") << last;
    EXPECT_EQ(last["outcome"], "FAIL");
    EXPECT_EQ(last["units"], 2);
    EXPECT_EQ(last["counts"], (json{{"pass", 1}, {"fail", 1}, {"error", 0}, {"aborted", 0}}));
    EXPECT_EQ(last["pass_by_data_center"], (json{{"na", 1}}));
    ASSERT_EQ(last["units_to_pull"].size(), 1U) << last;
    EXPECT_EQ(last["units_to_pull"][0]["slot"], bench.ports()[1].path);
    EXPECT_EQ(last["units_to_pull"][0]["reason"], "sku_mismatch");
    EXPECT_EQ(last["stopped"], false);
}

// A second station on a port that one already holds is refused at once: port_busy.
TEST_F(OperatorView, ASecondStationOnAPortIsRefusedAsBusy) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 1U);
    const std::string port = bench.ports()[0].path;
    const int held = ::open(port.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    ASSERT_GE(held, 0);
    ASSERT_EQ(::flock(held, LOCK_EX | LOCK_NB), 0) << "the first station's lock";
    const auto r = tests::run_process(
        {tests::station_binary(), "identify", "--port", port, "--json", "--timeout-ms", "3000"},
        k_bound);
    ::close(held);
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    const auto out = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(out.is_discarded()) << r.out;
    EXPECT_EQ(out["reason"], "port_busy") << out;
    EXPECT_NE(out["message"].get<std::string>().find(port), std::string::npos) << out;

    const auto again = tests::run_process(
        {tests::station_binary(), "identify", "--port", port, "--json", "--timeout-ms", "3000"},
        k_bound);
    EXPECT_EQ(again.exit_code, 0) << "free again once the holder closed it: " << again.out;
}

// A --port that does not exist is said at once, not after waiting --wait-s for a unit.
TEST_F(OperatorView, AMissingPortIsSaidAtOnce) {
    auto a = provision({"/dev/doesnotexist"});
    a.insert(a.end(), {"--wait-s", "60"});
    const auto started = std::chrono::steady_clock::now();
    const auto r = tests::run_process(a, 30s);
    ASSERT_FALSE(r.timed_out) << "it waited for the slot";
    EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
    EXPECT_EQ(r.exit_code, 64) << r.err;
    EXPECT_NE(r.err.find("station: provision: error: --port /dev/doesnotexist: "),
              std::string::npos)
        << r.err;
}

// A rig file with three mistakes reports all three, each with its line.
TEST_F(OperatorView, ARigFileReportsEveryMistake) {
    const std::string rig = m_dir.path() + "/bench.toml";
    std::ofstream(rig) << "name = \"b\"\n"
                          "slot = [\n"
                          "  { label = \"A1\", usb = \"not-a-chain\" },\n"
                          "  { label = \"A2\", usb = \"1-1.2\", port = \"/dev/ttyUSB0\" },\n"
                          "  { label = \"A3\", port = \"relative/tty\" },\n"
                          "  { label = \"A4\", usb = \"1-1.4\" },\n"
                          "]\n";
    const auto r = tests::run_process({tests::station_binary(), "rig", "check", rig}, k_bound);
    EXPECT_EQ(r.exit_code, 64) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 3) << "one line each:\n" << r.err;
    for (const std::string line : {":3:", ":4:", ":5:"}) {
        EXPECT_NE(r.err.find(rig + line), std::string::npos) << line << " in:\n" << r.err;
    }
}

// `rig`, `db` and `register --help` list their verbs and each verb's options.
TEST_F(OperatorView, GroupHelpListsVerbsAndTheirOptions) {
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
        {"rig", {"learn", "check", "quarantined", "release", "--settle-ms", "--labels", "--db"}},
        {"db", {"check", "backup", "--db"}},
        {"register", {"push", "status", "export", "--data-center", "--max", "--json", "--out"}},
    };
    for (const auto& [command, words] : cases) {
        const auto r = tests::run_process({tests::station_binary(), command, "--help"}, k_bound);
        EXPECT_EQ(r.exit_code, 0) << command << r.err;
        for (const auto& word : words) {
            EXPECT_NE(r.out.find(word), std::string::npos) << command << " --help: " << word << "\n"
                                                           << r.out;
        }
    }
}

}  // namespace
