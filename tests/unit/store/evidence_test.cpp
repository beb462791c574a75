// Schema 6 (issue 13): the manifest a run decided with, each unit's decision signals and basis,
// the manifest lines no unit matched, and the ALMS company on an outbox row — written and read
// back through a real SQLite file.
#include "store_fixture.hpp"

namespace tests::store {
namespace {

using station::core::Region;

st::RunInfo manifest_run(std::string lot) {
    st::RunInfo info = sample_run(std::move(lot));
    info.manifest = st::RunManifest{"/pallets/PAL-1.csv", std::string(64, 'c'), 24};
    return info;
}

std::vector<st::StoredSignal> sample_signals() {
    return {{"manifest", "XR90-1104513 (line 3)", Region::na, "part number on the manifest"},
            {"imsi", "310410123456789", Region::na, "MCC 310: USA"},
            {"iccid_issuer", "89332401000000000008", std::nullopt, "Smart SIM: sold worldwide"},
            {"module_model", "EM7565", std::nullopt, "module of the XR90 family"}};
}

// A finished slot of `run` whose decision carried `signals`.
st::SlotResultId finish_with(st::Store& store, st::RunId run, const std::string& fsn,
                             std::vector<st::StoredSignal> signals) {
    auto slot = ok(store.begin_slot(run, sample_slot(fsn)));
    auto finish = sample_finish(fsn, "353270090000011", "89014104279999999995");
    finish.profile = "xr90-na";
    finish.sku_basis = "manifest";
    finish.signals = std::move(signals);
    ok(store.finish_slot(slot, finish));
    return slot;
}

TEST_F(StoreTest, RunKeepsItsManifestOrTheWaiver) {
    auto store = open_store();
    const auto with = ok(store.begin_run(manifest_run("PAL-M")));
    auto waived_info = sample_run("PAL-W");
    waived_info.no_manifest = true;
    const auto waived = ok(store.begin_run(waived_info));
    const auto plain = ok(store.begin_run(sample_run("PAL-P")));

    const auto record = ok(store.run(with));
    ASSERT_TRUE(record && record->info.manifest);
    EXPECT_EQ(record->info.manifest->path, "/pallets/PAL-1.csv");
    EXPECT_EQ(record->info.manifest->sha256, std::string(64, 'c'));
    EXPECT_EQ(record->info.manifest->lines, 24);
    EXPECT_FALSE(record->info.no_manifest);
    const auto w = ok(store.run(waived));
    ASSERT_TRUE(w);
    EXPECT_FALSE(w->info.manifest);
    EXPECT_TRUE(w->info.no_manifest);
    const auto p = ok(store.run(plain));
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->info.manifest);
    EXPECT_FALSE(p->info.no_manifest);

    // The listing and the report rows carry the same.
    const auto listings = ok(store.list_runs({}));
    ASSERT_EQ(listings.size(), 3U);  // with, waived, plain
    for (const auto& listing : listings) {
        EXPECT_EQ(listing.run.info.manifest.has_value(), listing.run.id == with);
        EXPECT_EQ(listing.run.info.no_manifest, listing.run.id == waived);
    }
    finish_with(store, with, "FSN-M", {});
    const auto rows = ok(store.results_for_lot("PAL-M"));
    ASSERT_EQ(rows.size(), 1U);
    ASSERT_TRUE(rows[0].run.info.manifest);
    EXPECT_EQ(rows[0].run.info.manifest->lines, 24);
}

TEST_F(StoreTest, SlotKeepsProfileBasisAndSignalsInOrder) {
    auto store = open_store();
    const auto run = ok(store.begin_run(manifest_run("PAL-S")));
    const auto slot = finish_with(store, run, "FSN-S", sample_signals());
    const auto expect_signals = [](const st::SlotRecord& got) {
        EXPECT_EQ(got.profile, "xr90-na");
        EXPECT_EQ(got.sku_basis, std::optional<std::string>("manifest"));
        const auto want = sample_signals();
        ASSERT_EQ(got.signals.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            EXPECT_EQ(got.signals[i].source, want[i].source) << i;
            EXPECT_EQ(got.signals[i].value, want[i].value) << i;
            EXPECT_EQ(got.signals[i].vote, want[i].vote) << i;
            EXPECT_EQ(got.signals[i].basis, want[i].basis) << i;
        }
    };
    const auto by_run = ok(store.results_for_run(run));
    ASSERT_EQ(by_run.size(), 1U);
    EXPECT_EQ(by_run[0].slot.id, slot);
    expect_signals(by_run[0].slot);
    expect_signals(ok(store.results_for_lot("PAL-S")).at(0).slot);
    expect_signals(ok(store.history(st::UnitKey::fsn, "FSN-S")).at(0).slot);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM slot_signals WHERE vote IS NULL"), 2);
}

TEST_F(StoreTest, EachRowGetsItsOwnSignalsAcrossManyUnits) {
    auto store = open_store();
    const auto run = ok(store.begin_run(manifest_run("PAL-MANY")));
    constexpr int k_units = 300;
    ok(store.bulk([&]() -> station::core::Result<void> {
        for (int i = 0; i < k_units; ++i) {
            std::vector<st::StoredSignal> signals(static_cast<std::size_t>(i % 4));
            for (std::size_t k = 0; k < signals.size(); ++k) {
                signals[k] = {"imsi", std::to_string(i) + "/" + std::to_string(k), Region::global,
                              "row " + std::to_string(i)};
            }
            finish_with(store, run, "FSN-" + std::to_string(i), std::move(signals));
        }
        return {};
    }));
    const auto rows = ok(store.results_for_run(run));
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(k_units));
    for (int i = 0; i < k_units; ++i) {
        const auto& signals = rows[static_cast<std::size_t>(i)].slot.signals;
        ASSERT_EQ(signals.size(), static_cast<std::size_t>(i % 4)) << i;
        for (std::size_t k = 0; k < signals.size(); ++k) {
            EXPECT_EQ(signals[k].value, std::to_string(i) + "/" + std::to_string(k));
        }
    }
}

TEST_F(StoreTest, SignalsAreWrittenWithTheFinishOrNotAtAll) {
    auto store = open_store();
    const auto run = ok(store.begin_run(sample_run()));
    auto slot = ok(store.begin_slot(run, sample_slot()));
    auto finish = sample_finish("FSN-T", "353270090000011", "89014104279999999995");
    // A signal the database refuses (here: a trigger) undoes the whole finish, not half of it.
    finish.signals = sample_signals();
    raw_sql(db_path(),
            "CREATE TRIGGER no_module BEFORE INSERT ON slot_signals WHEN NEW.source ="
            " 'module_model' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    EXPECT_FALSE(store.finish_slot(slot, finish));
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM slot_signals"), 0);
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM slot_results WHERE outcome IS NULL"), 1);
    raw_sql(db_path(), "DROP TRIGGER no_module");
    ok(store.finish_slot(slot, finish));
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM slot_signals"), 4);
}

TEST_F(StoreTest, ManifestLinesMissingFromThePalletAreKeptPerRun) {
    auto store = open_store();
    const auto run = ok(store.begin_run(manifest_run("PAL-1")));
    const auto other = ok(store.begin_run(manifest_run("PAL-2")));
    EXPECT_TRUE(ok(store.manifest_missing(run)).empty());
    ok(store.record_manifest_missing(
        run, {{7, "FSN-7", "353270090000078", "XR90-1104513"},
              {3, "FSN-3'; DROP TABLE runs; --", "353270090000037", "XR90-1104513"}}));
    ok(store.record_manifest_missing(other, {{1, "FSN-X", "353270090000011", "XR90-1104514"}}));
    auto lines = ok(store.manifest_missing(run));
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0].line, 3);  // in file order
    EXPECT_EQ(lines[0].serial, "FSN-3'; DROP TABLE runs; --");
    EXPECT_EQ(lines[1].line, 7);
    EXPECT_EQ(lines[1].imei, "353270090000078");
    EXPECT_EQ(lines[1].part_number, "XR90-1104513");
    // Recording again replaces (a resumed run ends with its own list).
    ok(store.record_manifest_missing(run, {{7, "FSN-7", "353270090000078", "XR90-1104513"}}));
    EXPECT_EQ(ok(store.manifest_missing(run)).size(), 1U);
    ok(store.record_manifest_missing(run, {}));
    EXPECT_TRUE(ok(store.manifest_missing(run)).empty());
    EXPECT_EQ(ok(store.manifest_missing(other)).size(), 1U);
}

TEST_F(StoreTest, OutboxRowKeepsTheCompanyItRegistersInto) {
    auto store = open_store();
    st::Registration reg{"FSN-C",
                         "FSN-C",
                         "353270090000011",
                         "89014104279999999995",
                         "310170000000001",
                         station::core::DataCenter::na,
                         1,
                         "PO-1",
                         "cust-company-uid",
                         std::nullopt,
                         at_ms(0)};
    EXPECT_EQ(ok(store.enqueue_registration(reg)), st::Enqueued::queued);
    reg.fsn = reg.serial = "FSN-D";
    reg.imei = "353270090000029";
    reg.company.clear();
    EXPECT_EQ(ok(store.enqueue_registration(reg)), st::Enqueued::queued);
    const auto listed = ok(store.list_outbox());
    ASSERT_EQ(listed.size(), 2U);
    EXPECT_EQ(listed[0].registration.company, "cust-company-uid");
    EXPECT_EQ(listed[1].registration.company, "");
    const auto claimed = ok(store.claim_pending(station::core::DataCenter::na, 10,
                                                {"pusher", at_ms(0), at_ms(60'000)}));
    ASSERT_EQ(claimed.size(), 2U);
    EXPECT_EQ(claimed[0].registration.company, "cust-company-uid");
    EXPECT_EQ(claimed[1].registration.company, "");
}

}  // namespace
}  // namespace tests::store
