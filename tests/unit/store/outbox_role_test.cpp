// The Outbox role (outbox.hpp): its lease-owner form names one process, rows of a pusher that
// died are taken back through the role alone, and withdraw holds a unit's rows.
#include <station/store/outbox.hpp>
#include <station/store/quarantine.hpp>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

using station::core::DataCenter;

st::Registration queued(std::string fsn, std::string imei, std::string iccid) {
    st::Registration r;
    r.fsn = fsn;
    r.serial = std::move(fsn);
    r.imei = std::move(imei);
    r.iccid = std::move(iccid);
    r.data_center = DataCenter::na;
    r.queued = at_ms(0);
    return r;
}

TEST(LeaseOwner, NamesOneProcessAndReadsBack) {
    const st::ProcessOwner process{"bench-7", "0c1d-boot", 4242, 987654};
    const std::string owner = st::lease_owner_of(process);
    EXPECT_EQ(owner, "push:bench-7:0c1d-boot:4242:987654");
    const auto back = st::parse_lease_owner(owner);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->hostname, "bench-7");
    EXPECT_EQ(back->boot_id, "0c1d-boot");
    EXPECT_EQ(back->pid, 4242);
    EXPECT_EQ(back->start_ticks, 987654);
    const auto self = st::parse_lease_owner(st::own_lease_owner());
    ASSERT_TRUE(self);
    EXPECT_TRUE(st::is_alive(*self));
}

TEST(LeaseOwner, OtherFormsNameNoProcess) {
    for (const char* text : {"", "pusher-a", "push:", "push:h:b:12", "push:h:b:12:x",
                             "push:h:b:-:4", "push:h:b:1:2:3", "pull:h:b:1:2"}) {
        EXPECT_FALSE(st::parse_lease_owner(text)) << text;
    }
}

// Through the role only, as a pusher sees the store.
TEST_F(StoreTest, RowsOfADeadPusherAreTakenBackOthersAreLeft) {
    auto store = open_store();
    st::Outbox& outbox = store;
    for (int i = 0; i < 3; ++i) {
        ok(outbox.enqueue_registration(
            queued("FSN-" + std::to_string(i), "35327009000001" + std::to_string(i),
                   "8901410427999999999" + std::to_string(i))));
    }
    st::ProcessOwner dead = st::current_process_owner();
    dead.start_ticks += 1;  // this pid, another start: a process that is gone
    const std::string dead_owner = st::lease_owner_of(dead);
    const std::string live_owner = st::own_lease_owner();
    ASSERT_EQ(ok(outbox.claim_pending(DataCenter::na, 1, {dead_owner, at_ms(0), at_ms(60'000)}))
                  .size(),
              1U);
    ASSERT_EQ(ok(outbox.claim_pending(DataCenter::na, 1, {live_owner, at_ms(0), at_ms(60'000)}))
                  .size(),
              1U);
    ASSERT_EQ(ok(outbox.claim_pending(DataCenter::na, 1, {"test-owner", at_ms(0), at_ms(60'000)}))
                  .size(),
              1U);

    constexpr std::chrono::seconds k_wait(45);
    EXPECT_EQ(ok(outbox.recover_dead_claims(DataCenter::eu, at_ms(100), k_wait)), 0);
    EXPECT_EQ(ok(outbox.recover_dead_claims(DataCenter::na, at_ms(100), k_wait)), 1);
    // Its create may have been sent: in doubt, looked up again only after the wait.
    const auto doubt = ok(outbox.list_outbox(st::OutboxState::in_doubt));
    ASSERT_EQ(doubt.size(), 1U);
    EXPECT_EQ(doubt[0].registration.fsn, "FSN-0");
    EXPECT_TRUE(doubt[0].lease_owner.empty());
    EXPECT_EQ(doubt[0].next_attempt, at_ms(45'100));
    EXPECT_EQ(ok(outbox.list_outbox(st::OutboxState::claimed)).size(), 2U);
    EXPECT_EQ(ok(outbox.recover_dead_claims(DataCenter::na, at_ms(200), k_wait)), 0);
    EXPECT_TRUE(ok(outbox.claim_pending(DataCenter::na, 5, {"q", at_ms(45'099), at_ms(90'000)}))
                    .empty());
    EXPECT_EQ(ok(outbox.claim_pending(DataCenter::na, 5, {"q", at_ms(45'100), at_ms(90'000)})).size(),
              1U);
}

TEST_F(StoreTest, WithdrawHoldsUnsentRowsAndNotesSentOnes) {
    auto store = open_store();
    st::Outbox& outbox = store;
    ok(outbox.enqueue_registration(queued("FSN-A", "353270090000011", "89014104279999999991")));
    ok(outbox.enqueue_registration(queued("FSN-B", "353270090000012", "89014104279999999992")));
    auto claimed = ok(outbox.claim_pending(DataCenter::na, 2, {"p", at_ms(0), at_ms(60'000)}));
    ASSERT_EQ(claimed.size(), 2U);
    ok(outbox.mark_registered(claimed[1].id, "p", "uid-b", at_ms(10)));
    ok(outbox.release(claimed[0].id, "p", at_ms(10)));

    EXPECT_EQ(ok(outbox.withdraw("FSN-A", "89014104279999999991", "", "shares its ICCID",
                                 at_ms(20))),
              st::HeldRegistration::withdrawn);
    EXPECT_EQ(ok(outbox.withdraw("FSN-B", "", "353270090000012", "shares its IMEI", at_ms(20))),
              st::HeldRegistration::sent);
    EXPECT_EQ(ok(outbox.withdraw("FSN-C", "x", "y", "nothing", at_ms(20))),
              st::HeldRegistration::none);
    const auto withdrawn = ok(outbox.list_outbox(st::OutboxState::withdrawn));
    ASSERT_EQ(withdrawn.size(), 1U);
    EXPECT_EQ(withdrawn[0].hold, "shares its ICCID");
    const auto registered = ok(outbox.list_outbox(st::OutboxState::registered));
    ASSERT_EQ(registered.size(), 1U);
    EXPECT_EQ(registered[0].hold, "shares its IMEI");
    EXPECT_TRUE(ok(outbox.claim_pending(DataCenter::na, 5, {"q", at_ms(30), at_ms(60'000)})).empty());
}

// The row keeps the unit's region: as queued, else its slot result's, else its data center's.
TEST_F(StoreTest, RowKeepsTheUnitsRegionAndAction) {
    auto store = open_store();
    const auto run = ok(store.begin_run(sample_run()));
    const auto slot = ok(store.begin_slot(run, sample_slot()));
    auto finish = sample_finish("FSN-G", "353270090000020", "89014104279999999920");
    finish.region = station::core::Region::global;
    ok(store.finish_slot(slot, finish));

    struct Case {
        const char* fsn;
        std::optional<station::core::Region> region;
        std::optional<st::SlotResultId> slot;
        DataCenter data_center;
        station::core::Region kept;
    };
    const std::vector<Case> cases{
        {"FSN-Q", station::core::Region::global, std::nullopt, DataCenter::na,
         station::core::Region::global},
        {"FSN-G", std::nullopt, slot, DataCenter::na, station::core::Region::global},
        {"FSN-N", std::nullopt, std::nullopt, DataCenter::na, station::core::Region::na},
        {"FSN-E", std::nullopt, std::nullopt, DataCenter::eu, station::core::Region::global},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        auto r = queued(cases[i].fsn, "35327009000003" + std::to_string(i),
                        "8901410427999999993" + std::to_string(i));
        r.region = cases[i].region;
        r.slot_result = cases[i].slot;
        r.data_center = cases[i].data_center;
        ASSERT_EQ(ok(store.enqueue_registration(r)), st::Enqueued::queued) << cases[i].fsn;
    }
    const auto rows = ok(store.list_outbox());
    ASSERT_EQ(rows.size(), cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        EXPECT_EQ(rows[i].registration.fsn, cases[i].fsn);
        EXPECT_EQ(rows[i].registration.region, cases[i].kept) << cases[i].fsn;
        EXPECT_EQ(rows[i].registration.action, st::OutboxAction::create);
    }
}

// The Quarantine role, as the pallet workflow sees the store.
TEST_F(StoreTest, QuarantineRoleTakesASlotOutAndBack) {
    auto store = open_store();
    st::Quarantine& health = store;
    EXPECT_EQ(ok(health.slot_error_streak("B2")), 0);
    EXPECT_FALSE(ok(health.slot_quarantine("B2")));
    ok(health.quarantine_slot("B2", "3 units in a row ended in ERROR", at_ms(10)));
    EXPECT_EQ(ok(health.slot_quarantine("B2")), "3 units in a row ended in ERROR");
    const auto out = ok(health.quarantined_slots());
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].slot, "B2");
    ok(health.release_slot("B2", at_ms(20)));
    EXPECT_FALSE(ok(health.slot_quarantine("B2")));
    EXPECT_FALSE(health.release_slot("B2", at_ms(30)));
}

}  // namespace
}  // namespace tests::store
