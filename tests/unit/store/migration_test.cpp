// Migrations: a file written by every earlier schema version opens, migrates and keeps its data.
#include <fstream>
#include <sstream>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

class MigrationTest : public StoreTest {
  protected:
    void load_version(int version) {
        const std::string sql = read_text(std::string(STATION_SOURCE_DIR) + "/tests/data/store/v" +
                                          std::to_string(version) + ".sql");
        ASSERT_FALSE(sql.empty());
        raw_sql(db_path(), sql);
        ASSERT_EQ(raw_int(db_path(), "PRAGMA user_version"), version);
    }
};

TEST_F(MigrationTest, EveryEarlierVersionHasAFixture) {
    for (int v = 1; v < st::k_schema_version; ++v) {
        EXPECT_TRUE(std::filesystem::exists(std::string(STATION_SOURCE_DIR) +
                                            "/tests/data/store/v" + std::to_string(v) + ".sql"))
            << "add tests/data/store/v" << v << ".sql when bumping the schema";
    }
}

TEST_F(MigrationTest, Version1MigratesAndKeepsEveryRow) {
    load_version(1);
    auto store = open_store();
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), st::k_schema_version);
    EXPECT_TRUE(ok(store.check()).ok());

    // Runs, slot results, steps and transcripts are untouched.
    auto rows = ok(store.results_for_lot("PAL-OLD"));
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].run.hostname, "bench-7");
    EXPECT_EQ(rows[0].slot.identity.carrier_images, (std::vector<std::string>{"ATT", "GENERIC"}));
    EXPECT_EQ(rows[1].slot.reason, Reason::sku_mismatch);
    EXPECT_EQ(rows[1].slot.data_center, station::core::DataCenter::eu);
    EXPECT_EQ(ok(store.steps(st::SlotResultId{1})).size(), 1U);
    EXPECT_EQ(ok(store.transcript(st::SlotResultId{1})), "> ATI\r\n");

    // The outbox moved to the leased form: states, attempts and errors kept, due now.
    auto outbox = ok(store.list_outbox());
    ASSERT_EQ(outbox.size(), 2U);
    EXPECT_EQ(outbox[0].state, st::OutboxState::pending);
    EXPECT_EQ(outbox[0].attempts, 2);
    EXPECT_EQ(outbox[0].last_error, "HTTP 503");
    EXPECT_EQ(outbox[1].state, st::OutboxState::registered);
    EXPECT_EQ(outbox[1].remote_id, "uid-abc");
    auto claimed = ok(store.claim_pending(station::core::DataCenter::na, 10,
                                          {"pusher", at_ms(0), at_ms(60'000)}));
    ASSERT_EQ(claimed.size(), 1U);
    EXPECT_EQ(claimed[0].registration.po, "PO-17");

    // The ICCID history was rebuilt from the old slot results: the SIM swap shows.
    auto swaps = ok(store.sim_swaps());
    ASSERT_EQ(swaps.size(), 1U);
    EXPECT_EQ(swaps[0].fsn, "FSN-OLD-1");
    EXPECT_EQ(swaps[0].previous_iccid, "89014104279999999995");
    EXPECT_EQ(swaps[0].current_iccid, "89014104270000000004");

    // The old open run belonged to a process of another boot: interrupted, its slot aborted.
    ASSERT_EQ(store.recovered_runs().size(), 1U);
    EXPECT_EQ(store.recovered_runs()[0], st::RunId{2});
    auto history = ok(store.history(st::UnitKey::fsn, "FSN-OLD-1"));
    ASSERT_EQ(history.size(), 2U);
    EXPECT_TRUE(history[0].run.interrupted);
    EXPECT_EQ(history[0].slot.outcome, Outcome::aborted);

    // New writes work on the migrated file.
    auto run = ok(store.begin_run(sample_run("PAL-NEW")));
    EXPECT_GT(run.value, 2);
}

TEST_F(MigrationTest, Version2MigratesAndKeepsLeasesAndIccidHistory) {
    load_version(2);
    auto store = open_store();
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), st::k_schema_version);
    EXPECT_TRUE(ok(store.check()).ok());
    EXPECT_EQ(ok(store.results_for_lot("PAL-OLD")).size(), 2U);
    auto claimed = ok(store.list_outbox(st::OutboxState::claimed));
    ASSERT_EQ(claimed.size(), 1U);
    EXPECT_EQ(claimed[0].lease_owner, "pusher-old");
    // Its lease ran out long ago: taken back in doubt, then another pusher may take it.
    EXPECT_EQ(ok(store.recover_dead_claims(station::core::DataCenter::na,
                                           st::from_ms(1'800'000'000'000), std::chrono::seconds(0))),
              1);
    auto taken = ok(store.claim_pending(
        station::core::DataCenter::na, 10,
        {"pusher-new", st::from_ms(1'800'000'000'000), st::from_ms(1'800'000'060'000)}));
    ASSERT_EQ(taken.size(), 2U);
    EXPECT_EQ(ok(store.sim_swaps()).size(), 1U);
}

TEST_F(MigrationTest, Version3MigratesToAnOutboxThatCanWithdraw) {
    load_version(3);
    auto store = open_store();
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), st::k_schema_version);
    EXPECT_TRUE(ok(store.check()).ok());
    const auto rows = ok(store.list_outbox());
    ASSERT_EQ(rows.size(), 3U);
    EXPECT_EQ(rows[0].last_error, "HTTP 503");
    EXPECT_EQ(rows[2].lease_owner, "pusher-old");
    for (const auto& row : rows) EXPECT_TRUE(row.hold.empty());
    raw_sql(db_path(), "UPDATE outbox SET state = 'withdrawn' WHERE id = 1");
    EXPECT_EQ(ok(store.list_outbox(st::OutboxState::withdrawn)).size(), 1U);
    // One live row per unit and data center still holds; a withdrawn one no longer counts.
    st::Registration again{"FSN-OLD-1",
                           "FSN-OLD-1",
                           "353270090000011",
                           "89014104279999999995",
                           "310170000000001",
                           station::core::DataCenter::na,
                           1,
                           "PO-17",
                           "",
                           std::nullopt,
                           at_ms(0)};
    EXPECT_EQ(ok(store.enqueue_registration(again)), st::Enqueued::queued);
    EXPECT_EQ(ok(store.enqueue_registration(again)), st::Enqueued::already_queued);
}

TEST_F(MigrationTest, Version4MigratesToRunVersionsAndKeepsWithdrawnRows) {
    load_version(4);
    raw_sql(db_path(), "UPDATE outbox SET state = 'withdrawn', hold = 'shares ICCID' WHERE id = 1");
    auto store = open_store();
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), st::k_schema_version);
    EXPECT_TRUE(ok(store.check()).ok());
    const auto withdrawn = ok(store.list_outbox(st::OutboxState::withdrawn));
    ASSERT_EQ(withdrawn.size(), 1U);
    EXPECT_EQ(withdrawn[0].hold, "shares ICCID");
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM runs WHERE station_version IS NULL"),
              raw_int(db_path(), "SELECT count(*) FROM runs"))
        << "runs from before version 5 say no version";
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM run_profiles"), 0);
}

TEST_F(MigrationTest, Version5MigratesToRunsWithoutManifestAndEmptyEvidence) {
    load_version(5);
    auto store = open_store();
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), st::k_schema_version);
    EXPECT_TRUE(ok(store.check()).ok());
    // Runs from before version 6 decided without a manifest and waived none.
    const auto old = ok(store.run(st::RunId{1}));
    ASSERT_TRUE(old);
    EXPECT_FALSE(old->info.manifest);
    EXPECT_FALSE(old->info.no_manifest);
    EXPECT_EQ(old->info.station_version, "0.1.0 (v0.1.0-40-gabc1234)");
    ASSERT_EQ(old->info.profiles.size(), 1U);
    // Their slot results keep every field, with no profile, basis or signals.
    const auto rows = ok(store.results_for_lot("PAL-OLD"));
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[1].slot.reason, Reason::sku_mismatch);
    for (const auto& row : rows) {
        EXPECT_EQ(row.slot.profile, "");
        EXPECT_FALSE(row.slot.sku_basis);
        EXPECT_TRUE(row.slot.signals.empty());
    }
    EXPECT_TRUE(ok(store.manifest_missing(st::RunId{1})).empty());
    // Outbox rows register into the config's company, as before.
    const auto outbox = ok(store.list_outbox());
    ASSERT_EQ(outbox.size(), 3U);
    for (const auto& row : outbox) EXPECT_EQ(row.registration.company, "");
    EXPECT_EQ(outbox[0].registration.po, "PO-17");
    // The new tables take rows.
    ok(store.record_manifest_missing(st::RunId{1}, {{2, "FSN-9", "353270090000011", "XR90"}}));
    EXPECT_EQ(ok(store.manifest_missing(st::RunId{1})).size(), 1U);
}

// Version 7 drops the plain FSN/IMEI/ICCID indexes of slot_results (the NOCASE ones serve every
// look-up); history by FSN, IMEI and ICCID still finds the rows, through an index.
TEST_F(MigrationTest, Version6MigratesWithoutThePlainIdentityIndexes) {
    load_version(6);
    ASSERT_EQ(raw_int(db_path(),
                      "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name "
                      "IN ('slot_results_by_fsn', 'slot_results_by_imei', "
                      "'slot_results_by_iccid')"),
              3);
    auto store = open_store();
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), st::k_schema_version);
    EXPECT_TRUE(ok(store.check()).ok());
    EXPECT_EQ(raw_int(db_path(),
                      "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name "
                      "IN ('slot_results_by_fsn', 'slot_results_by_imei', "
                      "'slot_results_by_iccid')"),
              0);
    EXPECT_EQ(raw_int(db_path(),
                      "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name "
                      "LIKE 'slot_results_by_%_nocase'"),
              3);
    const auto old = ok(store.run(st::RunId{1}));
    ASSERT_TRUE(old);
    ASSERT_TRUE(old->info.manifest);
    EXPECT_EQ(old->info.manifest->path, "/srv/pallets/PAL-OLD.csv");
    EXPECT_EQ(ok(store.results_for_lot("PAL-OLD")).size(), 2U);
}

TEST_F(MigrationTest, MigrationIsAllOrNothing) {
    load_version(1);
    // A row the version-2 outbox refuses (smuggled past version 1's CHECK) makes the copy fail
    // half-way: the file must stay at version 1 with all its data.
    raw_sql(
        db_path(),
        "PRAGMA ignore_check_constraints = 1; UPDATE outbox SET data_center = 'mars' WHERE id = 2");
    auto store = st::Store::open(db_path());
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().message.find("migrate schema to version 2"), std::string::npos)
        << store.error().message;
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), 1);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM outbox"), 2);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM sqlite_master WHERE name = 'device_iccids'"),
              0);
}

TEST_F(MigrationTest, Version7MigratesToOutboxRowsThatKeepTheirRegionAndAction) {
    load_version(7);
    auto store = open_store();
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), st::k_schema_version);
    EXPECT_TRUE(ok(store.check()).ok());
    const auto rows = ok(store.list_outbox());
    ASSERT_EQ(rows.size(), 4U);
    // Row 1: its slot result says na; 2 and 3 have none (eu -> global, na -> na); 4 is a
    // Global unit queued for NA: its slot result's region wins over the data center's.
    const std::vector<station::core::Region> regions{
        station::core::Region::na, station::core::Region::global, station::core::Region::na,
        station::core::Region::global};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].registration.region, regions[i]) << "row " << rows[i].id.value;
        EXPECT_EQ(rows[i].registration.action, st::OutboxAction::create);
    }
    EXPECT_EQ(rows[0].last_error, "HTTP 503");
    EXPECT_EQ(rows[1].remote_id, "uid-abc");
    EXPECT_EQ(rows[2].lease_owner, "pusher-old");
    EXPECT_EQ(rows[3].state, st::OutboxState::failed);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
                                 " name IN ('outbox_due', 'outbox_live_unit', 'outbox_by_fsn')"),
              3);
}

// Version 9 (the RMA depot): the retest runs of an older file become RMA cases (named by their
// lot, received when first retested, their runs linked), every row is kept, and the new tables
// take rows.
TEST_F(MigrationTest, Version8MigratesItsRetestRunsToRmaCases) {
    load_version(8);
    auto store = open_store();
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), st::k_schema_version);
    EXPECT_TRUE(ok(store.check()).ok());
    EXPECT_EQ(ok(store.results_for_lot("PAL-OLD")).size(), 2U);
    EXPECT_EQ(ok(store.list_outbox()).size(), 4U);
    const auto rma = ok(store.rma("RMA-9"));
    ASSERT_TRUE(rma);
    EXPECT_EQ(rma->id, "RMA-9");
    EXPECT_EQ(rma->operator_name, "bob");
    EXPECT_EQ(rma->received, st::from_ms(1'700'001'000'000));
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM rmas"), 1);
    // Both retest runs (lots "RMA-9" and "rma-9") belong to it; run 2's slot was aborted on open.
    const auto retests = ok(store.retests_of_rma("rma-9"));
    ASSERT_EQ(retests.size(), 1U);
    EXPECT_EQ(retests[0].result.slot.identity.fsn, "FSN-OLD-1");
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM rma_runs WHERE rma_id = 'RMA-9'"), 2);
    // FSN-OLD-1 was provisioned (PASS, run 1), its outbox row still pending.
    const auto history = ok(store.provisioning_history("fsn-old-1", ""));
    ASSERT_TRUE(history.by_fsn);
    EXPECT_EQ(history.by_fsn->iccid, "89014104279999999995");
    EXPECT_FALSE(history.by_fsn->registered);
    ok(store.record_findings(retests[0].result.slot.id,
                             {{station::core::FindingKind::sim_swapped, "a", "b", "run 1"}}));
    EXPECT_EQ(ok(store.findings(retests[0].result.slot.id)).size(), 1U);
}

// Version 10 (the nightly rig regression): every row of a version 9 file is kept (RMA cases,
// findings, a regress run from before nights were kept, which belongs to no night), and the new
// tables take rows, their foreign keys enforced.
TEST_F(MigrationTest, Version9MigratesToEmptyRegressTablesAndKeepsItsRows) {
    load_version(9);
    auto store = open_store();
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), st::k_schema_version);
    EXPECT_TRUE(ok(store.check()).ok());
    EXPECT_EQ(ok(store.results_for_lot("PAL-OLD")).size(), 2U);
    EXPECT_EQ(ok(store.results_for_lot("RIG-1")).size(), 1U);
    EXPECT_EQ(ok(store.findings(st::SlotResultId{3})).size(), 1U);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM rma_runs"), 2);
    for (const char* table : {"regress_nights", "regress_iterations", "round_trips"}) {
        EXPECT_EQ(raw_int(db_path(), std::string("SELECT count(*) FROM ") + table), 0) << table;
    }
    raw_sql(db_path(),
            "INSERT INTO regress_nights(id, rig, golden, started_ms) VALUES (1, 'RIG-1', 'g', 1);"
            "INSERT INTO regress_iterations(run_id, night_id, iteration) VALUES (4, 1, 1);"
            "INSERT INTO round_trips VALUES (4, 1, 'ATI', 1500)");
    EXPECT_EQ(raw_int(db_path(),
                      "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = "
                      "'regress_nights_finished_by_rig'"),
              1);
    // A round trip of a slot result that does not exist is refused.
    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &conn), SQLITE_OK);
    sqlite3_exec(conn, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
    EXPECT_NE(sqlite3_exec(conn, "INSERT INTO round_trips VALUES (99, 1, 'ATI', 1)", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(conn);
    EXPECT_TRUE(ok(store.check()).ok());
}

}  // namespace
}  // namespace tests::store
