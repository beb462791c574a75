// The pallet workflow (station/workflows) against routersim units and a real SQLite file:
// outcomes, steps written as they happen, retry, duplicates, quarantine, resume, stop.
#include <station/workflows/provision.hpp>

#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include <station/config/manifest_file.hpp>
#include <station/store/store.hpp>

#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using station::core::DataCenter;
using station::core::Outcome;
using station::core::Reason;
using namespace station;

class RecordingSink : public workflows::EventSink {
  public:
    void on_event(const workflows::Event& e) override {
        std::lock_guard lock(m_mutex);
        m_events.push_back(e);
    }
    std::vector<workflows::Event> of(workflows::EventKind kind) const {
        std::lock_guard lock(m_mutex);
        std::vector<workflows::Event> out;
        for (const auto& e : m_events) {
            if (e.kind == kind) out.push_back(e);
        }
        return out;
    }

  private:
    mutable std::mutex m_mutex;
    std::vector<workflows::Event> m_events;
};

class ProvisionWorkflow : public testing::Test {
  protected:
    ProvisionWorkflow() : m_profiles(profiles::load_profile_dir(STATION_SOURCE_DIR "/profiles")) {
        m_options.profiles = &m_profiles;
        m_options.pallet = m_profiles.find("xr90-na");
        m_options.pallet_id = "P-0001";
        m_options.operator_name = "tester";
        m_options.command_timeout = std::chrono::milliseconds(300);
        m_options.wait_for_unit = std::chrono::milliseconds(200);
        m_options.poll_interval = std::chrono::milliseconds(20);
    }

    store::Store open_store() {
        auto s = store::Store::open(m_dir.path() + "/station.db");
        EXPECT_TRUE(s) << s.error().message;
        return std::move(*s);
    }

    static std::vector<workflows::SlotTarget> slots_of(const tests::SimBench& bench) {
        std::vector<workflows::SlotTarget> slots;
        int n = 0;
        for (const auto& port : bench.ports()) {
            slots.push_back({"S" + std::to_string(++n), "", port.path});
        }
        return slots;
    }

    // The benches' packing list, loaded as `provision --manifest` loads it.
    station::core::Result<station::core::Manifest> load_manifest(
        const std::vector<const tests::SimBench*>& benches) {
        return station::config::load_manifest(
            tests::merge_manifests(benches, m_dir.path() + "/manifest.csv"),
            [skus = m_profiles.skus()](std::string_view part) {
                return station::core::profile_with_part(skus, part) != nullptr;
            });
    }

    std::map<std::string, workflows::UnitResult> by_slot(const workflows::RunSummary& s) {
        std::map<std::string, workflows::UnitResult> out;
        for (const auto& u : s.units) out[u.slot] = u;
        return out;
    }

    tests::TempDir m_dir;
    profiles::ProfileSet m_profiles;
    workflows::ProvisionOptions m_options;
    RecordingSink m_sink;
};

TEST_F(ProvisionWorkflow, AllGoodUnitsPassAndAreQueuedOnceForTheirDataCenter) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "4", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 4U);
    auto store = open_store();
    const auto summary = workflows::provision(store, slots_of(bench), m_options, m_sink);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->outcome, Outcome::pass);
    ASSERT_EQ(summary->units.size(), 4U);
    for (const auto& u : summary->units) {
        EXPECT_EQ(u.outcome, Outcome::pass) << u.slot << ": " << u.message;
        EXPECT_EQ(u.data_center, DataCenter::na);
        EXPECT_EQ(u.attempts, 1);
    }
    const auto pending = store.list_outbox(store::OutboxState::pending, DataCenter::na);
    ASSERT_TRUE(pending);
    EXPECT_EQ(pending->size(), 4U);
    // Every step was written, in order, for every unit.
    const auto rows = store.results_for_run(summary->run);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 4U);
    const auto steps = store.steps((*rows)[0].slot.id);
    ASSERT_TRUE(steps);
    std::vector<std::string> names;
    for (const auto& s : *steps) names.push_back(s.name);
    EXPECT_EQ(names,
              (std::vector<std::string>{"wait_for_unit", "open_port", "identify", "validate",
                                        "decide_sku", "check_duplicates", "queue_registration"}));
    const auto run = store.run(summary->run);
    ASSERT_TRUE(run && *run);
    EXPECT_EQ((*run)->outcome, Outcome::pass);
    EXPECT_FALSE(store.transcript((*rows)[0].slot.id)->empty());

    // The same units again: PASS, not queued twice.
    const auto again = workflows::provision(store, slots_of(bench), m_options, m_sink);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->outcome, Outcome::pass);
    EXPECT_EQ(store.list_outbox(std::nullopt, std::nullopt)->size(), 4U);
}

TEST_F(ProvisionWorkflow, MixedPalletEndsEachUnitInItsReason) {
    tests::SimBench good(
        {"xr90-na", "xr90-global", "xr90-global-att-sim",
         STATION_SOURCE_DIR "/fixtures/personalities/cases/xr90-na-dup-iccid.toml"},
        {}, {"--latency-ms", "0"});
    tests::SimBench nosim({"xr90-na-old-firmware"}, {"no_sim"}, {"--latency-ms", "0"});
    ASSERT_EQ(good.ports().size(), 4U);
    ASSERT_EQ(nosim.ports().size(), 1U);
    // The pallet's manifest: the Global unit is named Global by it (sku_mismatch on this NA
    // pallet), the Global unit with an AT&T SIM is vetoed by its SIM.
    auto manifest = load_manifest({&good, &nosim});
    ASSERT_TRUE(manifest) << manifest.error().message;
    m_options.manifest = &*manifest;
    auto slots = slots_of(good);
    slots.push_back({"S5", "", nosim.ports()[0].path});
    auto store = open_store();
    const auto summary = workflows::provision(store, slots, m_options, m_sink);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->outcome, Outcome::fail);
    auto units = by_slot(*summary);
    ASSERT_EQ(units.size(), 5U);
    EXPECT_EQ(units["S2"].reason, Reason::sku_mismatch);
    EXPECT_EQ(units["S3"].reason, Reason::sku_conflicting_signals);
    EXPECT_EQ(units["S5"].reason, Reason::sim_not_inserted);
    // S1 and S4 share an ICCID: both are held, whichever the station saw first.
    for (const std::string slot : {"S1", "S4"}) {
        EXPECT_EQ(units[slot].outcome, Outcome::fail) << slot;
        EXPECT_EQ(units[slot].reason, Reason::duplicate_iccid) << slot;
        EXPECT_NE(units[slot].message.find("89014104273001549164 is also on unit"),
                  std::string::npos)
            << units[slot].message;
    }
    EXPECT_EQ(summary->held.size(), 1U) << "the first one seen was held by the second";
    EXPECT_TRUE(store.list_outbox(store::OutboxState::pending, std::nullopt)->empty());
    EXPECT_EQ(store.list_outbox(store::OutboxState::withdrawn, std::nullopt)->size(), 1U);
}

TEST_F(ProvisionWorkflow, ErrorIsRetriedOnceThenReported) {
    tests::SimBench bench({"xr90-na"}, {"silent"}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 1U);
    auto store = open_store();
    const auto summary = workflows::provision(store, slots_of(bench), m_options, m_sink);
    ASSERT_TRUE(summary);
    ASSERT_EQ(summary->units.size(), 1U);
    EXPECT_EQ(summary->units[0].outcome, Outcome::error);
    EXPECT_EQ(summary->units[0].reason, Reason::no_response);
    EXPECT_EQ(summary->units[0].attempts, 2);
    EXPECT_EQ(summary->outcome, Outcome::error);
    EXPECT_EQ(store.results_for_run(summary->run)->size(), 2U) << "both attempts recorded";
}

TEST_F(ProvisionWorkflow, SlotErroringOnThreeUnitsIsQuarantinedUntilReleased) {
    tests::SimBench bench({"xr90-na"}, {"silent"}, {"--latency-ms", "0"});
    auto store = open_store();
    const auto slots = slots_of(bench);
    for (int run = 1; run <= 3; ++run) {
        const auto summary = workflows::provision(store, slots, m_options, m_sink);
        ASSERT_TRUE(summary);
        EXPECT_EQ(summary->quarantined_slots.size(), run == 3 ? 1U : 0U) << "run " << run;
    }
    // The quarantined slot tests nothing, but the unit in it is one to pull, never skipped.
    const auto held = workflows::provision(store, slots, m_options, m_sink);
    ASSERT_TRUE(held);
    ASSERT_EQ(held->units.size(), 1U);
    EXPECT_EQ(held->units[0].reason, Reason::slot_quarantined);
    EXPECT_EQ(held->outcome, Outcome::error);
    EXPECT_TRUE(held->skipped_slots.empty());
    ASSERT_TRUE(store.release_slot("S1", std::chrono::system_clock::now()));
    const auto released = workflows::provision(store, slots, m_options, m_sink);
    ASSERT_TRUE(released);
    EXPECT_EQ(released->units.size(), 1U) << "back in service";
    EXPECT_TRUE(released->quarantined_slots.empty()) << "the streak restarts at the release";
}

TEST_F(ProvisionWorkflow, EmptySlotIsNotAResultAndNothingIsNeverPass) {
    auto store = open_store();
    const std::vector<workflows::SlotTarget> slots{{"E1", "", m_dir.path() + "/no-such-tty"}};
    const auto summary = workflows::provision(store, slots, m_options, m_sink);
    ASSERT_TRUE(summary);
    EXPECT_TRUE(summary->units.empty());
    EXPECT_EQ(summary->empty_slots, std::vector<std::string>{"E1"});
    EXPECT_EQ(summary->outcome, Outcome::error);
}

TEST_F(ProvisionWorkflow, StopFlagEndsInFlightUnitsAborted) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "3", "--latency-ms", "400"});
    ASSERT_EQ(bench.ports().size(), 3U);
    auto store = open_store();
    std::atomic<bool> stop{false};
    m_options.stop = &stop;
    m_options.command_timeout = std::chrono::milliseconds(2000);
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // ATI in flight
        stop.store(true);
    });
    const auto summary = workflows::provision(store, slots_of(bench), m_options, m_sink);
    stopper.join();
    ASSERT_TRUE(summary);
    EXPECT_TRUE(summary->stopped);
    EXPECT_EQ(summary->outcome, Outcome::aborted);
    for (const auto& u : summary->units) EXPECT_EQ(u.outcome, Outcome::aborted) << u.message;
    const auto run = store.run(summary->run);
    EXPECT_EQ((*run)->outcome, Outcome::aborted);
    EXPECT_TRUE(store.list_outbox(std::nullopt, std::nullopt)->empty());
}

TEST_F(ProvisionWorkflow, ResumeSkipsSlotsAlreadyPass) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "2", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 2U);
    auto store = open_store();
    const auto slots = slots_of(bench);
    // A run stopped (Ctrl-C) after S1 passed.
    const auto now = std::chrono::system_clock::now();
    // With the pallet's manifest: the unit S1 passed with before the stop is not missing from it.
    auto manifest = load_manifest({&bench});
    ASSERT_TRUE(manifest) << manifest.error().message;
    ASSERT_EQ(manifest->size(), 2U);
    store::RunInfo info{store::RunMode::provision, "tester", "P-0001", "xr90-na", now};
    info.manifest = store::RunManifest{manifest->source(), manifest->sha256, 2};
    auto first_run = store.begin_run(info);
    ASSERT_TRUE(first_run);
    auto s1 = store.begin_slot(*first_run, {"S1", "", slots[0].port, 1, now});
    ASSERT_TRUE(s1);
    store::SlotFinish pass;
    pass.identity.fsn = manifest->lines()[0].serial;
    pass.identity.imei = manifest->lines()[0].imei;
    pass.outcome = Outcome::pass;
    pass.ended = now;
    ASSERT_TRUE(store.finish_slot(*s1, pass));
    ASSERT_TRUE(store.finish_run(*first_run, Outcome::aborted, now));

    m_options.resume = *first_run;
    // Resumed with another packing list, or none, it is refused: the rest of the pallet would be
    // decided on other evidence.
    const auto without = workflows::provision(store, slots, m_options, m_sink);
    ASSERT_FALSE(without);
    EXPECT_NE(without.error().message.find("resume it with --manifest"), std::string::npos)
        << without.error().message;
    station::core::Manifest other = *manifest;
    other.sha256 = std::string(64, '0');
    m_options.manifest = &other;
    const auto changed = workflows::provision(store, slots, m_options, m_sink);
    ASSERT_FALSE(changed);
    EXPECT_NE(changed.error().message.find("was decided with another manifest"), std::string::npos)
        << changed.error().message;
    m_options.manifest = &*manifest;
    const auto resumed = workflows::provision(store, slots, m_options, m_sink);
    ASSERT_TRUE(resumed) << resumed.error().message;
    EXPECT_EQ(resumed->run.value, first_run->value);
    EXPECT_EQ(resumed->skipped_slots, std::vector<std::string>{"S1"});
    ASSERT_EQ(resumed->units.size(), 1U);
    EXPECT_EQ(resumed->units[0].slot, "S2");
    EXPECT_EQ(resumed->outcome, Outcome::pass);
    EXPECT_TRUE(resumed->missing_from_pallet.empty()) << "S1's line was seen before the stop";
    EXPECT_EQ(store.results_for_run(*first_run)->size(), 2U) << "S1 once, S2 once";
    EXPECT_EQ(store.list_outbox(std::nullopt, std::nullopt)->size(), 1U) << "S2's unit";

    // A run that ended normally is not resumed again: a no-op that returns its outcome.
    const auto again = workflows::provision(store, slots, m_options, m_sink);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(again->already_ended);
    EXPECT_EQ(again->outcome, Outcome::pass);
    EXPECT_TRUE(again->units.empty());
    EXPECT_EQ(store.results_for_run(*first_run)->size(), 2U) << "nothing redone";
    // Another pallet's run is refused.
    m_options.pallet_id = "P-other";
    const auto refused = workflows::provision(store, slots, m_options, m_sink);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().reason, Reason::bad_usage);
}

TEST_F(ProvisionWorkflow, BadOptionsAreUsageErrors) {
    auto store = open_store();
    m_options.term_years = 2;
    const auto r = workflows::provision(store, {{"S1", "", "/dev/null"}}, m_options, m_sink);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, Reason::bad_usage);
    m_options.term_years = 1;
    const auto twice =
        workflows::provision(store, {{"S1", "", "/a"}, {"S1", "", "/b"}}, m_options, m_sink);
    ASSERT_FALSE(twice);
    EXPECT_NE(twice.error().message.find("slot 'S1' is given twice"), std::string::npos);
}

}  // namespace
