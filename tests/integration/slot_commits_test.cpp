// Issue 14 item 5, the pallet workflow against routersim units and a real SQLite file: slots
// test their units while their bookkeeping is still on the way to the disk (another connection
// holds the write lock), yet no unit's outcome is shown before it is stored; a store failure in
// a queued write or in the store steps ends the unit ERROR with nothing claimed stored that is
// not; two units with one ICCID on one pallet, checked at the same moment, are told apart.
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <station/store/store.hpp>
#include <station/workflows/provision.hpp>

#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using station::core::Outcome;
using station::core::Reason;
using namespace station;
using namespace std::chrono_literals;

// Records events; can run a hook on run_started (before any slot starts).
class Sink : public workflows::EventSink {
  public:
    std::function<void()> on_run_started;

    void on_event(const workflows::Event& e) override {
        if (e.kind == workflows::EventKind::run_started && on_run_started) on_run_started();
        std::lock_guard lock(m_mutex);
        m_events.push_back(e);
        m_changed.notify_all();
    }
    std::vector<workflows::Event> events() const {
        std::lock_guard lock(m_mutex);
        return m_events;
    }
    std::size_t count(workflows::EventKind kind, std::string_view step = {}) const {
        std::lock_guard lock(m_mutex);
        return count_locked(kind, step);
    }
    // Waits (at most `limit`) until `n` events of `kind` (and `step`) came.
    bool wait_for(std::size_t n, workflows::EventKind kind, std::string_view step,
                  std::chrono::milliseconds limit) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, limit, [&] { return count_locked(kind, step) >= n; });
    }

  private:
    std::size_t count_locked(workflows::EventKind kind, std::string_view step) const {
        std::size_t n = 0;
        for (const auto& e : m_events) n += e.kind == kind && (step.empty() || e.step == step);
        return n;
    }
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<workflows::Event> m_events;
};

// A second connection to the database file, for what the station must not see or do.
class Raw {
  public:
    explicit Raw(const std::string& path) {
        sqlite3_open(path.c_str(), &m_db);
        sqlite3_busy_timeout(m_db, 30000);
    }
    ~Raw() { sqlite3_close(m_db); }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;
    bool exec(const std::string& sql) {
        return sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    std::int64_t count(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(m_db, sql.c_str(), -1, &stmt, nullptr);
        const std::int64_t n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
        sqlite3_finalize(stmt);
        return n;
    }

  private:
    sqlite3* m_db = nullptr;
};

class SlotCommits : public testing::Test {
  protected:
    SlotCommits() : m_profiles(profiles::load_profile_dir(STATION_SOURCE_DIR "/profiles")) {
        m_options.profiles = &m_profiles;
        m_options.pallet = m_profiles.find("xr90-na");
        m_options.pallet_id = "P-0001";
        m_options.operator_name = "tester";
        m_options.command_timeout = 2000ms;
        m_options.wait_for_unit = 2000ms;
        m_options.poll_interval = 20ms;
    }

    std::string db() const { return m_dir.path() + "/station.db"; }
    store::Store open_store() {
        store::OpenOptions o;
        o.busy_timeout = 60s;  // the writer waits for the other connection's lock
        auto s = store::Store::open(db(), o);
        EXPECT_TRUE(s) << s.error().message;
        return std::move(*s);
    }
    static std::vector<workflows::SlotTarget> slots_of(
        const std::vector<const tests::SimBench*>& benches) {
        std::vector<workflows::SlotTarget> slots;
        for (const auto* bench : benches) {
            for (const auto& port : bench->ports()) {
                slots.push_back({"S" + std::to_string(slots.size() + 1), "", port.path});
            }
        }
        return slots;
    }

    tests::TempDir m_dir;
    profiles::ProfileSet m_profiles;
    workflows::ProvisionOptions m_options;
};

TEST_F(SlotCommits, SlotsTestTheirUnitsWhileTheirWritesWaitButShowNoOutcomeUnstored) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "4", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 4U);
    auto store = open_store();
    Raw other(db());
    Sink sink;
    // Once the run is begun, another connection takes the write lock: no write commits now.
    sink.on_run_started = [&] { ASSERT_TRUE(other.exec("BEGIN IMMEDIATE")); };
    std::optional<core::Result<workflows::RunSummary>> summary;
    std::thread run([&] { summary = workflows::provision(store, slots_of({&bench}), m_options, sink); });

    // Every unit is identified and decided while nothing of it can be committed...
    const bool decided = sink.wait_for(4, workflows::EventKind::step_finished, "decide_sku", 20s);
    EXPECT_TRUE(decided) << "slots waited for their bookkeeping's commits";
    // ... and none is shown finished, nor found stored by anyone.
    EXPECT_EQ(sink.count(workflows::EventKind::unit_finished), 0U);
    EXPECT_EQ(other.count("SELECT count(*) FROM slot_results"), 0);
    ASSERT_TRUE(other.exec("ROLLBACK"));
    run.join();

    ASSERT_TRUE(summary && *summary) << (*summary).error().message;
    EXPECT_EQ((**summary).outcome, Outcome::pass);
    ASSERT_EQ((**summary).units.size(), 4U);
    // Every step, in order, and the result are stored for every unit.
    for (const auto& u : (**summary).units) {
        EXPECT_EQ(u.outcome, Outcome::pass) << u.slot << ": " << u.message;
        ASSERT_TRUE(u.result);
        const auto steps = store.steps(*u.result);
        ASSERT_TRUE(steps);
        std::vector<std::string> names;
        for (const auto& s : *steps) names.push_back(s.name);
        EXPECT_EQ(names, (std::vector<std::string>{"wait_for_unit", "open_port", "identify",
                                                   "validate", "decide_sku", "check_duplicates",
                                                   "queue_registration"}));
        EXPECT_FALSE(store.transcript(*u.result)->empty());
    }
    EXPECT_EQ(store.list_outbox(store::OutboxState::pending)->size(), 4U);
}

struct Failure {
    const char* name;
    const char* table;  // its inserts fail
    std::size_t stored_steps;  // steps a unit's result keeps (upper bound)
};

class StoreFailures : public SlotCommits, public testing::WithParamInterface<Failure> {};

// A write of the unit fails: the unit ends ERROR store_error saying why; nothing after the failed
// write is stored or shown as stored (no claim, no registration, no PASS).
TEST_P(StoreFailures, EndTheUnitErrorAndStoreNothingAfterThem) {
    const Failure f = GetParam();
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "2", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 2U);
    auto store = open_store();
    Raw other(db());
    ASSERT_TRUE(other.exec(std::string("CREATE TRIGGER fail_it BEFORE INSERT ON ") + f.table +
                           " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
    Sink sink;
    const auto summary = workflows::provision(store, slots_of({&bench}), m_options, sink);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->outcome, Outcome::error);
    ASSERT_EQ(summary->units.size(), 2U);
    for (const auto& u : summary->units) {
        EXPECT_EQ(u.attempts, 2) << "an ERROR is retried once";
        EXPECT_EQ(u.outcome, Outcome::error) << u.slot;
        EXPECT_EQ(u.reason, Reason::store_error) << u.slot;
        EXPECT_NE(u.message.find("injected failure"), std::string::npos) << u.message;
        ASSERT_TRUE(u.result) << "the ERROR itself is recorded";
        const auto rows = store.attempts_in_slot(summary->run, u.slot);
        ASSERT_TRUE(rows);
        EXPECT_EQ(rows->size(), 2U);
        for (const auto& row : *rows) {
            EXPECT_EQ(row.slot.outcome, Outcome::error);
            EXPECT_EQ(row.slot.reason, Reason::store_error);
        }
        EXPECT_LE(store.steps(*u.result)->size(), f.stored_steps);
    }
    ASSERT_FALSE(sink.events().empty());
    for (const auto& e : sink.events()) {
        if (e.kind == workflows::EventKind::unit_finished) {
            EXPECT_EQ(e.outcome, Outcome::error) << e.message;
        }
        EXPECT_NE(e.step, "check_duplicates") << "shown checked, not stored";
    }
    EXPECT_EQ(other.count("SELECT count(*) FROM devices"), 0) << "no claim stored";
    EXPECT_EQ(other.count("SELECT count(*) FROM outbox"), 0) << "no registration";
    EXPECT_EQ(other.count("SELECT count(*) FROM step_results WHERE name = 'check_duplicates'"), 0);
}

std::string failure_name(const testing::TestParamInfo<Failure>& info) {
    return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(
    Writes, StoreFailures,
    testing::Values(Failure{"QueuedTranscript", "transcripts", 3},
                    Failure{"StoreStepRegistration", "outbox", 5}),
    failure_name);

// The first queued write of a unit (a step) fails: its later writes are not made.
TEST_F(SlotCommits, AFailedQueuedStepStopsTheUnitsLaterWrites) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    auto store = open_store();
    Raw other(db());
    ASSERT_TRUE(other.exec("CREATE TRIGGER fail_it BEFORE INSERT ON step_results"
                           " WHEN NEW.name = 'open_port'"
                           " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
    Sink sink;
    const auto summary = workflows::provision(store, slots_of({&bench}), m_options, sink);
    ASSERT_TRUE(summary) << summary.error().message;
    ASSERT_FALSE(summary->units.empty());
    for (const auto& u : summary->units) {
        EXPECT_EQ(u.reason, Reason::store_error) << u.message;
        ASSERT_TRUE(u.result);
        const auto steps = store.steps(*u.result);
        ASSERT_EQ(steps->size(), 1U) << "only the step before the failed one";
        EXPECT_EQ((*steps)[0].name, "wait_for_unit");
        EXPECT_TRUE(store.transcript(*u.result)->empty());
    }
    EXPECT_EQ(other.count("SELECT count(*) FROM devices"), 0);
}

// The last word on each slot: unit_finished, then any unit_changed after it.
std::map<std::string, workflows::Event> last_word(const std::vector<workflows::Event>& events) {
    std::map<std::string, workflows::Event> out;
    for (const auto& e : events) {
        if (e.kind == workflows::EventKind::unit_finished ||
            e.kind == workflows::EventKind::unit_changed) {
            out[e.slot] = e;
        }
    }
    return out;
}

// Two units with one ICCID reach the duplicate check at the same moment, pallet after pallet:
// one claims first and the other is held by it, whichever order the writer took them in; the
// screen's last word and the store agree (both held: FAIL duplicate_iccid), one row withdrawn.
TEST_F(SlotCommits, TwoSlotsWithOneIccidAreToldApartWhicheverClaimsFirst) {
    const std::string clone = STATION_SOURCE_DIR "/fixtures/personalities/cases/xr90-na-dup-iccid.toml";
    std::map<std::string, int> held_first;  // slot held, per pallet
    for (int pallet = 0; pallet < 6; ++pallet) {
        tests::TempDir dir;
        store::OpenOptions o;
        auto store = store::Store::open(dir.path() + "/station.db", o);
        ASSERT_TRUE(store);
        tests::SimBench genuine({"xr90-na"}, {}, {"--latency-ms", "0"});
        tests::SimBench copy({clone}, {}, {"--latency-ms", "0"});
        Sink sink;
        m_options.pallet_id = "P-" + std::to_string(pallet);
        const auto summary =
            workflows::provision(*store, slots_of({&genuine, &copy}), m_options, sink);
        ASSERT_TRUE(summary) << summary.error().message;
        ASSERT_EQ(summary->units.size(), 2U);
        for (const auto& u : summary->units) {
            EXPECT_EQ(u.outcome, Outcome::fail) << u.slot << ": " << u.message;
            EXPECT_EQ(u.reason, Reason::duplicate_iccid) << u.slot;
        }
        ASSERT_EQ(summary->held.size(), 1U) << "exactly one claimed first and was held";
        const std::string held = summary->held[0].slot;
        ++held_first[held];
        // Shown in the order stored: the held unit's last word is its change to FAIL.
        const auto last = last_word(sink.events());
        ASSERT_EQ(last.size(), 2U);
        EXPECT_EQ(last.at(held).kind, workflows::EventKind::unit_changed);
        for (const auto& [slot, e] : last) EXPECT_EQ(e.outcome, Outcome::fail) << slot;
        const auto rows = store->results_for_run(summary->run);
        ASSERT_TRUE(rows);
        ASSERT_EQ(rows->size(), 2U);
        for (const auto& row : *rows) EXPECT_EQ(row.slot.reason, Reason::duplicate_iccid);
        EXPECT_TRUE(store->list_outbox(store::OutboxState::pending)->empty());
        EXPECT_EQ(store->list_outbox(store::OutboxState::withdrawn)->size(), 1U);
    }
    EXPECT_FALSE(held_first.empty());
}

}  // namespace
