// The RmaLog role on a real SQLite file: RMA cases, linked retest runs, the provisioning record a
// retest compares with (by FSN, by IMEI, only PASS results of provision runs, registration from
// the outbox) and the findings written on retested units.
#include <station/store/rma_log.hpp>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

using station::core::DataCenter;
using station::core::Finding;
using station::core::FindingKind;

constexpr const char* k_imei_a = "353270090000011";
constexpr const char* k_imei_b = "353270090000029";
constexpr const char* k_iccid_a = "89014104279999999995";
constexpr const char* k_iccid_b = "89014104270000000004";

class RmaLogTest : public StoreTest {
  protected:
    void SetUp() override { m_store.emplace(open_store()); }
    st::Store& store() { return *m_store; }

    // One unit tested in a run of `mode` on `lot`, ended at `ended_ms` (at_ms).
    st::SlotResultId unit(st::RunMode mode, const std::string& lot, const std::string& fsn,
                          const std::string& imei, const std::string& iccid,
                          Outcome outcome = Outcome::pass, std::int64_t ended_ms = 500) {
        const auto run = ok(store().begin_run(sample_run(lot, mode)));
        const auto slot = ok(store().begin_slot(run, sample_slot()));
        auto finish = sample_finish(fsn, imei, iccid, outcome);
        finish.profile = "xr90-na";
        finish.ended = at_ms(ended_ms);
        ok(store().finish_slot(slot, finish));
        ok(store().finish_run(run, outcome, at_ms(ended_ms)));
        m_last_run = run;
        return slot;
    }
    st::SlotResultId provisioned(const std::string& lot, const std::string& fsn,
                                 const std::string& imei, const std::string& iccid,
                                 std::int64_t ended_ms = 500) {
        return unit(st::RunMode::provision, lot, fsn, imei, iccid, Outcome::pass, ended_ms);
    }
    // Queues the unit's registration; `registered`: the pusher carried it out.
    void queue(const std::string& fsn, st::SlotResultId slot, bool registered) {
        st::Registration r;
        r.fsn = fsn;
        r.serial = fsn;
        r.imei = k_imei_a;
        r.iccid = k_iccid_a;
        r.data_center = DataCenter::na;
        r.slot_result = slot;
        r.queued = at_ms(600);
        ASSERT_EQ(ok(store().enqueue_registration(r)), st::Enqueued::queued);
        if (!registered) return;
        const auto rows =
            ok(store().claim_pending(DataCenter::na, 10, {"pusher", at_ms(700), at_ms(60'000)}));
        ASSERT_EQ(rows.size(), 1U);
        ok(store().mark_registered(rows[0].id, "pusher", "uid-1", at_ms(800)));
    }
    std::string host() { return ok(store().run(m_last_run))->hostname; }

    st::RunId m_last_run;

  private:
    std::optional<st::Store> m_store;
};

TEST_F(RmaLogTest, OpenRmaCreatesOnceAndKeepsReceivedAndOperator) {
    const auto first =
        ok(store().open_rma({"RMA-100", "Acme", "dead on arrival", "alice", at_ms(0)}));
    EXPECT_EQ(first.id, "RMA-100");
    EXPECT_EQ(first.received, at_ms(0));
    // A later open with the id in other case: same case, customer/note only when given.
    const auto again = ok(store().open_rma({"rma-100", "", "second box", "bob", at_ms(9000)}));
    EXPECT_EQ(again.id, "RMA-100");
    EXPECT_EQ(again.customer, "Acme");
    EXPECT_EQ(again.note, "second box");
    EXPECT_EQ(again.operator_name, "alice");
    EXPECT_EQ(again.received, at_ms(0));
    const auto read = ok(store().rma("Rma-100"));
    ASSERT_TRUE(read);
    EXPECT_EQ(read->note, "second box");
    EXPECT_FALSE(ok(store().rma("RMA-101")));
    EXPECT_FALSE(store().open_rma({" ", "Acme", "", "alice", at_ms(0)}));
}

TEST_F(RmaLogTest, LinkRunNeedsAKnownRunAndRmaAndKeepsTheFirstLink) {
    ok(store().open_rma({"RMA-1", "", "", "alice", at_ms(0)}));
    ok(store().open_rma({"RMA-2", "", "", "alice", at_ms(0)}));
    const auto run = ok(store().begin_run(sample_run("RMA-1", st::RunMode::retest)));
    const auto unknown_rma = store().link_run(run, "RMA-404");
    ASSERT_FALSE(unknown_rma);
    EXPECT_NE(unknown_rma.error().message.find("no such RMA"), std::string::npos);
    const auto unknown_run = store().link_run(st::RunId{run.value + 50}, "RMA-1");
    ASSERT_FALSE(unknown_run);
    EXPECT_NE(unknown_run.error().message.find("no such run"), std::string::npos);
    ok(store().link_run(run, "rma-1"));
    ok(store().link_run(run, "RMA-1"));  // again: nothing changes
    const auto other = store().link_run(run, "RMA-2");
    ASSERT_FALSE(other);
    EXPECT_NE(other.error().message.find("belongs to RMA RMA-1"), std::string::npos);
}

TEST_F(RmaLogTest, ProvisioningHistoryFindsTheLastPassOfAProvisionRun) {
    const auto first = provisioned("PAL-1", "LA5123", k_imei_a, k_iccid_a, 500);
    (void)first;
    const auto last = provisioned("PAL-2", "LA5123", k_imei_a, k_iccid_b, 86'400'000);
    const auto pallet2_host = host();
    const auto pallet2_run = m_last_run;
    // Not counted: a later FAIL, a later PASS of a retest run.
    unit(st::RunMode::provision, "PAL-3", "LA5123", k_imei_a, k_iccid_a, Outcome::fail, 90'000'000);
    unit(st::RunMode::retest, "RMA-1", "LA5123", k_imei_a, k_iccid_a, Outcome::pass, 95'000'000);
    queue("LA5123", last, true);

    const auto history = ok(store().provisioning_history("la5123", k_imei_a));
    ASSERT_TRUE(history.by_fsn);
    EXPECT_FALSE(history.by_imei) << "the same result found by IMEI is told once";
    const auto& unit = *history.by_fsn;
    EXPECT_EQ(unit.fsn, "LA5123");
    EXPECT_EQ(unit.imei, k_imei_a);
    EXPECT_EQ(unit.iccid, k_iccid_b);
    EXPECT_EQ(unit.firmware, "SWI9X50C_01.14.03.00");
    EXPECT_EQ(unit.profile, "xr90-na");
    EXPECT_EQ(unit.region, station::core::Region::na);
    EXPECT_EQ(unit.data_center, DataCenter::na);
    EXPECT_TRUE(unit.registered);
    // at_ms(86'400'000) is 2026-09-22T14:13:20Z.
    EXPECT_EQ(unit.seen, "run " + std::to_string(pallet2_run.value) + ", pallet PAL-2, " +
                             pallet2_host + ", 2026-09-22");
}

TEST_F(RmaLogTest, RegisteredOnlyWhenTheOutboxRowReachedRegistered) {
    const auto queued_only = provisioned("PAL-1", "LA0001", k_imei_a, k_iccid_a);
    queue("LA0001", queued_only, false);
    provisioned("PAL-1", "LA0002", k_imei_b, k_iccid_b);
    EXPECT_FALSE(ok(store().provisioning_history("LA0001", k_imei_a)).by_fsn->registered);
    EXPECT_FALSE(ok(store().provisioning_history("LA0002", k_imei_b)).by_fsn->registered);
}

TEST_F(RmaLogTest, AModuleMovedBetweenUnitsIsFoundByItsImei) {
    provisioned("PAL-1", "LA0001", k_imei_a, k_iccid_a);
    provisioned("PAL-1", "LA0002", k_imei_b, k_iccid_b);
    // LA0001 comes back carrying LA0002's module.
    const auto history = ok(store().provisioning_history("LA0001", k_imei_b));
    ASSERT_TRUE(history.by_fsn);
    ASSERT_TRUE(history.by_imei);
    EXPECT_EQ(history.by_fsn->imei, k_imei_a);
    EXPECT_EQ(history.by_imei->fsn, "LA0002");
    // A unit never seen, and empty identifiers: nothing found.
    const auto none = ok(store().provisioning_history("LA9999", "353270090000037"));
    EXPECT_FALSE(none.by_fsn);
    EXPECT_FALSE(none.by_imei);
    const auto blank = ok(store().provisioning_history("", ""));
    EXPECT_FALSE(blank.by_fsn || blank.by_imei);
    // Only by IMEI: a unit whose FSN is new.
    const auto by_imei = ok(store().provisioning_history("LA7777", k_imei_a));
    EXPECT_FALSE(by_imei.by_fsn);
    ASSERT_TRUE(by_imei.by_imei);
    EXPECT_EQ(by_imei.by_imei->fsn, "LA0001");
}

TEST_F(RmaLogTest, ProvisioningLookUpsWalkTheirIndexes) {
    const auto plan = [&](const std::string& where) {
        std::string sql = "EXPLAIN QUERY PLAN SELECT s.id FROM slot_results s WHERE " + where +
                          " AND s.outcome = 'PASS' ORDER BY s.id DESC LIMIT 1";
        sqlite3* conn = nullptr;
        sqlite3_open(db_path().c_str(), &conn);
        sqlite3_stmt* stmt = nullptr;
        std::string details;
        sqlite3_prepare_v2(conn, sql.c_str(), -1, &stmt, nullptr);
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            details += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
            details += '\n';
        }
        sqlite3_finalize(stmt);
        sqlite3_close(conn);
        return details;
    };
    EXPECT_NE(plan("s.fsn = 'x' COLLATE NOCASE").find("slot_results_pass_by_fsn"),
              std::string::npos);
    EXPECT_NE(plan("s.imei = 'x' COLLATE NOCASE").find("slot_results_pass_by_imei"),
              std::string::npos);
}

TEST_F(RmaLogTest, FindingsRoundTripInOrderAndAreReplaced) {
    const auto slot =
        unit(st::RunMode::retest, "RMA-1", "LA0001", k_imei_a, k_iccid_b, Outcome::fail);
    const std::vector<Finding> findings{
        {FindingKind::sim_swapped, k_iccid_a, k_iccid_b, "run 1, pallet P1, bench, 2026-09-21"},
        {FindingKind::not_registered, "queued for na", "not registered", "run 1"},
        {FindingKind::firmware_downgraded, "SWI 01.14", "SWI 01.09 \x1b[31m", ""},
    };
    EXPECT_TRUE(ok(store().findings(slot)).empty());
    ok(store().record_findings(slot, findings));
    auto back = ok(store().findings(slot));
    ASSERT_EQ(back.size(), 3U);
    for (std::size_t i = 0; i < back.size(); ++i) {
        EXPECT_EQ(back[i].kind, findings[i].kind);
        EXPECT_EQ(back[i].before, findings[i].before);
        EXPECT_EQ(back[i].now, findings[i].now);
        EXPECT_EQ(back[i].seen, findings[i].seen);
    }
    ok(store().record_findings(slot, {findings[1]}));
    back = ok(store().findings(slot));
    ASSERT_EQ(back.size(), 1U);
    EXPECT_EQ(back[0].kind, FindingKind::not_registered);
    EXPECT_FALSE(store().record_findings(st::SlotResultId{slot.value + 99}, findings));
}

TEST_F(RmaLogTest, RetestsOfAnRmaAndSinceADate) {
    ok(store().open_rma({"RMA-OLD", "Acme", "", "alice", at_ms(0)}));
    ok(store().open_rma({"RMA-NEW", "Beta", "", "bob", at_ms(86'400'000)}));
    const auto old_unit = unit(st::RunMode::retest, "RMA-OLD", "LA0001", k_imei_a, k_iccid_a);
    ok(store().link_run(m_last_run, "RMA-OLD"));
    const auto new_1 =
        unit(st::RunMode::retest, "RMA-NEW", "LA0002", k_imei_b, k_iccid_b, Outcome::fail);
    ok(store().link_run(m_last_run, "RMA-NEW"));
    ok(store().record_findings(new_1, {{FindingKind::sim_swapped, k_iccid_a, k_iccid_b, "run 1"}}));
    const auto new_2 = unit(st::RunMode::retest, "RMA-NEW", "LA0003", k_imei_a, k_iccid_a);
    ok(store().link_run(m_last_run, "rma-new"));
    // A retest run linked to no RMA shows in neither.
    unit(st::RunMode::retest, "RMA-NEW", "LA0004", k_imei_a, k_iccid_a);

    const auto of_new = ok(store().retests_of_rma("rma-new"));
    ASSERT_EQ(of_new.size(), 2U);
    EXPECT_EQ(of_new[0].result.slot.id, new_1);
    EXPECT_EQ(of_new[0].rma, "RMA-NEW");
    ASSERT_EQ(of_new[0].findings.size(), 1U);
    EXPECT_EQ(of_new[0].findings[0].kind, FindingKind::sim_swapped);
    EXPECT_EQ(of_new[1].result.slot.id, new_2);
    EXPECT_TRUE(of_new[1].findings.empty());
    EXPECT_TRUE(ok(store().retests_of_rma("RMA-NONE")).empty());

    const auto all = ok(store().retests_since(at_ms(0)));
    ASSERT_EQ(all.size(), 3U);
    EXPECT_EQ(all[0].result.slot.id, old_unit);
    EXPECT_EQ(all[0].rma, "RMA-OLD");
    EXPECT_EQ(all[2].result.slot.id, new_2);
    const auto since = ok(store().retests_since(at_ms(1)));
    ASSERT_EQ(since.size(), 2U);
    EXPECT_EQ(since[0].rma, "RMA-NEW");
}

TEST_F(RmaLogTest, TheStoreTakesTheRole) {
    st::RmaLog& log = store();
    ok(log.open_rma({"RMA-R", "", "", "alice", at_ms(0)}));
    EXPECT_TRUE(ok(log.rma("RMA-R")));
}

}  // namespace
}  // namespace tests::store
