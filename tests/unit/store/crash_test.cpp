// Many slot threads at once, and station processes that die: SIGKILL mid-run, a live run seen
// from a second process, two pusher processes on one outbox.
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

const std::string k_child = std::string(STATION_BINARY_DIR) + "/tests/unit/store_child";

std::vector<std::int64_t> read_ids(const std::string& file) {
    std::ifstream in(file);
    std::vector<std::int64_t> ids;
    std::int64_t id = 0;
    while (in >> id) ids.push_back(id);
    return ids;
}

bool wait_for_lines(const std::string& file, std::size_t lines, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (read_ids(file).size() >= lines) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

TEST_F(StoreTest, ManySlotThreadsWriteConcurrently) {
    auto store = open_store();
    auto run = ok(store.begin_run(sample_run()));
    constexpr int k_threads = 32;
    constexpr int k_units = 20;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([&, t] {
            for (int u = 0; u < k_units; ++u) {
                const std::string fsn = "FSN-" + std::to_string(t) + "-" + std::to_string(u);
                auto slot = store.begin_slot(run, sample_slot("S" + std::to_string(t)));
                bool good = slot.has_value();
                for (int s = 0; good && s < 4; ++s) {
                    good = store
                               .record_step(*slot, {"step" + std::to_string(s), Outcome::pass,
                                                    std::nullopt, "ok", at_ms(1), at_ms(2)})
                               .has_value();
                }
                good = good &&
                       store.finish_slot(*slot, sample_finish(fsn, "IMEI" + fsn, "ICCID" + fsn));
                good = good &&
                       store.upsert_device({fsn, "IMEI" + fsn, "ICCID" + fsn, at_ms(3), *slot});
                if (!good) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(ok(store.results_for_run(run)).size(), static_cast<std::size_t>(k_threads * k_units));
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM step_results"), k_threads * k_units * 4);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM devices"), k_threads * k_units);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM slot_results WHERE outcome IS NULL"), 0);
    EXPECT_TRUE(ok(store.check()).ok());
}

// Calls batched into one commit are isolated: the failing ones are undone alone.
TEST_F(StoreTest, FailingCallsInABatchDoNotHarmTheOthers) {
    auto store = open_store();
    auto run = ok(store.begin_run(sample_run()));
    auto slot = ok(store.begin_slot(run, sample_slot()));
    constexpr int k_threads = 16;
    constexpr int k_calls = 50;
    std::atomic<int> good_ok{0};
    std::atomic<int> bad_ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < k_calls; ++i) {
                const std::string name = "t" + std::to_string(t) + "-" + std::to_string(i);
                if (store.record_step(
                        slot, {name, Outcome::pass, std::nullopt, "", at_ms(1), at_ms(2)})) {
                    ++good_ok;
                }
                // Unknown slot result: a foreign key violation inside the same batches.
                if (store.record_step(st::SlotResultId{999'999}, {name, Outcome::pass, std::nullopt,
                                                                  "", at_ms(1), at_ms(2)})) {
                    ++bad_ok;
                }
                // A call of several statements whose last one fails.
                if (store.enqueue_registration({"FSN-" + name, name, "IMEI", "ICCID", "",
                                                station::core::DataCenter::na, 1, "", "",
                                                st::SlotResultId{999'999}, at_ms(3)})) {
                    ++bad_ok;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(good_ok.load(), k_threads * k_calls);
    EXPECT_EQ(bad_ok.load(), 0);
    EXPECT_EQ(ok(store.steps(slot)).size(), static_cast<std::size_t>(k_threads * k_calls));
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM step_results"), k_threads * k_calls);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM outbox"), 0);
}

TEST_F(StoreTest, SigkillMidRunLosesNoCommittedResult) {
    { open_store(); }
    const std::string progress = dir() + "/progress";
    {
        tests::BackgroundProcess child({k_child, "write", db_path().string(), progress});
        ASSERT_TRUE(wait_for_lines(progress, 150, std::chrono::seconds(30)))
            << "the writer never got going";
        ASSERT_EQ(::kill(child.pid(), SIGKILL), 0);
        child.stop();
    }
    const auto committed = read_ids(progress);
    ASSERT_GE(committed.size(), 150U);
    auto report = ok(st::inspect(db_path()));
    EXPECT_TRUE(report.ok()) << report.integrity.front();

    auto store = open_store();
    ASSERT_EQ(store.recovered_runs().size(), 1U);
    const auto run = store.recovered_runs().front();
    EXPECT_TRUE(ok(store.run(run))->interrupted);
    auto rows = ok(store.results_for_run(run));
    ASSERT_FALSE(rows.empty());
    std::set<std::int64_t> passed;
    int aborted = 0;
    for (const auto& row : rows) {
        if (row.slot.outcome == Outcome::pass) passed.insert(row.slot.id.value);
        if (row.slot.outcome == Outcome::aborted) ++aborted;
        EXPECT_TRUE(row.slot.outcome.has_value());
    }
    for (const auto id : committed) EXPECT_EQ(passed.count(id), 1U) << "lost result " << id;
    // At most the results in flight were lost: one unfinished slot per writer thread (4).
    EXPECT_LE(aborted, 4);
    EXPECT_LE(passed.size(), committed.size() + 4);
    for (const auto id : committed) {
        ASSERT_EQ(ok(store.steps(st::SlotResultId{id})).size(), 3U);
    }
    EXPECT_TRUE(ok(store.check()).ok());
}

TEST_F(StoreTest, LiveRunOfAnotherProcessIsNotInterrupted) {
    { open_store(); }
    const std::string ready = dir() + "/ready";
    std::int64_t run_id = 0;
    {
        tests::BackgroundProcess child({k_child, "hold", db_path().string(), ready});
        ASSERT_TRUE(wait_for_lines(ready, 1, std::chrono::seconds(30)));
        run_id = read_ids(ready).front();
        auto store = open_store();
        EXPECT_TRUE(store.recovered_runs().empty());
        EXPECT_FALSE(ok(store.run(st::RunId{run_id}))->interrupted);
        ASSERT_EQ(::kill(child.pid(), SIGKILL), 0);
        child.stop();
    }
    auto store = open_store();
    EXPECT_EQ(store.recovered_runs(), (std::vector<st::RunId>{st::RunId{run_id}}));
    EXPECT_TRUE(ok(store.run(st::RunId{run_id}))->interrupted);
}

TEST_F(StoreTest, TwoPusherProcessesNeverClaimTheSameRow) {
    {
        auto store = open_store();
        ok(store.bulk([&]() -> st::Result<void> {
            for (int i = 0; i < 200; ++i) {
                st::Registration r;
                r.fsn = "FSN-" + std::to_string(i);
                r.serial = r.fsn;
                r.imei = "IMEI-" + std::to_string(i);
                r.iccid = "ICCID-" + std::to_string(i);
                r.queued = at_ms(0);
                auto q = store.enqueue_registration(r);
                if (!q) return tl::unexpected(q.error());
            }
            return {};
        }));
    }
    tests::ProcessResult a;
    tests::ProcessResult b;
    std::thread ta([&] {
        a = tests::run_process({k_child, "claim", db_path().string(), "A"},
                               std::chrono::seconds(60));
    });
    std::thread tb([&] {
        b = tests::run_process({k_child, "claim", db_path().string(), "B"},
                               std::chrono::seconds(60));
    });
    ta.join();
    tb.join();
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    std::multiset<std::int64_t> ids;
    for (const auto* out : {&a.out, &b.out}) {
        std::istringstream in(*out);
        std::int64_t id = 0;
        while (in >> id) ids.insert(id);
    }
    EXPECT_EQ(ids.size(), 200U);
    EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), 200U);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM outbox WHERE state = 'registered'"), 200);
}

}  // namespace
}  // namespace tests::store
