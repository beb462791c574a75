// `station provision` as the operator runs it: the built binary against routersim pallets, a
// real database file, plain / JSON event output, exit codes, Ctrl-C, SIGKILL then --resume,
// watch mode with units plugged and unplugged, 128 slots.
#include <sys/wait.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>

#include "json_lines.hpp"
#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;
using tests::json_lines;
using namespace std::chrono_literals;

constexpr std::chrono::seconds k_bound{120};

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t count_kind(const std::vector<json>& events, const std::string& kind) {
    return static_cast<std::size_t>(std::count_if(
        events.begin(), events.end(), [&](const json& e) { return e.value("kind", "") == kind; }));
}

class Provision : public testing::Test {
  protected:
    std::string db() const { return m_dir.path() + "/station.db"; }

    std::vector<std::string> argv(const std::vector<const tests::SimBench*>& benches,
                                  std::vector<std::string> extra,
                                  const std::string& timeout_ms = "500") const {
        std::vector<std::string> a{tests::station_binary(),
                                   "provision",
                                   "--profile",
                                   "xr90-na",
                                   "--pallet",
                                   "P-42",
                                   "--operator",
                                   "tester",
                                   "--db",
                                   db(),
                                   "--timeout-ms",
                                   timeout_ms};
        for (const auto* bench : benches) {
            for (const auto& port : bench->ports()) {
                a.push_back("--port");
                a.push_back(port.path);
            }
        }
        // The pallet's packing list: what the simulators shipped.
        a.push_back("--manifest");
        a.push_back(tests::merge_manifests(benches, m_dir.path() + "/manifest.csv"));
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }

    std::map<std::string, json> finished_by_slot(const std::vector<json>& events) {
        std::map<std::string, json> out;
        for (const auto& e : events) {
            if (e.value("kind", "") == "unit_finished") out[e["slot"]] = e;
        }
        return out;
    }

    tests::TempDir m_dir;
};

TEST_F(Provision, AllGoodPalletExitsZeroWithPlainLinesAndASummary) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "3", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 3U);
    const auto r = tests::run_process(argv({&bench}, {}), k_bound);
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "not a terminal: no escape sequences";
    EXPECT_NE(r.out.find("unit_finished PASS"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(db()), std::string::npos) << "the summary says where the results are";
    auto store = station::store::Store::open(db());
    ASSERT_TRUE(store);
    EXPECT_EQ(store->list_outbox(std::nullopt, station::core::DataCenter::na)->size(), 3U);
}

TEST_F(Provision, MixedPalletJsonEventsAndExitCodeOfTheWorstUnit) {
    tests::SimBench good({"xr90-na", "xr90-global"}, {}, {"--latency-ms", "0"});
    tests::SimBench nosim({"xr90-na-old-firmware"}, {"no_sim"}, {"--latency-ms", "0"});
    tests::SimBench hung({"xr90-global-eu-sim"}, {"silent"}, {"--latency-ms", "0"});
    const auto r = tests::run_process(argv({&good, &nosim, &hung}, {"--json-events"}), k_bound);
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 2) << "an ERROR unit makes it 2\n" << r.out << r.err;
    const auto events = json_lines(r.out);
    for (const auto& e : events) ASSERT_TRUE(e.is_object()) << r.out;
    auto done = finished_by_slot(events);
    EXPECT_EQ(done[good.ports()[0].path]["outcome"], "PASS");
    EXPECT_EQ(done[good.ports()[1].path]["reason"], "sku_mismatch");
    EXPECT_EQ(done[nosim.ports()[0].path]["reason"], "sim_not_inserted");
    EXPECT_EQ(done[hung.ports()[0].path]["reason"], "no_response");
    EXPECT_EQ(done[hung.ports()[0].path]["attempt"], 2) << "ERROR is retried once";
    EXPECT_EQ(count_kind(events, "run_finished"), 1U);
}

// One pallet with a unit for every routersim fault and every odd personality: each slot ends in
// its own outcome and reason (ERRORs after their one retry), none delays or spoils another.
TEST_F(Provision, EveryFaultAndOddPersonalityEndsInItsReason) {
    struct Case {
        std::string personality;
        std::string fault;  // empty: none
        std::string outcome;
        std::string reason;  // empty: PASS
    };
    const std::vector<Case> cases{
        {"xr90-na", "no_sim", "FAIL", "sim_not_inserted"},
        {"xr90-na", "pin_locked", "FAIL", "sim_pin_required"},
        {"xr90-na", "invalid_iccid", "FAIL", "iccid_invalid"},
        {"xr90-na", "silent", "ERROR", "no_response"},
        {"xr90-na", "late=3000", "ERROR", "no_response"},
        {"xr90-na", "drop_after=1", "ERROR", "port_lost"},  // on the combined line
        {"xr90-na", "endless", "ERROR", "response_too_large"},
        {"xr90-na", "stale_ok", "ERROR", "protocol_error"},
        {"xr90-na", "garbage_before", "PASS", ""},
        {"xr90-na", "garbage_inside", "PASS", ""},
        {"xr90-na", "urc_storm", "PASS", ""},
        {"xr90-global", "", "FAIL", "sku_mismatch"},
        {"xr90-na-old-firmware", "", "FAIL", "firmware_too_old"},
        {"xr90-global-att-sim", "", "FAIL", "sku_conflicting_signals"},
        {"xr99-unknown", "", "FAIL", "not_on_manifest"},
    };
    std::vector<std::unique_ptr<tests::SimBench>> benches;
    std::vector<const tests::SimBench*> all;
    for (const auto& c : cases) {
        std::vector<std::string> faults;
        if (!c.fault.empty()) faults.push_back(c.fault);
        // stale_ok at 100 ms per command: its stale OK (50 ms after each answer) always comes
        // before the next answer; at 0 ms identify's three lines may end before it comes.
        const std::string latency = c.fault == "stale_ok" ? "100" : "0";
        benches.push_back(
            std::make_unique<tests::SimBench>(std::vector<std::string>{c.personality}, faults,
                                              std::vector<std::string>{"--latency-ms", latency}));
        ASSERT_EQ(benches.back()->ports().size(), 1U) << c.personality << " " << c.fault;
        all.push_back(benches.back().get());
    }
    // --wait-s 0: the unit that hangs up is not waited for. (Its /dev/pts number is free again at
    // once; a test running beside this one may take it, and the retry would then talk to that
    // test's router.)
    const auto r =
        tests::run_process(argv(all, {"--json-events", "--wait-s", "0"}, "400"), k_bound);
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    auto done = finished_by_slot(json_lines(r.out));
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        const auto& e = done[benches[i]->ports()[0].path];
        const std::string what = c.personality + (c.fault.empty() ? "" : " + " + c.fault);
        EXPECT_EQ(e["outcome"], c.outcome) << what << ": " << e.dump();
        if (c.reason.empty()) {
            EXPECT_TRUE(e["reason"].is_null()) << what << ": " << e.dump();
        } else if (c.reason == "port_lost") {  // the retry may find the port already gone
            EXPECT_TRUE(e["reason"] == "port_lost" || e["reason"] == "port_unavailable")
                << what << ": " << e.dump();
        } else {
            EXPECT_EQ(e["reason"], c.reason) << what << ": " << e.dump();
        }
        EXPECT_EQ(e["attempt"], c.outcome == "ERROR" ? 2 : 1) << what << ": ERROR is retried once";
    }
    auto store = station::store::Store::open(db());
    ASSERT_TRUE(store);
    // The three PASS slots simulate the same xr90-na unit (same FSN, IMEI and ICCID): one unit,
    // queued once.
    EXPECT_EQ(store->list_outbox(std::nullopt, std::nullopt)->size(), 1U);
}

// Three units in a row ending ERROR on one slot quarantine it: later runs skip it until
// `station rig release SLOT`, and `station rig quarantined` lists it meanwhile.
TEST_F(Provision, SlotQuarantinedAfterThreeErrorsUntilRigRelease) {
    tests::SimBench hung({"xr90-na"}, {"silent"}, {"--latency-ms", "0"});
    ASSERT_EQ(hung.ports().size(), 1U);
    const std::string slot = hung.ports()[0].path;
    for (int unit = 1; unit <= 3; ++unit) {
        const auto r = tests::run_process(argv({&hung}, {"--json-events"}, "200"), k_bound);
        EXPECT_EQ(r.exit_code, 2) << "unit " << unit << "\n" << r.out << r.err;
    }
    const auto rig = [&](std::vector<std::string> extra) {
        std::vector<std::string> a{tests::station_binary(), "rig"};
        a.insert(a.end(), extra.begin(), extra.end());
        a.insert(a.end(), {"--db", db()});
        return tests::run_process(a, k_bound);
    };
    const auto listed = rig({"quarantined"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find(slot), std::string::npos) << listed.out;

    const auto skipped = tests::run_process(argv({&hung}, {"--json-events"}, "200"), k_bound);
    const auto events = json_lines(skipped.out);
    EXPECT_EQ(count_kind(events, "slot_skipped"), 1U) << skipped.out;
    EXPECT_EQ(count_kind(events, "unit_started"), 0U) << "a quarantined slot is not used";
    EXPECT_NE(skipped.out.find("station rig release"), std::string::npos) << skipped.out;

    const auto released = rig({"release", slot});
    EXPECT_EQ(released.exit_code, 0) << released.err;
    EXPECT_NE(released.out.find("back in service"), std::string::npos) << released.out;
    const auto again = rig({"release", slot});
    EXPECT_EQ(again.exit_code, 2) << "not quarantined any more";
    EXPECT_NE(again.err.find("not quarantined"), std::string::npos) << again.err;
    EXPECT_NE(rig({"quarantined"}).out.find("no slot is quarantined"), std::string::npos);
    EXPECT_EQ(rig({"release"}).exit_code, 64);
    EXPECT_EQ(rig({"release", "bad\x1bslot"}).exit_code, 64);

    const auto used = tests::run_process(argv({&hung}, {"--json-events"}, "200"), k_bound);
    const auto done = finished_by_slot(json_lines(used.out));
    EXPECT_EQ(done.at(slot)["reason"], "no_response") << "the slot is used again";
}

TEST_F(Provision, FailWithoutErrorExitsOne) {
    tests::SimBench bench({"xr90-na", "xr90-global"}, {}, {"--latency-ms", "0"});
    const auto r = tests::run_process(argv({&bench}, {}), k_bound);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("sku_mismatch"), std::string::npos);
}

TEST_F(Provision, BadUsageExits64WithTheReason) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"--pallet", "P"}, "--profile"},
        {{"--profile", "xr90-na", "--pallet", "P"}, "give either --rig FILE or --port PATH"},
        {{"--profile", "xr90-na", "--pallet", "P", "--port", "/x", "--term", "2"},
         "--term must be 1, 3 or 5"},
        {{"--profile", "xr95-na", "--pallet", "P", "--port", "/x"}, "no profile 'xr95-na'"},
        {{"--profile", "xr90-na", "--pallet", "P\x1b", "--port", "/x"}, "control characters"},
        {{"--profile", "xr90-na", "--pallet", "P", "--port", "/x", "--resume", "0"},
         "--resume needs a run id"},
        {{"--profile", "xr90-na", "--pallet", "P", "--port", "/dev/null", "--port", "/dev/null",
          "--no-manifest"},
         "station: provision: error: slot '/dev/null' is given twice\n"},
        {{"--profile", "xr90-na", "--pallet", "P", "--port", "/dev/null"},
         "station: provision: error: profile xr90-na needs the pallet's manifest (--manifest "
         "FILE)"},
        {{"--profile", "xr90-na", "--pallet", "P", "--port", "/dev/null", "--no-manifest",
          "--manifest", "/dev/null"},
         "station: provision: error: give --manifest FILE or --no-manifest, not both"},
        {{"--profile", "xr90-na", "--pallet", "P", "--port", "/dev/null", "--no-manifest",
          "--require-complete"},
         "station: provision: error: --require-complete needs --manifest FILE"},
        {{"--profile", "xr90-na", "--pallet", "P", "--port", "/dev/null", "--manifest",
          "/nonexistent/m.csv"},
         "station: provision: error: --manifest: /nonexistent/m.csv: cannot read"},
        {{"--profile", "xr90-na", "--pallet", "P", "--port", "/x"},
         "station: provision: error: --port /x: no such file or directory"},
    };
    for (const auto& [args, message] : cases) {
        std::vector<std::string> a{tests::station_binary(), "provision", "--db", db()};
        a.insert(a.end(), args.begin(), args.end());
        const auto r = tests::run_process(a, k_bound);
        EXPECT_EQ(r.exit_code, 64) << message << "\n" << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    }
}

// A full rig is past the usual soft open-files limit: the station raises it to the hard limit,
// and refuses at once, naming both numbers, when even that is too few for the slots given.
TEST_F(Provision, TheOpenFilesLimitIsRaisedOrTheRunRefused) {
    std::vector<std::string> a{"/usr/bin/prlimit",
                               "--nofile=100:100",
                               tests::station_binary(),
                               "provision",
                               "--profile",
                               "xr90-na",
                               "--pallet",
                               "P",
                               "--db",
                               db(),
                               "--no-manifest"};
    for (int i = 0; i < 40; ++i) a.insert(a.end(), {"--port", "/dev/null"});
    const auto refused = tests::run_process(a, k_bound);
    EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
    EXPECT_NE(refused.err.find(
                  "station: provision: error: 40 slots need about 224 open files, but this process "
                  "may open at most 100 (hard limit, `ulimit -Hn`)"),
              std::string::npos)
        << refused.err;
    EXPECT_FALSE(std::filesystem::exists(db())) << "refused before the store was opened";

    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    auto raised = argv({&bench}, {});
    raised.insert(raised.begin(), {"/usr/bin/prlimit", "--nofile=20:4096"});
    const auto r = tests::run_process(raised, k_bound);
    EXPECT_EQ(r.exit_code, 0) << "a soft limit of 20 is raised: " << r.out << r.err;
}

TEST_F(Provision, CtrlCEndsInFlightUnitsAbortedAndExitsThree) {
    tests::SimBench slow({"xr90-na"}, {}, {"--count", "2", "--latency-ms", "400"});
    const std::string out = m_dir.path() + "/events.jsonl";
    tests::BackgroundProcess station(argv({&slow}, {"--json-events"}, "2000"), out);
    // Wait until both units have started, then press Ctrl-C.
    for (int i = 0; i < 200 && count_kind(json_lines(read_file(out)), "unit_started") < 2; ++i) {
        std::this_thread::sleep_for(20ms);
    }
    station.signal(SIGINT);
    const auto status = station.wait(10s);
    ASSERT_TRUE(status) << "station did not stop within 10 s";
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 3);
    const auto events = json_lines(read_file(out));
    for (const auto& [slot, e] : finished_by_slot(events))
        EXPECT_EQ(e["outcome"], "ABORTED") << slot;
    auto store = station::store::Store::open(db());
    ASSERT_TRUE(store);
    const auto run = store->run({1});
    ASSERT_TRUE(run && *run);
    EXPECT_EQ((*run)->outcome, station::core::Outcome::aborted);
    EXPECT_EQ(store->check()->ok(), true);
}

TEST_F(Provision, KilledMidRunThenResumedNothingLostNothingTwice) {
    tests::SimBench fast({"xr90-na"}, {}, {"--count", "2", "--latency-ms", "0"});
    tests::SimBench slow({"xr90-global"}, {}, {"--count", "2", "--latency-ms", "600"});
    const std::string out = m_dir.path() + "/events.jsonl";
    {
        tests::BackgroundProcess station(argv({&fast, &slow}, {"--json-events"}, "3000"), out);
        for (int i = 0; i < 500 && count_kind(json_lines(read_file(out)), "unit_finished") < 2;
             ++i) {
            std::this_thread::sleep_for(20ms);
        }
        ASSERT_EQ(count_kind(json_lines(read_file(out)), "unit_finished"), 2U) << read_file(out);
        station.signal(SIGKILL);
        station.wait(5s);
    }
    // The fast units passed and were committed; the slow ones were in flight.
    const auto r = tests::run_process(
        argv({&fast, &slow}, {"--json-events", "--resume", "1"}, "3000"), k_bound);
    EXPECT_EQ(r.exit_code, 1) << "the Global units fail sku_mismatch\n" << r.out << r.err;
    const auto events = json_lines(r.out);
    EXPECT_EQ(count_kind(events, "slot_skipped"), 2U) << r.out;
    auto done = finished_by_slot(events);
    EXPECT_EQ(done.size(), 2U);
    for (const auto& port : slow.ports()) EXPECT_EQ(done[port.path]["reason"], "sku_mismatch");

    auto store = station::store::Store::open(db());
    ASSERT_TRUE(store);
    EXPECT_TRUE(store->check()->ok());
    const auto rows = store->results_for_run({1});
    ASSERT_TRUE(rows);
    std::map<std::string, int> pass_rows;
    for (const auto& row : *rows) {
        if (row.slot.outcome == station::core::Outcome::pass) ++pass_rows[row.slot.start.slot];
    }
    for (const auto& port : fast.ports()) EXPECT_EQ(pass_rows[port.path], 1) << "once each";
    EXPECT_EQ(store->list_outbox(std::nullopt, std::nullopt)->size(), 2U) << "queued once each";
}

TEST_F(Provision, WatchModeTakesUnitAfterUnitInOneSlot) {
    tests::SimBench first({"xr90-na"}, {}, {"--latency-ms", "0"});
    tests::SimBench second({"xr80-na"}, {}, {"--latency-ms", "0"});
    const std::string slot = m_dir.path() + "/slot-A1";  // the "USB port": a link to a unit
    const std::string out = m_dir.path() + "/events.jsonl";
    std::vector<std::string> a{tests::station_binary(),
                               "provision",
                               "--profile",
                               "xr90-na",
                               "--pallet",
                               "P-W",
                               "--db",
                               db(),
                               "--watch",
                               "--json-events",
                               "--manifest",
                               tests::merge_manifests({&first, &second}, m_dir.path() + "/m.csv"),
                               "--port",
                               slot};
    tests::BackgroundProcess station(a, out);
    const auto wait_for = [&](const std::string& kind, std::size_t n) {
        for (int i = 0; i < 500; ++i) {
            if (count_kind(json_lines(read_file(out)), kind) >= n) return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    };
    std::filesystem::create_symlink(first.ports()[0].path, slot);
    ASSERT_TRUE(wait_for("unit_finished", 1)) << read_file(out);
    std::filesystem::remove(slot);
    ASSERT_TRUE(wait_for("unit_departed", 1)) << read_file(out);
    std::filesystem::create_symlink(second.ports()[0].path, slot);
    ASSERT_TRUE(wait_for("unit_finished", 2)) << read_file(out);
    station.signal(SIGINT);
    const auto status = station.wait(10s);
    ASSERT_TRUE(status);
    const auto events = json_lines(read_file(out));
    std::vector<std::string> outcomes;
    for (const auto& e : events) {
        if (e.value("kind", "") == "unit_finished")
            outcomes.push_back(e["reason"].is_null() ? "PASS" : e["reason"].get<std::string>());
    }
    EXPECT_EQ(outcomes, (std::vector<std::string>{"PASS", "sku_mismatch"}));
}

TEST_F(Provision, HundredTwentyEightSlotsAllPass) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "128", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 128U);
    const auto r = tests::run_process(argv({&bench}, {"--json-events"}, "5000"), k_bound);
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto events = json_lines(r.out);
    const auto done = finished_by_slot(events);
    EXPECT_EQ(done.size(), 128U);
    for (const auto& [slot, e] : done) EXPECT_EQ(e["outcome"], "PASS") << slot << " " << e;
}

}  // namespace
