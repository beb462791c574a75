// claim_identity: a shared ICCID/IMEI holds both units; the earlier unit's PASS becomes FAIL, its
// unsent outbox rows are withdrawn (kept, never claimed), rows already sent are noted; the same
// unit re-tested is not its own duplicate; a withdrawn row blocks nothing later.
#include <functional>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

using station::core::DataCenter;

constexpr const char* k_iccid = "89014104273001549164";
constexpr const char* k_other_iccid = "89014104270000000004";

struct Unit {
    std::string fsn;
    std::string imei;
    std::string iccid;
};

const Unit k_genuine{"FSN-GENUINE", "353270090000012", k_iccid};
const Unit k_clone{"FSN-CLONE", "354125080999912", k_iccid};

class IdentityClaimTest : public StoreTest {
  protected:
    // One unit through a run's slot as the workflow does it: begin, claim, queue when clean,
    // finish PASS when clean (FAIL with the duplicate reason otherwise).
    st::IdentityClaim provision(st::Store& store, st::RunId run, const std::string& slot,
                                const Unit& unit) {
        const auto id = ok(store.begin_slot(run, sample_slot(slot)));
        auto claim = ok(store.claim_identity({unit.fsn, unit.imei, unit.iccid, at_ms(100), id}));
        auto finish = sample_finish(unit.fsn, unit.imei, unit.iccid);
        if (claim.holders.empty()) {
            ok(store.enqueue_registration(registration(unit, id)));
        } else {
            finish.outcome = Outcome::fail;
            finish.reason = claim.holders.front().reason;
        }
        ok(store.finish_slot(id, finish));
        return claim;
    }

    static st::Registration registration(const Unit& unit, st::SlotResultId id) {
        return st::Registration{unit.fsn,       unit.fsn, unit.imei, unit.iccid, "310410730099997",
                                DataCenter::na, 1,        "PO-1",    "",         id,
                                at_ms(200)};
    }

    static std::vector<st::ResultRow> results(st::Store& store, st::RunId run) {
        return ok(store.results_for_run(run));
    }
};

TEST_F(IdentityClaimTest, FirstClaimIsCleanAndRecordsTheSighting) {
    auto store = open_store();
    const auto run = ok(store.begin_run(sample_run()));
    const auto claim = provision(store, run, "A1", k_genuine);
    EXPECT_TRUE(claim.change.new_unit);
    EXPECT_TRUE(claim.holders.empty());
    EXPECT_EQ(ok(store.other_units_with(st::UnitKey::iccid, k_iccid, "FSN-X")),
              std::vector<std::string>{k_genuine.fsn});
}

TEST_F(IdentityClaimTest, SecondUnitHoldsTheFirstAndWithdrawsItsUnsentRow) {
    auto store = open_store();
    const auto run = ok(store.begin_run(sample_run()));
    provision(store, run, "A1", k_genuine);
    const auto claim = provision(store, run, "A2", k_clone);

    ASSERT_EQ(claim.holders.size(), 1U);
    const auto& held = claim.holders[0];
    EXPECT_EQ(held.fsn, k_genuine.fsn);
    EXPECT_EQ(held.reason, Reason::duplicate_iccid);
    EXPECT_EQ(held.value, k_iccid);
    EXPECT_EQ(held.slot, "A1");
    EXPECT_EQ(held.run, run);
    EXPECT_EQ(held.outcome, Outcome::pass);
    EXPECT_TRUE(held.changed);
    EXPECT_EQ(held.registration, st::HeldRegistration::withdrawn);

    // The first unit's stored result is FAIL naming the second, with a step saying so.
    const auto rows = results(store, run);
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].slot.outcome, Outcome::fail);
    EXPECT_EQ(rows[0].slot.reason, Reason::duplicate_iccid);
    EXPECT_NE(rows[0].slot.message.find("unit FSN-CLONE (slot A2, run " +
                                        std::to_string(run.value) + ")"),
              std::string::npos)
        << rows[0].slot.message;
    const auto steps = ok(store.steps(rows[0].slot.id));
    ASSERT_EQ(steps.size(), 1U);
    EXPECT_EQ(steps[0].name, "duplicate_held");
    EXPECT_EQ(steps[0].outcome, Outcome::fail);

    // Its row is withdrawn, kept, never claimed, counted and listed by the status.
    const auto outbox = ok(store.list_outbox());
    ASSERT_EQ(outbox.size(), 1U);
    EXPECT_EQ(outbox[0].state, st::OutboxState::withdrawn);
    EXPECT_NE(outbox[0].hold.find("FSN-CLONE"), std::string::npos);
    EXPECT_TRUE(
        ok(store.claim_pending(DataCenter::na, 10, {"p", at_ms(300), at_ms(9000)})).empty());
    const auto status = ok(store.outbox_status());
    ASSERT_EQ(status.counts.size(), 1U);
    EXPECT_EQ(status.counts[0].state, st::OutboxState::withdrawn);
    EXPECT_EQ(status.waiting(DataCenter::na), 0);
    ASSERT_EQ(status.held.size(), 1U);
    EXPECT_EQ(status.held[0].id, outbox[0].id);
}

TEST_F(IdentityClaimTest, EarlierRunIsHeldToo) {
    auto store = open_store();
    const auto first = ok(store.begin_run(sample_run("PAL-1")));
    provision(store, first, "A1", k_genuine);
    ok(store.finish_run(first, Outcome::pass, at_ms(1000)));
    const auto second = ok(store.begin_run(sample_run("PAL-2")));
    const auto claim = provision(store, second, "B7", k_clone);
    ASSERT_EQ(claim.holders.size(), 1U);
    EXPECT_EQ(claim.holders[0].run, first);
    EXPECT_TRUE(claim.holders[0].changed);
    EXPECT_EQ(claim.holders[0].registration, st::HeldRegistration::withdrawn);
    EXPECT_EQ(ok(store.run(first))->outcome, Outcome::fail) << "its worst slot is FAIL now";
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM events WHERE kind = 'duplicate_held'"), 1);
}

TEST_F(IdentityClaimTest, SentRowIsNotWithdrawnButNotedToInspect) {
    auto store = open_store();
    const auto run = ok(store.begin_run(sample_run()));
    provision(store, run, "A1", k_genuine);
    const auto claimed = ok(store.claim_pending(DataCenter::na, 1, {"p", at_ms(300), at_ms(9000)}));
    ASSERT_EQ(claimed.size(), 1U);
    ok(store.mark_registered(claimed[0].id, "p", "uid-1", at_ms(400)));

    const auto claim = provision(store, run, "A2", k_clone);
    ASSERT_EQ(claim.holders.size(), 1U);
    EXPECT_EQ(claim.holders[0].registration, st::HeldRegistration::sent);
    EXPECT_TRUE(claim.holders[0].changed);
    const auto outbox = ok(store.list_outbox());
    ASSERT_EQ(outbox.size(), 1U);
    EXPECT_EQ(outbox[0].state, st::OutboxState::registered);
    EXPECT_FALSE(outbox[0].hold.empty());
    EXPECT_EQ(ok(store.outbox_status()).held.size(), 1U);
}

TEST_F(IdentityClaimTest, RowBeingSentGoesToWithdrawnWhenTheSendDoesNotHappen) {
    struct Case {
        std::string name;
        std::function<void(st::Store&, st::OutboxId)> settle;
        st::OutboxState state;
    };
    const std::vector<Case> cases{
        {"released", [](st::Store& s, st::OutboxId id) { ok(s.release(id, "p", at_ms(500))); },
         st::OutboxState::withdrawn},
        {"retry later",
         [](st::Store& s, st::OutboxId id) {
             ok(s.mark_failed(id, "p", "HTTP 503", st::Retry::later, at_ms(500), at_ms(600)));
         },
         st::OutboxState::withdrawn},
        {"registered",
         [](st::Store& s, st::OutboxId id) { ok(s.mark_registered(id, "p", "u", at_ms(500))); },
         st::OutboxState::registered},
    };
    int n = 0;
    for (const auto& c : cases) {
        auto store = ok(st::Store::open(dir() + "/case" + std::to_string(++n) + ".db"));
        const auto run = ok(store.begin_run(sample_run()));
        provision(store, run, "A1", k_genuine);
        const auto claimed =
            ok(store.claim_pending(DataCenter::na, 1, {"p", at_ms(300), at_ms(9000)}));
        ASSERT_EQ(claimed.size(), 1U) << c.name;
        const auto claim = provision(store, run, "A2", k_clone);
        ASSERT_EQ(claim.holders.size(), 1U) << c.name;
        EXPECT_EQ(claim.holders[0].registration, st::HeldRegistration::sent) << c.name;
        c.settle(store, claimed[0].id);
        const auto outbox = ok(store.list_outbox());
        ASSERT_EQ(outbox.size(), 1U) << c.name;
        EXPECT_EQ(outbox[0].state, c.state) << c.name;
    }
}

TEST_F(IdentityClaimTest, SameUnitRetestedIsNotItsOwnDuplicate) {
    auto store = open_store();
    const auto first = ok(store.begin_run(sample_run("PAL-1")));
    provision(store, first, "A1", k_genuine);
    const auto second = ok(store.begin_run(sample_run("PAL-1")));
    const auto claim = provision(store, second, "A3", k_genuine);
    EXPECT_FALSE(claim.change.new_unit);
    EXPECT_TRUE(claim.holders.empty());
    const auto outbox = ok(store.list_outbox());
    ASSERT_EQ(outbox.size(), 1U);
    EXPECT_EQ(outbox[0].state, st::OutboxState::pending);
    EXPECT_EQ(results(store, first)[0].slot.outcome, Outcome::pass);
}

TEST_F(IdentityClaimTest, SharedImeiIsDuplicateImei) {
    auto store = open_store();
    const auto run = ok(store.begin_run(sample_run()));
    provision(store, run, "A1", k_genuine);
    const Unit same_imei{"FSN-OTHER", k_genuine.imei, k_other_iccid};
    const auto claim = provision(store, run, "A2", same_imei);
    ASSERT_EQ(claim.holders.size(), 1U);
    EXPECT_EQ(claim.holders[0].reason, Reason::duplicate_imei);
    EXPECT_EQ(claim.holders[0].value, k_genuine.imei);
}

TEST_F(IdentityClaimTest, WithdrawnRowDoesNotBlockALaterRegistration) {
    auto store = open_store();
    const auto run = ok(store.begin_run(sample_run()));
    const auto genuine = ok(store.begin_slot(run, sample_slot("A1")));
    ok(store.claim_identity({k_genuine.fsn, k_genuine.imei, k_genuine.iccid, at_ms(100), genuine}));
    ok(store.enqueue_registration(registration(k_genuine, genuine)));
    provision(store, run, "A2", k_clone);
    // The mix-up sorted out (the clone's SIM replaced), the genuine unit is queued afresh.
    EXPECT_EQ(ok(store.enqueue_registration(registration(k_genuine, genuine))),
              st::Enqueued::queued);
    EXPECT_EQ(ok(store.list_outbox(st::OutboxState::pending)).size(), 1U);
    EXPECT_EQ(ok(store.list_outbox(st::OutboxState::withdrawn)).size(), 1U);
}

TEST_F(IdentityClaimTest, ClaimNeedsAnFsnAndASlotResult) {
    auto store = open_store();
    EXPECT_FALSE(store.claim_identity({"", "1", "2", at_ms(0), st::SlotResultId{1}}));
    EXPECT_FALSE(store.claim_identity({"FSN", "1", "2", at_ms(0), std::nullopt}));
    EXPECT_FALSE(store.claim_identity({"FSN", "1", "2", at_ms(0), st::SlotResultId{99}}));
}

}  // namespace
}  // namespace tests::store
