// A pallet run's lifecycle through the built `station`, against routersim units and a real
// database file: a quarantined slot that holds a unit, Ctrl-C / SIGTERM while a unit is silent,
// a unit that hangs up mid-identify, resuming a run that already ended, `station runs`.
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>

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

std::size_t count_kind(const std::vector<json>& events, const std::string& kind) {
    return static_cast<std::size_t>(std::count_if(
        events.begin(), events.end(), [&](const json& e) { return e.value("kind", "") == kind; }));
}

std::map<std::string, json> finished_by_slot(const std::vector<json>& events) {
    std::map<std::string, json> out;
    for (const auto& e : events) {
        if (e.value("kind", "") == "unit_finished") out[e["slot"]] = e;
    }
    return out;
}

class PalletLifecycle : public testing::Test {
  public:
    // station provision on `ports`, pallet P-7, profile xr90-na, this test's database.
    std::vector<std::string> provision_args(const std::vector<std::string>& ports,
                                            std::vector<std::string> extra) const {
        return provision(ports, std::move(extra));
    }

  protected:
    std::string db() const { return m_dir.path() + "/station.db"; }

    // station provision on `ports`, pallet P-7, profile xr90-na, this test's database.
    std::vector<std::string> provision(const std::vector<std::string>& ports,
                                       std::vector<std::string> extra) const {
        std::vector<std::string> a{tests::station_binary(),
                                   "provision",
                                   "--profile",
                                   "xr90-na",
                                   "--pallet",
                                   "P-7",
                                   "--operator",
                                   "tester",
                                   "--db",
                                   db(),
                                   "--no-manifest"};
        for (const auto& port : ports) a.insert(a.end(), {"--port", port});
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }

    std::vector<std::string> station(std::vector<std::string> args) const {
        args.insert(args.begin(), tests::station_binary());
        args.insert(args.end(), {"--db", db()});
        return args;
    }

    // Every stored slot result of run 1, final attempts and retries alike, in id order.
    std::vector<station::store::ResultRow> stored_rows(std::int64_t run = 1) const {
        auto store = station::store::Store::open(db());
        EXPECT_TRUE(store) << store.error().message;
        if (!store) return {};
        auto rows = store->results_for_run({run});
        EXPECT_TRUE(rows);
        return rows ? *rows : std::vector<station::store::ResultRow>{};
    }

    void quarantine(const std::string& slot) const {
        auto store = station::store::Store::open(db());
        ASSERT_TRUE(store) << store.error().message;
        ASSERT_TRUE(store->quarantine_slot(slot, "3 units in a row ended in ERROR on this slot",
                                           std::chrono::system_clock::now()));
    }

    tests::TempDir m_dir;
};

// Item 2: a quarantined slot with a unit in it is an untested unit, to pull: ERROR
// slot_quarantined on screen, in the events and in the store, and the run is never green. An
// empty quarantined slot is only skipped.
TEST_F(PalletLifecycle, QuarantinedSlotHoldingAUnitIsListedToPullEmptyOneIsSkipped) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "2", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 2U);
    const std::string held = bench.ports()[1].path;
    quarantine(held);

    const auto text = tests::run_process(
        provision({bench.ports()[0].path, held}, {"--timeout-ms", "1000"}), k_bound);
    EXPECT_EQ(text.exit_code, 2) << text.out << text.err;
    EXPECT_EQ(text.out.find("Units to pull: none"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("Units to pull (1;"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("slot_quarantined"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("ERROR 1"), std::string::npos) << "counted\n" << text.out;

    const auto rows = stored_rows();
    ASSERT_EQ(rows.size(), 2U);
    const auto& stored = rows[0].slot.start.slot == held ? rows[0] : rows[1];
    EXPECT_EQ(stored.slot.outcome, station::core::Outcome::error);
    EXPECT_EQ(stored.slot.reason, station::core::Reason::slot_quarantined);
    EXPECT_EQ(rows[0].run.outcome, station::core::Outcome::error);

    const auto events = tests::run_process(
        provision({bench.ports()[0].path, held}, {"--json-events", "--timeout-ms", "1000"}),
        k_bound);
    EXPECT_EQ(events.exit_code, 2) << events.out << events.err;
    const auto done = finished_by_slot(json_lines(events.out));
    ASSERT_EQ(done.count(held), 1U) << events.out;
    EXPECT_EQ(done.at(held)["outcome"], "ERROR");
    EXPECT_EQ(done.at(held)["reason"], "slot_quarantined");
    EXPECT_EQ(done.at(bench.ports()[0].path)["outcome"], "PASS");

    // An empty quarantined slot stays merely skipped: the units decide the run (PASS, 0). A rig
    // names the empty slot's tty (a --port that does not exist is refused as a typo).
    const std::string empty = "B2";
    const std::string rig = m_dir.path() + "/bench.toml";
    std::ofstream(rig) << "slot = [\n  { label = \"A1\", port = \"" << bench.ports()[0].path
                       << "\" },\n  { label = \"B2\", port = \"" << m_dir.path()
                       << "/slot-B2\" },\n]\n";  // nothing plugged in at slot-B2
    quarantine(empty);
    const auto skipped = tests::run_process(
        provision({}, {"--rig", rig, "--json-events", "--wait-s", "0"}), k_bound);
    EXPECT_EQ(skipped.exit_code, 0) << skipped.out << skipped.err;
    const auto skipped_events = json_lines(skipped.out);
    EXPECT_EQ(count_kind(skipped_events, "slot_skipped"), 1U) << skipped.out;
    EXPECT_EQ(finished_by_slot(skipped_events).count(empty), 0U) << skipped.out;
    EXPECT_EQ(stored_rows(3).size(), 1U);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Waits until the events file holds `n` events of `kind` (at most 10 s). True when it does.
bool wait_for_events(const std::string& path, const std::string& kind, std::size_t n) {
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
        if (count_kind(json_lines(read_file(path)), kind) >= n) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

// Waits until the events file shows `step` finished at least once (at most 10 s).
bool wait_for_step(const std::string& path, const std::string& step) {
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
        for (const auto& e : json_lines(read_file(path))) {
            if (e.value("kind", "") == "step_finished" && e.value("step", "") == step) return true;
        }
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

// Item 3: Ctrl-C while a silent unit is waited on (10 s per command) stops at once: exit 3,
// and the store says ABORTED (not ERROR no_response, which would feed quarantine).
TEST_F(PalletLifecycle, CtrlCStopsASilentUnitAtOnceAndStoresItAborted) {
    tests::SimBench silent({"xr90-na"}, {"silent"}, {"--latency-ms", "0"});
    ASSERT_EQ(silent.ports().size(), 1U);
    const std::string out = m_dir.path() + "/events.jsonl";
    tests::BackgroundProcess station(
        provision({silent.ports()[0].path}, {"--json-events", "--timeout-ms", "10000"}), out);
    ASSERT_TRUE(wait_for_step(out, "open_port")) << read_file(out);  // identify is in flight
    const auto sent = std::chrono::steady_clock::now();
    station.signal(SIGINT);
    const auto status = station.wait(2s);
    const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - sent);
    ASSERT_TRUE(status) << "still running 2 s after SIGINT";
    RecordProperty("sigint_to_exit_ms", static_cast<int>(latency.count()));
    std::cout << "SIGINT to exit: " << latency.count() << " ms (target 500 ms)\n";
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 3);

    const auto events = json_lines(read_file(out));
    const auto done = finished_by_slot(events);
    ASSERT_EQ(done.size(), 1U) << read_file(out);
    EXPECT_EQ(done.begin()->second["outcome"], "ABORTED");
    const auto rows = stored_rows();
    ASSERT_EQ(rows.size(), 1U) << "stopped units are not retried";
    EXPECT_EQ(rows[0].slot.outcome, station::core::Outcome::aborted);
    EXPECT_EQ(rows[0].slot.reason, station::core::Reason::aborted);
    EXPECT_EQ(rows[0].run.outcome, station::core::Outcome::aborted);
    auto store = station::store::Store::open(db());
    ASSERT_TRUE(store);
    EXPECT_EQ(store->slot_error_streak(silent.ports()[0].path).value_or(-1), 0)
        << "an ABORTED unit never counts toward quarantine";
}

// Item 3: a second Ctrl-C right after the first exits at once (3) and leaves a consistent
// store: no slot result left without an outcome, the run closed.
TEST_F(PalletLifecycle, SecondCtrlCExitsAtOnceWithAConsistentStore) {
    tests::SimBench silent({"xr90-na"}, {"silent"}, {"--count", "2", "--latency-ms", "0"});
    ASSERT_EQ(silent.ports().size(), 2U);
    const std::string out = m_dir.path() + "/events.jsonl";
    tests::BackgroundProcess station(provision({silent.ports()[0].path, silent.ports()[1].path},
                                               {"--json-events", "--timeout-ms", "10000"}),
                                     out);
    ASSERT_TRUE(wait_for_events(out, "unit_started", 2)) << read_file(out);
    station.signal(SIGINT);
    station.signal(SIGINT);
    const auto status = station.wait(2s);
    ASSERT_TRUE(status) << "still running 2 s after two SIGINTs";
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 3);

    auto store = station::store::Store::open(db());
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_TRUE(store->check()->ok());
    const auto run = store->run({1});
    ASSERT_TRUE(run && *run);
    EXPECT_EQ((*run)->outcome, station::core::Outcome::aborted);
    const auto rows = store->results_for_run({1});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 2U);
    for (const auto& row : *rows) {
        EXPECT_EQ(row.slot.outcome, station::core::Outcome::aborted) << row.slot.start.slot;
    }
}

// Item 3: Ctrl-C ends a --watch shift; with no unit in flight that is its normal end: the run's
// outcome and exit status come from its units (here one PASS: 0), not ABORTED.
TEST_F(PalletLifecycle, CtrlCEndingAWatchShiftWithNoUnitInFlightIsANormalEnd) {
    tests::SimBench good({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(good.ports().size(), 1U);
    const std::string out = m_dir.path() + "/events.jsonl";
    tests::BackgroundProcess station(
        provision({good.ports()[0].path}, {"--json-events", "--watch", "--timeout-ms", "2000"}),
        out);
    ASSERT_TRUE(wait_for_events(out, "unit_finished", 1)) << read_file(out);
    station.signal(SIGINT);
    const auto status = station.wait(5s);
    ASSERT_TRUE(status);
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 0) << read_file(out);
    const auto rows = stored_rows();
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].slot.outcome, station::core::Outcome::pass);
    EXPECT_EQ(rows[0].run.outcome, station::core::Outcome::pass);
    EXPECT_FALSE(rows[0].run.interrupted);
}

// A unit that hangs up mid-identify (routersim drop_after), in a slot that is a link to it (the
// "USB port"). The test unplugs it (removes the link) once its port is open, so no other pty
// that reuses the number can pass for it coming back.
class HangingUnit {
  public:
    HangingUnit(const PalletLifecycle& test, const std::string& dir, const std::string& wait_s)
        // Hangs up after ATI: lost on the combined line (identify is two lines now).
        : m_sim({"xr90-na"}, {"drop_after=1"}, {"--latency-ms", "100"}),
          m_slot(dir + "/slot-A1"),
          m_out(dir + "/events.jsonl") {
        if (m_sim.ports().size() != 1U) return;
        std::filesystem::create_symlink(m_sim.ports()[0].path, m_slot);
        m_station = std::make_unique<tests::BackgroundProcess>(
            test.provision_args({m_slot}, {"--json-events", "--wait-s", wait_s}), m_out);
        m_unplugged = wait_for_step(m_out, "open_port") && std::filesystem::remove(m_slot);
    }
    bool unplugged() const { return m_unplugged; }
    const std::string& slot() const { return m_slot; }
    std::string events() const { return read_file(m_out); }
    std::optional<int> wait(std::chrono::milliseconds timeout) { return m_station->wait(timeout); }

  private:
    tests::SimBench m_sim;
    std::string m_slot;
    std::string m_out;
    std::unique_ptr<tests::BackgroundProcess> m_station;
    bool m_unplugged = false;
};

// Item 12: a unit that hangs up mid-identify is port_lost. Its retry waits for the port to come
// back (--wait-s); when it does not, the result keeps the first attempt's port_lost and message
// instead of failing at once on a port that no longer exists (port_unavailable).
TEST_F(PalletLifecycle, UnitThatHangsUpAndStaysGoneIsPortLost) {
    HangingUnit unit(*this, m_dir.path(), "1");
    ASSERT_TRUE(unit.unplugged()) << unit.events();
    const auto status = unit.wait(30s);
    ASSERT_TRUE(status && WIFEXITED(*status)) << unit.events();
    EXPECT_EQ(WEXITSTATUS(*status), 2) << unit.events();
    EXPECT_EQ(unit.events().find("port_unavailable"), std::string::npos) << unit.events();
    const auto done = finished_by_slot(json_lines(unit.events()));
    ASSERT_EQ(done.size(), 1U) << unit.events();
    EXPECT_EQ(done.at(unit.slot())["reason"], "port_lost") << unit.events();
    EXPECT_EQ(done.at(unit.slot())["attempt"], 2) << unit.events();

    const auto rows = stored_rows();
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].slot.reason, station::core::Reason::port_lost);
    EXPECT_EQ(rows[1].slot.start.attempt, 2);
    EXPECT_EQ(rows[1].slot.outcome, station::core::Outcome::error);
    EXPECT_EQ(rows[1].slot.reason, station::core::Reason::port_lost);
    EXPECT_TRUE(rows[1].slot.message.starts_with(rows[0].slot.message))
        << "keeps the first attempt's message: " << rows[1].slot.message;
    ASSERT_TRUE(rows[1].slot.ended);
    EXPECT_GE(*rows[1].slot.ended - rows[0].slot.ended.value_or(*rows[1].slot.ended), 900ms)
        << "the retry waited for the port to come back";
}

// Item 12: when the port comes back within --wait-s (the unit rebooted, or was re-plugged),
// the retry runs on it.
TEST_F(PalletLifecycle, UnitThatHangsUpAndComesBackIsRetried) {
    tests::SimBench good({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(good.ports().size(), 1U);
    HangingUnit unit(*this, m_dir.path(), "30");
    ASSERT_TRUE(unit.unplugged()) << unit.events();
    ASSERT_TRUE(wait_for_events(m_dir.path() + "/events.jsonl", "unit_finished", 1))
        << unit.events();
    EXPECT_EQ(finished_by_slot(json_lines(unit.events())).at(unit.slot())["reason"], "port_lost");
    std::filesystem::create_symlink(good.ports()[0].path, unit.slot());  // plugged in again
    const auto status = unit.wait(30s);
    ASSERT_TRUE(status && WIFEXITED(*status)) << unit.events();
    EXPECT_EQ(WEXITSTATUS(*status), 0) << unit.events();
    const auto done = finished_by_slot(json_lines(unit.events()));
    EXPECT_EQ(done.at(unit.slot())["outcome"], "PASS");
    EXPECT_EQ(done.at(unit.slot())["attempt"], 2);
}

// Item 13: resuming a run that already ended is a no-op that says so and exits with the run's
// own status (a script that resumes after a kill landed while the station was exiting).
TEST_F(PalletLifecycle, ResumingARunThatEndedIsANoOpWithItsOwnStatus) {
    tests::SimBench bench({"xr90-na", "xr90-global"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 2U);
    const auto passed = tests::run_process(provision({bench.ports()[0].path}, {}), k_bound);
    ASSERT_EQ(passed.exit_code, 0) << passed.out << passed.err;
    const auto failed = tests::run_process(provision({bench.ports()[1].path}, {}), k_bound);
    ASSERT_EQ(failed.exit_code, 1) << failed.out << failed.err;

    const std::vector<std::tuple<std::string, int, std::string>> cases{
        {"1", 0, "run 1 already ended PASS"},
        {"2", 1, "run 2 already ended FAIL"},
    };
    ASSERT_EQ(cases.size(), 2U);
    for (const auto& [run, status, said] : cases) {
        const auto r = tests::run_process(
            provision({bench.ports()[0].path, bench.ports()[1].path}, {"--resume", run}), k_bound);
        EXPECT_EQ(r.exit_code, status) << run << "\n" << r.out << r.err;
        EXPECT_NE(r.out.find(said), std::string::npos) << r.out << r.err;
        EXPECT_NE(r.out.find("nothing to resume"), std::string::npos) << r.out;
        const auto events = tests::run_process(
            provision({bench.ports()[0].path}, {"--resume", run, "--json-events"}), k_bound);
        EXPECT_EQ(events.exit_code, status) << events.out << events.err;
        EXPECT_TRUE(events.out.empty()) << "stdout stays JSON lines: " << events.out;
        EXPECT_NE(events.err.find(said), std::string::npos) << events.err;
    }
    EXPECT_EQ(stored_rows(1).size(), 1U) << "nothing was redone";
    EXPECT_EQ(stored_rows(2).size(), 1U) << "nothing was redone";
    const auto wrong = tests::run_process(
        {tests::station_binary(), "provision", "--profile", "xr90-na", "--pallet", "P-other",
         "--db", db(), "--port", bench.ports()[0].path, "--resume", "1", "--no-manifest"},
        k_bound);
    EXPECT_EQ(wrong.exit_code, 64) << "another pallet's run: " << wrong.out << wrong.err;
}

// Item 13: `station runs` lists runs newest first with their counts, filtered by pallet and
// start date; a date it cannot read is a usage error naming it; strings are shown sanitized.
TEST_F(PalletLifecycle, RunsListsRunsNewestFirstWithCountsAndFilters) {
    tests::SimBench bench({"xr90-na", "xr90-global"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 2U);
    const auto r =
        tests::run_process(provision({bench.ports()[0].path, bench.ports()[1].path}, {}), k_bound);
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    {
        auto store = station::store::Store::open(db());
        ASSERT_TRUE(store);
        const auto later = std::chrono::system_clock::now() + 1h;
        ASSERT_TRUE(store->begin_run(
            {station::store::RunMode::provision, "op\x1b[2J", "P-\x1b[31mred", "xr90-na", later}));
    }
    const auto listed = tests::run_process(station({"runs", "--json"}), k_bound);
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    const auto doc = json::parse(listed.out, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << listed.out;
    const auto& runs = doc["runs"];
    ASSERT_EQ(runs.size(), 2U) << listed.out;
    EXPECT_EQ(runs[0]["id"], 2) << "newest first";
    EXPECT_TRUE(runs[0]["ended"].is_null());
    EXPECT_TRUE(runs[0]["outcome"].is_null());
    const auto& first = runs[1];
    EXPECT_EQ(first["id"], 1);
    EXPECT_EQ(first["pallet"], "P-7");
    EXPECT_EQ(first["profile"], "xr90-na");
    EXPECT_EQ(first["outcome"], "FAIL");
    EXPECT_EQ(first["interrupted"], false);
    EXPECT_TRUE(first["started"].is_string());
    EXPECT_TRUE(first["ended"].is_string());
    EXPECT_EQ(first["counts"]["PASS"], 1);
    EXPECT_EQ(first["counts"]["FAIL"], 1);
    EXPECT_EQ(first["counts"]["ERROR"], 0);

    const auto table = tests::run_process(station({"runs"}), k_bound);
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("OUTCOME"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("P-7"), std::string::npos) << table.out;
    EXPECT_EQ(table.out.find('\x1b'), std::string::npos) << "sanitized: " << table.out;
    EXPECT_NE(table.out.find("P-\\x1b[31mred"), std::string::npos) << table.out;

    const std::vector<std::pair<std::vector<std::string>, std::vector<int>>> filters{
        {{"--pallet", "P-7"}, {1}},
        {{"--pallet", "P-none"}, {}},
        {{"--since", "2000-01-01"}, {2, 1}},
        {{"--since", "2200-01-01T00:00:00Z"}, {}},
        {{"--pallet", "P-7", "--since", "2000-01-01T00:00:00.000Z"}, {1}},
    };
    ASSERT_EQ(filters.size(), 5U);
    for (const auto& [args, ids] : filters) {
        std::vector<std::string> a{"runs", "--json"};
        a.insert(a.end(), args.begin(), args.end());
        const auto f = tests::run_process(station(a), k_bound);
        ASSERT_EQ(f.exit_code, 0) << f.err;
        const auto listing = json::parse(f.out, nullptr, false);
        ASSERT_TRUE(listing.is_object()) << f.out;
        std::vector<int> got;
        for (const auto& run : listing["runs"]) got.push_back(run["id"]);
        EXPECT_EQ(got, ids) << args.back();
    }
    EXPECT_NE(
        tests::run_process(station({"runs", "--pallet", "P-none"}), k_bound).out.find("no runs"),
        std::string::npos);

    for (const std::string bad :
         {"2026-13-01", "yesterday", "2026-11-28T10:00:00+02:00", "bad\x1b[2J"}) {
        const auto b = tests::run_process(station({"runs", "--since", bad}), k_bound);
        EXPECT_EQ(b.exit_code, 64) << bad;
        EXPECT_NE(b.err.find("--since"), std::string::npos) << b.err;
        EXPECT_NE(b.err.find(bad.substr(0, 3)), std::string::npos) << "names the value " << b.err;
        EXPECT_EQ(b.err.find('\x1b'), std::string::npos) << b.err;
    }
}

}  // namespace
