// `station report` shows the SKU decision's evidence (issue 13): a database written through the
// store (a run on a manifest with one line no unit matched, a unit decided on it) read back by
// the built binary as JSON and as the text table with its provenance.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>
#include "process.hpp"
#include "sim_bench.hpp"

namespace {

namespace st = station::store;
using nlohmann::json;
constexpr std::chrono::seconds k_bound{60};

class EvidenceReport : public testing::Test {
  protected:
    void SetUp() override {
        auto store = st::Store::open(db());
        ASSERT_TRUE(store) << store.error().message;
        st::RunInfo info{st::RunMode::provision, "alice", "PAL-E", "xr90-na",
                         st::from_ms(1'790'000'000'000)};
        info.manifest = st::RunManifest{"/pallets/PAL-E.csv", std::string(64, 'e'), 2};
        const auto run = store->begin_run(info);
        ASSERT_TRUE(run);
        const auto slot = store->begin_slot(
            *run, {"A1", "1-1.3", "/dev/ttyUSB2", 1, st::from_ms(1'790'000'001'000)});
        ASSERT_TRUE(slot);
        st::SlotFinish finish;
        finish.identity.fsn = "FSN-E1";
        finish.region = station::core::Region::na;
        finish.data_center = station::core::DataCenter::na;
        finish.outcome = station::core::Outcome::pass;
        finish.ended = st::from_ms(1'790'000'002'000);
        finish.profile = "xr90-na";
        finish.sku_basis = "manifest";
        finish.signals = {{"manifest", "XR90-1104513", station::core::Region::na, "line 1"},
                          {"module_model", "EM7565", std::nullopt, "module of the family"}};
        ASSERT_TRUE(store->finish_slot(*slot, finish));
        ASSERT_TRUE(store->record_manifest_missing(
            *run, {{2, "FSN-GONE", "353270090000037", "XR90-1104513"}}));
        ASSERT_TRUE(
            store->finish_run(*run, station::core::Outcome::pass, st::from_ms(1'790'000'003'000)));
    }
    std::string db() const { return m_dir.path() + "/station.db"; }
    tests::ProcessResult report(const std::string& format) const {
        return tests::run_process({tests::station_binary(), "report", "--pallet", "PAL-E",
                                   "--format", format, "--db", db()},
                                  k_bound);
    }

  private:
    tests::TempDir m_dir;
};

TEST_F(EvidenceReport, JsonCarriesManifestMissingLinesAndSignals) {
    const auto r = report("json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto doc = json::parse(r.out);
    ASSERT_EQ(doc.at("results").size(), 1U);
    const auto& run = doc.at("results").at(0).at("run");
    EXPECT_EQ(run.at("manifest").at("lines"), 2);
    EXPECT_EQ(run.at("no_manifest"), false);
    ASSERT_EQ(run.at("missing_from_pallet").size(), 1U) << run.dump();
    EXPECT_EQ(run.at("missing_from_pallet").at(0).at("serial"), "FSN-GONE");
    EXPECT_EQ(run.at("missing_from_pallet").at(0).at("line"), 2);
    const auto& slot = doc.at("results").at(0).at("slot");
    EXPECT_EQ(slot.at("sku_basis"), "manifest");
    ASSERT_EQ(slot.at("signals").size(), 2U);
    EXPECT_EQ(slot.at("signals").at(1).at("votes"), "none");
}

TEST_F(EvidenceReport, TableNamesTheManifestAndWhatIsMissingFromThePallet) {
    const auto r = report("table");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("  manifest /pallets/PAL-E.csv  sha256 " + std::string(64, 'e') +
                         "  2 lines\n  missing from the pallet: 1\n"
                         "    line 2  FSN-GONE  353270090000037  XR90-1104513\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("BASIS"), std::string::npos) << r.out;
    const auto csv = report("csv");
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_NE(csv.out.find(",xr90-na,manifest,manifest=XR90-1104513:na; module_model=EM7565:none"),
              std::string::npos)
        << csv.out;
}

}  // namespace
