// `station scan --rig` against the simulated rig (fixtures/rigs/sim-bench.toml): one routersim
// per fault group, its ptys bound to the rig's sim slots, every slot identified in parallel.
// Bad rig files through the binary: exit 64 with the file and line.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fixtures/rig/rig.hpp>

#include "sim_bench.hpp"

namespace {

using namespace std::chrono_literals;

class SimulatedRig : public testing::Test {
  protected:
    void SetUp() override {
        auto rig = fixtures::rig::load_rig(STATION_SOURCE_DIR "/fixtures/rigs/sim-bench.toml");
        ASSERT_TRUE(rig.has_value()) << rig.error().message;
        std::vector<std::vector<fixtures::rig::SimPort>> ports;
        for (const auto& group : fixtures::rig::sim_groups(*rig)) {
            auto& bench = m_benches.emplace_back(std::make_unique<tests::SimBench>(
                group.personalities, group.faults, std::vector<std::string>{"--latency-ms", "0"}));
            ASSERT_EQ(bench->ports().size(), group.personalities.size())
                << "routersim did not start";
            auto& list = ports.emplace_back();
            for (const auto& port : bench->ports()) list.push_back({port.path, port.personality});
        }
        ASSERT_TRUE(fixtures::rig::bind_simulated(*rig, ports));
        ASSERT_TRUE(fixtures::rig::save_rig(*rig, m_rig));
        m_bound = *rig;
        std::vector<const tests::SimBench*> benches;
        for (const auto& bench : m_benches) benches.push_back(bench.get());
        tests::merge_manifests(benches, m_manifest);  // the pallet's packing list
    }

    tests::ProcessResult station(std::vector<std::string> args) {
        args.insert(args.begin(), tests::station_binary());
        return tests::run_process(args, 60s);
    }

    tests::TempDir m_dir;
    std::string m_rig = m_dir.path() + "/sim-bench.bound.toml";
    std::string m_manifest = m_dir.path() + "/manifest.csv";
    fixtures::rig::Rig m_bound;
    std::vector<std::unique_ptr<tests::SimBench>> m_benches;
};

TEST_F(SimulatedRig, ScanListsEverySlotReady) {
    const auto result = station({"scan", "--rig", m_rig});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    ASSERT_FALSE(m_bound.slots.empty());
    for (const auto& slot : m_bound.slots) {
        EXPECT_NE(result.out.find(slot.label + "    -           -    " + slot.port),
                  std::string::npos)
            << result.out;
    }
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 7);  // header + 6 slots
}

TEST_F(SimulatedRig, ScanIdentifiesEverySlot) {
    const auto result =
        station({"scan", "--rig", m_rig, "--identify", "--json", "--timeout-ms", "1000"});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;  // the worst slot is an ERROR
    const auto doc = nlohmann::json::parse(result.out);
    EXPECT_EQ(doc["rig"], "sim-bench");
    const auto& slots = doc["slots"];
    ASSERT_EQ(slots.size(), 6U);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(slots[i]["state"], "ready");
        EXPECT_EQ(slots[i]["verdict"]["outcome"], "PASS") << slots[i].dump();
        EXPECT_FALSE(slots[i]["identity"]["imei"].is_null());
        EXPECT_FALSE(slots[i]["identity"]["iccid"].is_null());
    }
    EXPECT_EQ(slots[0]["slot"], "S1");
    EXPECT_EQ(slots[0]["at_port"], m_bound.slots[0].port);
    EXPECT_NE(slots[0]["identity"]["fsn"], slots[1]["identity"]["fsn"]);
    EXPECT_EQ(slots[4]["verdict"]["outcome"], "FAIL");
    EXPECT_EQ(slots[4]["verdict"]["reason"], "sim_not_inserted");
    EXPECT_EQ(slots[5]["verdict"]["outcome"], "ERROR");
    EXPECT_EQ(slots[5]["verdict"]["reason"], "no_response");
}

TEST_F(SimulatedRig, ScanTextWithIdentifyShowsResultsAndMessages) {
    const auto result = station({"scan", "--rig", m_rig, "--identify", "--timeout-ms", "1000"});
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.out.find("RESULT"), std::string::npos);
    EXPECT_NE(result.out.find("FAIL sim_not_inserted"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("ERROR no_response"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("\nS6: " + m_bound.slots[5].port + ": ATI: no response"),
              std::string::npos)
        << result.out;
}

TEST_F(SimulatedRig, ScanWithSkuShowsEachUnitsDataCenterAndExpectFlagsTheOthers) {
    const auto decided = station({"scan", "--rig", m_rig, "--identify", "--sku", "--json",
                                  "--timeout-ms", "1000", "--manifest", m_manifest});
    const auto doc = nlohmann::json::parse(decided.out, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << decided.out << decided.err;
    const auto& slots = doc["slots"];
    ASSERT_EQ(slots.size(), 6U);
    const std::vector<std::pair<std::string, std::string>> expected{
        {"xr90-na", "na"}, {"xr90-global", "eu"}, {"xr80-na", "na"}, {"xr60-global", "eu"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(slots[i]["verdict"]["outcome"], "PASS") << slots[i].dump();
        EXPECT_EQ(slots[i]["sku"]["profile"], expected[i].first) << slots[i].dump();
        EXPECT_EQ(slots[i]["sku"]["data_center"], expected[i].second) << slots[i].dump();
    }
    EXPECT_FALSE(slots[4].contains("sku")) << "no SIM: not identified, not decided";

    const auto pallet = station({"scan", "--rig", m_rig, "--identify", "--expect", "xr90-na",
                                 "--timeout-ms", "1000", "--manifest", m_manifest});
    EXPECT_EQ(pallet.exit_code, 2) << pallet.out << pallet.err;
    EXPECT_NE(pallet.out.find("xr90-na -> na"), std::string::npos) << pallet.out;
    EXPECT_NE(pallet.out.find("xr90-global -> eu"), std::string::npos) << pallet.out;
    EXPECT_NE(pallet.out.find("FAIL sku_mismatch"), std::string::npos) << pallet.out;

    EXPECT_EQ(station({"scan", "--rig", m_rig, "--sku"}).exit_code, 64) << "needs --identify";
    EXPECT_EQ(station({"scan", "--rig", m_rig, "--manifest", m_manifest}).exit_code, 64)
        << "needs --identify";
    EXPECT_EQ(station({"scan", "--rig", m_rig, "--identify", "--expect", "xr95-na"}).exit_code, 64);
}

class ScanBadInput : public testing::Test {
  protected:
    std::string write(const std::string& text) {
        const std::string path = m_dir.path() + "/rig.toml";
        std::ofstream(path) << text;
        return path;
    }
    tests::TempDir m_dir;
};

TEST_F(ScanBadInput, DuplicateSlotIsBadUsageWithFileAndLine) {
    const auto path = write(
        "slot = [\n  { label = \"A1\", port = \"/dev/null\" },\n"
        "  { label = \"A1\", port = \"/dev/zero\" },\n]\n");
    const auto result = tests::run_process({tests::station_binary(), "scan", "--rig", path}, 30s);
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_EQ(result.err,
              "station: scan: error: " + path + ":3: duplicate slot 'A1' (first at line 2)\n");
    EXPECT_TRUE(result.out.empty());
}

TEST_F(ScanBadInput, UnreadableRigIsBadUsage) {
    const auto result = tests::run_process(
        {tests::station_binary(), "scan", "--rig", m_dir.path() + "/absent.toml"}, 30s);
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_EQ(
        result.err.rfind("station: scan: error: " + m_dir.path() + "/absent.toml: cannot read", 0),
        0U)
        << result.err;
    const auto check = tests::run_process(
        {tests::station_binary(), "rig", "check", m_dir.path() + "/absent.toml"}, 30s);
    EXPECT_EQ(check.exit_code, 64);
}

TEST_F(ScanBadInput, MissingTtyAndUnboundSimSlotsAreShownNotProbed) {
    const auto path = write(
        "slot = [\n  { label = \"X1\", port = \"/dev/ttyUSB-none\" },\n"
        "  { label = \"S1\", sim = \"xr90-na\" },\n]\n");
    const auto result =
        tests::run_process({tests::station_binary(), "scan", "--rig", path, "--identify"}, 30s);
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.out.find("X1    -           -    /dev/ttyUSB-none  missing"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("S1    -           -    -                 simulated"),
              std::string::npos)
        << result.out;
}

TEST_F(ScanBadInput, BadOptionsAreBadUsage) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"scan", "--jobs", "0"},
             {"scan", "--probe-ms", "-1"},
             {"scan", "--bogus"},
             {"rig"},
             {"rig", "teach"},
             {"rig", "learn", "--out", m_dir.path() + "/x.toml"},
             {"rig", "learn", "--out", m_dir.path() + "/x.toml", "--labels", "A1,A1"},
             {"rig", "learn", "--out", m_dir.path() + "/x.toml", "--labels", "A1,,A2"},
             {"rig", "learn", "--out", m_dir.path() + "/x.toml", "--slots", "2", "--labels", "A"},
         }) {
        std::vector<std::string> argv{tests::station_binary()};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto result = tests::run_process(argv, 30s);
        EXPECT_EQ(result.exit_code, 64) << args.back() << ": " << result.err;
        EXPECT_EQ(result.err.rfind("station: " + args.front(), 0), 0U) << result.err;
        EXPECT_NE(result.err.find(": error: "), std::string::npos) << result.err;
    }
}

}  // namespace
