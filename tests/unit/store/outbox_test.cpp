// The registration outbox: queueing rules, claims with leases, marks, status and export.
#include <set>
#include <thread>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

using station::core::DataCenter;

st::Registration reg(std::string fsn, DataCenter dc = DataCenter::na, std::int64_t queued = 0) {
    st::Registration r;
    r.fsn = fsn;
    r.serial = fsn;
    r.imei = "35327009000001" + std::to_string(fsn.size() % 10);
    r.iccid = "8901410427999999999" + std::to_string(fsn.size() % 10);
    r.imsi = "310170000000001";
    r.data_center = dc;
    r.term_years = 3;
    r.po = "PO-1";
    r.queued = at_ms(queued);
    return r;
}

st::Lease lease(std::string owner, std::int64_t now, std::int64_t until) {
    return st::Lease{std::move(owner), at_ms(now), at_ms(until)};
}

TEST_F(StoreTest, UnitIsQueuedOncePerDataCenterAndNeverForTwo) {
    auto store = open_store();
    EXPECT_EQ(ok(store.enqueue_registration(reg("FSN-1"))), st::Enqueued::queued);
    EXPECT_EQ(ok(store.enqueue_registration(reg("FSN-1"))), st::Enqueued::already_queued);
    EXPECT_EQ(ok(store.enqueue_registration(reg("FSN-1", DataCenter::eu))),
              st::Enqueued::queued_for_other_data_center);
    EXPECT_EQ(ok(store.list_outbox()).size(), 1U);
    auto missing = reg("FSN-2");
    missing.iccid.clear();
    EXPECT_FALSE(store.enqueue_registration(missing));
}

TEST_F(StoreTest, ClaimLeasesRowsAndMarksNeedTheLease) {
    auto store = open_store();
    for (int i = 0; i < 5; ++i) ok(store.enqueue_registration(reg("FSN-" + std::to_string(i))));
    ok(store.enqueue_registration(reg("FSN-EU", DataCenter::eu)));

    auto a = ok(store.claim_pending(DataCenter::na, 3, lease("a", 100, 10'000)));
    ASSERT_EQ(a.size(), 3U);
    EXPECT_EQ(a[0].registration.fsn, "FSN-0");
    EXPECT_EQ(a[0].state, st::OutboxState::claimed);
    EXPECT_EQ(a[0].lease_owner, "a");
    EXPECT_EQ(a[0].registration.term_years, 3);
    auto b = ok(store.claim_pending(DataCenter::na, 10, lease("b", 200, 10'000)));
    ASSERT_EQ(b.size(), 2U);
    EXPECT_EQ(b[0].registration.fsn, "FSN-3");
    EXPECT_TRUE(ok(store.claim_pending(DataCenter::na, 10, lease("c", 300, 10'000))).empty());

    // Only the lease holder may mark.
    auto stolen = store.mark_registered(a[0].id, "b", "uid-x", at_ms(400));
    ASSERT_FALSE(stolen);
    EXPECT_NE(stolen.error().message.find("not claimed by b"), std::string::npos);
    ok(store.mark_registered(a[0].id, "a", "uid-0", at_ms(400)));
    ok(store.mark_conflict(a[1].id, "a", "IMEI already in another company", at_ms(400)));
    ok(store.mark_failed(a[2].id, "a", "HTTP 503", st::Retry::later, at_ms(400), at_ms(5'000)));
    ok(store.mark_failed(b[0].id, "b", "HTTP 400 bad ICCID", st::Retry::never, at_ms(400),
                         at_ms(400)));
    ok(store.release(b[1].id, "b", at_ms(500)));
    EXPECT_FALSE(store.mark_registered(a[0].id, "a", "uid-0", at_ms(401)));  // no longer claimed

    // The retried row is not due before its next attempt; the released one is.
    auto early = ok(store.claim_pending(DataCenter::na, 10, lease("c", 600, 10'000)));
    ASSERT_EQ(early.size(), 1U);
    EXPECT_EQ(early[0].id, b[1].id);
    EXPECT_EQ(early[0].attempts, 0);
    auto later = ok(store.claim_pending(DataCenter::na, 10, lease("c", 5'000, 20'000)));
    ASSERT_EQ(later.size(), 1U);
    EXPECT_EQ(later[0].id, a[2].id);
    EXPECT_EQ(later[0].attempts, 1);
    EXPECT_EQ(later[0].last_error, "HTTP 503");

    auto all = ok(store.list_outbox());
    ASSERT_EQ(all.size(), 6U);
    EXPECT_EQ(all[0].state, st::OutboxState::registered);
    EXPECT_EQ(all[0].remote_id, "uid-0");
    EXPECT_EQ(all[1].state, st::OutboxState::conflict);
    EXPECT_EQ(all[3].state, st::OutboxState::failed);
    EXPECT_EQ(ok(store.list_outbox(st::OutboxState::claimed)).size(), 2U);
    EXPECT_EQ(ok(store.list_outbox(std::nullopt, DataCenter::eu)).size(), 1U);

    auto status = ok(store.outbox_status());
    std::int64_t total = 0;
    for (const auto& c : status.counts) total += c.count;
    EXPECT_EQ(total, 6);
    ASSERT_TRUE(status.oldest_pending);
    EXPECT_EQ(*status.oldest_pending, at_ms(0));
    ASSERT_GE(status.last_errors.size(), 3U);
    EXPECT_FALSE(status.last_errors[0].last_error.empty());

    EXPECT_FALSE(store.claim_pending(DataCenter::na, 0, lease("c", 1, 2)));
    EXPECT_FALSE(store.claim_pending(DataCenter::na, 1, lease("", 1, 2)));
    EXPECT_FALSE(store.claim_pending(DataCenter::na, 1, lease("c", 2, 1)));
}

TEST_F(StoreTest, ExpiredLeaseIsClaimableAgainAndTheOldOwnerLosesIt) {
    auto store = open_store();
    ok(store.enqueue_registration(reg("FSN-1")));
    auto a = ok(store.claim_pending(DataCenter::na, 1, lease("a", 0, 1'000)));
    ASSERT_EQ(a.size(), 1U);
    EXPECT_EQ(ok(store.recover_dead_claims(DataCenter::na, at_ms(999), std::chrono::seconds(2))),
              0);
    EXPECT_TRUE(ok(store.claim_pending(DataCenter::na, 1, lease("b", 999, 5'000))).empty());
    // Expired: taken back in doubt (its create may be on the way), due 2 s later.
    EXPECT_EQ(
        ok(store.recover_dead_claims(DataCenter::na, at_ms(1'000), std::chrono::seconds(2))), 1);
    const auto doubt = ok(store.list_outbox(st::OutboxState::in_doubt));
    ASSERT_EQ(doubt.size(), 1U);
    EXPECT_EQ(doubt[0].next_attempt, at_ms(3'000));
    EXPECT_TRUE(ok(store.claim_pending(DataCenter::na, 1, lease("b", 2'999, 9'000))).empty());
    auto b = ok(store.claim_pending(DataCenter::na, 1, lease("b", 3'000, 9'000)));
    ASSERT_EQ(b.size(), 1U);
    EXPECT_EQ(b[0].lease_owner, "b");
    EXPECT_FALSE(
        store.mark_failed(a[0].id, "a", "late", st::Retry::later, at_ms(3'100), at_ms(3'100)));
    ok(store.mark_registered(b[0].id, "b", "uid", at_ms(3'200)));
}

// Two pushers with connections of their own (as two processes would have) claim concurrently.
TEST_F(StoreTest, ConcurrentClaimersNeverShareARow) {
    {
        auto store = open_store();
        ok(store.bulk([&]() -> st::Result<void> {
            for (int i = 0; i < 300; ++i) {
                auto q = store.enqueue_registration(reg("FSN-" + std::to_string(i)));
                if (!q) return tl::unexpected(q.error());
            }
            return {};
        }));
    }
    constexpr int k_pushers = 4;
    std::vector<std::vector<std::int64_t>> claimed(k_pushers);
    std::vector<std::thread> threads;
    for (int p = 0; p < k_pushers; ++p) {
        threads.emplace_back([&, p] {
            auto store = st::Store::open(db_path());
            if (!store) return;
            const std::string owner = "pusher-" + std::to_string(p);
            for (;;) {
                auto rows = store->claim_pending(DataCenter::na, 7, lease(owner, 10, 60'000));
                if (!rows || rows->empty()) return;
                for (const auto& row : *rows) {
                    claimed[static_cast<std::size_t>(p)].push_back(row.id.value);
                    if (!store->mark_registered(row.id, owner, "uid", at_ms(20))) return;
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    std::set<std::int64_t> seen;
    std::size_t total = 0;
    for (const auto& ids : claimed) {
        total += ids.size();
        seen.insert(ids.begin(), ids.end());
    }
    EXPECT_EQ(total, 300U);
    EXPECT_EQ(seen.size(), 300U);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM outbox WHERE state = 'registered'"), 300);
}

}  // namespace
}  // namespace tests::store
