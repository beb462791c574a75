// Writing and reading back: runs, slots, steps, transcripts, devices, duplicates, history.
#include "store_fixture.hpp"

namespace tests::store {
namespace {

using station::core::DataCenter;

TEST_F(StoreTest, SlotRoundTripKeepsEveryField) {
    auto store = open_store();
    auto run = ok(store.begin_run(sample_run()));
    auto slot = ok(store.begin_slot(run, sample_slot("B7", 2)));
    ok(store.record_step(slot,
                         {"identify", Outcome::pass, std::nullopt, "ok", at_ms(10), at_ms(200)}));
    ok(store.record_step(slot, {"decide", Outcome::fail, Reason::sku_mismatch, "Global on NA",
                                at_ms(200), at_ms(210)}));
    ok(store.record_transcript(slot, "> AT\r\n"));
    ok(store.record_transcript(slot, std::string("< OK\r\n\0\xff", 9)));
    auto finish = sample_finish("FSN1", "353270090000011", "89014104279999999995", Outcome::fail);
    ok(store.finish_slot(slot, finish));
    ok(store.finish_run(run, Outcome::fail, at_ms(999)));

    auto rows = ok(store.results_for_run(run));
    ASSERT_EQ(rows.size(), 1U);
    const auto& r = rows[0];
    EXPECT_EQ(r.run.info.operator_name, "alice");
    EXPECT_EQ(r.run.info.mode, st::RunMode::provision);
    EXPECT_EQ(r.run.outcome, Outcome::fail);
    EXPECT_EQ(r.slot.start.slot, "B7");
    EXPECT_EQ(r.slot.start.attempt, 2);
    EXPECT_EQ(r.slot.start.port_chain, "1-1.3");
    EXPECT_EQ(r.slot.start.started, at_ms(10));
    EXPECT_EQ(r.slot.identity.fsn, "FSN1");
    EXPECT_EQ(r.slot.identity.model, "EM7565");
    EXPECT_EQ(r.slot.identity.sim_status, station::core::SimStatus::ready);
    EXPECT_EQ(r.slot.identity.carrier_images, finish.identity.carrier_images);
    EXPECT_EQ(r.slot.region, station::core::Region::na);
    EXPECT_EQ(r.slot.outcome, Outcome::fail);
    EXPECT_EQ(r.slot.reason, Reason::sku_mismatch);
    EXPECT_EQ(r.slot.ended, at_ms(500));
    auto steps = ok(store.steps(slot));
    ASSERT_EQ(steps.size(), 2U);
    EXPECT_EQ(steps[1].name, "decide");
    EXPECT_EQ(steps[1].reason, Reason::sku_mismatch);
    EXPECT_EQ(steps[1].ended, at_ms(210));
    EXPECT_EQ(ok(store.transcript(slot)), std::string("> AT\r\n< OK\r\n\0\xff", 15));
}

TEST_F(StoreTest, HostileDeviceStringsAreStoredAsData) {
    auto store = open_store();
    auto run = ok(store.begin_run(sample_run()));
    auto slot = ok(store.begin_slot(run, sample_slot()));
    const std::string hostile = "EM\x1b[2J\x1b]0;pwned\x07'; DROP TABLE runs; --\r\n=1+1";
    auto finish = sample_finish("FSN\x1b[31m", "1", "2");
    finish.identity.model = hostile;
    finish.identity.carrier_images = {"a\nb", "c\\d", ""};
    ok(store.finish_slot(slot, finish));
    auto rows = ok(store.history(st::UnitKey::fsn, "FSN\x1b[31m"));
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].slot.identity.model, hostile);
    EXPECT_EQ(rows[0].slot.identity.carrier_images, finish.identity.carrier_images);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM runs"), 1);
}

TEST_F(StoreTest, FinishTwiceAndUnknownIdsFail) {
    auto store = open_store();
    auto run = ok(store.begin_run(sample_run()));
    auto slot = ok(store.begin_slot(run, sample_slot()));
    ok(store.finish_slot(slot, sample_finish("F", "1", "2")));
    auto again = store.finish_slot(slot, sample_finish("G", "1", "2"));
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().message.find("slot result " + std::to_string(slot.value)),
              std::string::npos);
    EXPECT_FALSE(store.finish_slot(st::SlotResultId{999}, sample_finish("F", "1", "2")));
    EXPECT_FALSE(store.record_step(st::SlotResultId{999}, {}));
    EXPECT_FALSE(store.finish_run(st::RunId{999}, Outcome::pass, at_ms(1)));
    ok(store.finish_run(run, Outcome::pass, at_ms(1)));
    EXPECT_FALSE(store.finish_run(run, Outcome::pass, at_ms(2)));
    EXPECT_FALSE(store.begin_run(sample_run("")));
    EXPECT_EQ(ok(store.history(st::UnitKey::fsn, "G")).size(), 0U);
}

TEST_F(StoreTest, BulkIsAllOrNothing) {
    auto store = open_store();
    auto run = ok(store.begin_run(sample_run()));
    auto failed = store.bulk([&]() -> st::Result<void> {
        for (int i = 0; i < 5; ++i) {
            if (!store.begin_slot(run, sample_slot()))
                return tl::unexpected(station::core::Error{});
        }
        return store.record_step(st::SlotResultId{12345}, {});  // FK violation: rolls back all
    });
    EXPECT_FALSE(failed);
    EXPECT_EQ(ok(store.results_for_run(run)).size(), 0U);
    ok(store.bulk([&]() -> st::Result<void> {
        for (int i = 0; i < 5; ++i) {
            if (!store.begin_slot(run, sample_slot()))
                return tl::unexpected(station::core::Error{});
        }
        return {};
    }));
    EXPECT_EQ(ok(store.results_for_run(run)).size(), 5U);
}

TEST_F(StoreTest, HistoryIsNewestFirstByEveryIdentifier) {
    auto store = open_store();
    std::vector<st::SlotResultId> slots;
    for (int i = 0; i < 3; ++i) {
        auto run = ok(store.begin_run(sample_run("PAL-" + std::to_string(i))));
        auto slot = ok(store.begin_slot(run, sample_slot()));
        ok(store.finish_slot(
            slot, sample_finish("FSN-A", "353270090000011",
                                i < 2 ? "89014104279999999995" : "89014104270000000004")));
        slots.push_back(slot);
        auto other = ok(store.begin_slot(run, sample_slot("A2")));
        ok(store.finish_slot(other, sample_finish("FSN-B" + std::to_string(i), "9", "8")));
    }
    auto by_fsn = ok(store.history(st::UnitKey::fsn, "FSN-A"));
    ASSERT_EQ(by_fsn.size(), 3U);
    EXPECT_EQ(by_fsn[0].slot.id, slots[2]);
    EXPECT_EQ(by_fsn[2].slot.id, slots[0]);
    EXPECT_EQ(by_fsn[0].run.info.lot, "PAL-2");
    EXPECT_EQ(ok(store.history(st::UnitKey::imei, "353270090000011")).size(), 3U);
    auto by_iccid = ok(store.history(st::UnitKey::iccid, "89014104279999999995"));
    ASSERT_EQ(by_iccid.size(), 2U);
    EXPECT_EQ(by_iccid[0].slot.id, slots[1]);
    EXPECT_EQ(ok(store.history(st::UnitKey::fsn, "FSN-A", 1)).size(), 1U);
    EXPECT_EQ(ok(store.history(st::UnitKey::fsn, "nope")).size(), 0U);
    EXPECT_EQ(ok(store.results_for_lot("PAL-1")).size(), 2U);
}

TEST_F(StoreTest, DevicesTrackIccidHistoryAndDuplicates) {
    auto store = open_store();
    auto first = ok(store.upsert_device({"FSN-1", "IMEI-1", "ICCID-1", at_ms(1), std::nullopt}));
    EXPECT_TRUE(first.new_unit);
    EXPECT_FALSE(first.previous_iccid);
    auto same = ok(store.upsert_device({"FSN-1", "IMEI-1", "ICCID-1", at_ms(2), std::nullopt}));
    EXPECT_FALSE(same.new_unit);
    EXPECT_FALSE(same.previous_iccid);
    EXPECT_FALSE(same.previous_imei);
    // Unreadable ICCID this time: no change reported, the known one kept.
    auto blank = ok(store.upsert_device({"FSN-1", "IMEI-1", "", at_ms(3), std::nullopt}));
    EXPECT_FALSE(blank.previous_iccid);
    auto swapped = ok(store.upsert_device({"FSN-1", "IMEI-1", "ICCID-2", at_ms(4), std::nullopt}));
    ASSERT_TRUE(swapped.previous_iccid);
    EXPECT_EQ(*swapped.previous_iccid, "ICCID-1");
    // Another unit shows up with FSN-1's old SIM, a third with FSN-1's IMEI.
    ok(store.upsert_device({"FSN-2", "IMEI-2", "ICCID-2", at_ms(5), std::nullopt}));
    ok(store.upsert_device({"FSN-3", "IMEI-1", "ICCID-3", at_ms(6), std::nullopt}));
    EXPECT_EQ(ok(store.other_units_with(st::UnitKey::iccid, "ICCID-2", "FSN-2")),
              (std::vector<std::string>{"FSN-1"}));
    EXPECT_EQ(ok(store.other_units_with(st::UnitKey::imei, "IMEI-1", "FSN-3")),
              (std::vector<std::string>{"FSN-1"}));
    EXPECT_TRUE(ok(store.other_units_with(st::UnitKey::imei, "IMEI-2", "FSN-2")).empty());

    auto iccids = ok(store.duplicate_iccids());
    ASSERT_EQ(iccids.size(), 1U);
    EXPECT_EQ(iccids[0].value, "ICCID-2");
    EXPECT_EQ(iccids[0].fsns, (std::vector<std::string>{"FSN-1", "FSN-2"}));
    auto imeis = ok(store.duplicate_imeis());
    ASSERT_EQ(imeis.size(), 1U);
    EXPECT_EQ(imeis[0].value, "IMEI-1");
    EXPECT_EQ(imeis[0].fsns, (std::vector<std::string>{"FSN-1", "FSN-3"}));
    auto swaps = ok(store.sim_swaps());
    ASSERT_EQ(swaps.size(), 1U);
    EXPECT_EQ(swaps[0].fsn, "FSN-1");
    EXPECT_EQ(swaps[0].previous_iccid, "ICCID-1");
    EXPECT_EQ(swaps[0].current_iccid, "ICCID-2");
    EXPECT_EQ(swaps[0].seen, at_ms(4));
    EXPECT_FALSE(store.upsert_device({"", "IMEI", "ICCID", at_ms(7), std::nullopt}));
}

TEST_F(StoreTest, OpenRunsOfDeadOwnersAreInterruptedLiveOnesAreNot) {
    st::RunId dead;
    st::RunId live;
    st::SlotResultId unfinished;
    st::SlotResultId finished;
    {
        auto store = open_store();
        dead = ok(store.begin_run(sample_run("PAL-DEAD")));
        finished = ok(store.begin_slot(dead, sample_slot("A1")));
        ok(store.finish_slot(finished, sample_finish("F1", "1", "2")));
        unfinished = ok(store.begin_slot(dead, sample_slot("A2")));
        live = ok(store.begin_run(sample_run("PAL-LIVE")));
    }
    // Pretend the first run's owner was a process that has since gone (pid reused: other start).
    raw_sql(db_path(), "UPDATE runs SET owner_start = owner_start + 1 WHERE id = " +
                           std::to_string(dead.value));
    auto store = open_store();
    EXPECT_EQ(store.recovered_runs(), (std::vector<st::RunId>{dead}));
    auto dead_run = ok(store.run(dead));
    EXPECT_TRUE(dead_run->interrupted);
    EXPECT_EQ(dead_run->outcome, Outcome::aborted);
    auto rows = ok(store.results_for_run(dead));
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].slot.outcome, Outcome::pass);
    EXPECT_EQ(rows[1].slot.outcome, Outcome::aborted);
    EXPECT_NE(rows[1].slot.message.find("interrupted"), std::string::npos);
    EXPECT_FALSE(ok(store.run(live))->interrupted);  // this process is alive
    // Opening again finds nothing more to recover.
    auto again = open_store();
    EXPECT_TRUE(again.recovered_runs().empty());
}

TEST_F(StoreTest, EventsAreRecorded) {
    auto store = open_store();
    auto run = ok(store.begin_run(sample_run()));
    ok(store.record_event(run, "quarantine", "slot A3 errored 3 times", at_ms(5)));
    ok(store.record_event(std::nullopt, "start", "station started", at_ms(6)));
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM events"), 2);
    EXPECT_FALSE(store.record_event(st::RunId{77}, "x", "y", at_ms(7)));
}

TEST_F(StoreTest, BackupIsAConsistentCopyAndRefusesToOverwrite) {
    auto store = open_store();
    auto run = ok(store.begin_run(sample_run()));
    for (int i = 0; i < 20; ++i) {
        auto slot = ok(store.begin_slot(run, sample_slot()));
        ok(store.finish_slot(slot, sample_finish("F" + std::to_string(i), "1", "2")));
    }
    const auto dest = std::filesystem::path(dir()) / "backup.db";
    ok(store.backup_to(dest));
    auto copy = ok(st::inspect(dest));
    EXPECT_TRUE(copy.ok());
    EXPECT_EQ(copy.schema_version, st::k_schema_version);
    EXPECT_EQ(raw_int(dest, "SELECT count(*) FROM slot_results"), 20);
    auto again = store.backup_to(dest);
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
    auto nowhere = store.backup_to(std::filesystem::path(dir()) / "no" / "such" / "dir" / "b.db");
    ASSERT_FALSE(nowhere);
    EXPECT_NE(nowhere.error().message.find("b.db"), std::string::npos) << nowhere.error().message;
}

}  // namespace
}  // namespace tests::store
