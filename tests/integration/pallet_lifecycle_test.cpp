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
  protected:
    std::string db() const { return m_dir.path() + "/station.db"; }

    // station provision on `ports`, pallet P-7, profile xr90-na, this test's database.
    std::vector<std::string> provision(const std::vector<std::string>& ports,
                                       std::vector<std::string> extra) const {
        std::vector<std::string> a{tests::station_binary(), "provision", "--profile", "xr90-na",
                                   "--pallet", "P-7", "--operator", "tester", "--db", db()};
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

    // An empty quarantined slot stays merely skipped: the units decide the run (PASS, 0).
    const std::string empty = m_dir.path() + "/slot-B2";  // nothing plugged in
    quarantine(empty);
    const auto skipped = tests::run_process(
        provision({bench.ports()[0].path, empty}, {"--json-events", "--wait-s", "0"}), k_bound);
    EXPECT_EQ(skipped.exit_code, 0) << skipped.out << skipped.err;
    const auto skipped_events = json_lines(skipped.out);
    EXPECT_EQ(count_kind(skipped_events, "slot_skipped"), 1U) << skipped.out;
    EXPECT_EQ(finished_by_slot(skipped_events).count(empty), 0U) << skipped.out;
    EXPECT_EQ(stored_rows(3).size(), 1U);
}

}  // namespace
