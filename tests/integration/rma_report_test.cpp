// The RMA depot's records in `station history` and `station report` (issue 16): a database
// written through the store library (a unit provisioned and registered, two RMAs with retest
// runs and findings), read back by the built binary in every format.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>
#include "process.hpp"
#include "sim_bench.hpp"

namespace {

namespace st = station::store;
using nlohmann::json;
using station::core::DataCenter;
using station::core::Finding;
using station::core::FindingKind;
using station::core::Outcome;
constexpr std::chrono::seconds k_bound{60};

constexpr const char* k_imei_1 = "353270090000011";
constexpr const char* k_imei_2 = "353270090000029";
constexpr const char* k_iccid_1 = "89014104279999999995";
constexpr const char* k_iccid_new = "89014104270000000004";
const std::string k_xsd = std::string(STATION_SOURCE_DIR) + "/tests/data/report/junit.xsd";

// 2026-11-02T08:00:00Z, 2026-10-01T08:00:00Z, 2026-09-01T08:00:00Z (ms).
constexpr std::int64_t k_nov_2 = 1'793'606'400'000;
constexpr std::int64_t k_oct_1 = 1'790'841'600'000;
constexpr std::int64_t k_sep_1 = 1'788'249'600'000;

class RmaReport : public testing::Test {
  protected:
    void SetUp() override {
        auto opened = st::Store::open(db());
        ASSERT_TRUE(opened) << opened.error().message;
        st::Store& store = *opened;
        // LA0001 provisioned on PAL-R on 1 September and registered in NA.
        const auto pallet = unit(store, st::RunMode::provision, "PAL-R", "LA0001", k_imei_1,
                                 k_iccid_1, Outcome::pass, k_sep_1);
        m_host = store.run(pallet.first).value()->hostname;
        st::Registration reg;
        reg.fsn = reg.serial = "LA0001";
        reg.imei = k_imei_1;
        reg.iccid = k_iccid_1;
        reg.slot_result = pallet.second;
        reg.queued = st::from_ms(k_sep_1);
        ASSERT_TRUE(store.enqueue_registration(reg));
        const auto rows = store.claim_pending(
            DataCenter::na, 10, {"pusher", st::from_ms(k_sep_1), st::from_ms(k_sep_1 + 60'000)});
        ASSERT_TRUE(rows && rows->size() == 1U);
        ASSERT_TRUE(store.mark_registered(rows->at(0).id, "pusher", "uid-1", st::from_ms(k_sep_1)));
        m_seen = "run " + std::to_string(pallet.first.value) + ", pallet PAL-R, " + m_host +
                 ", 2026-09-01";

        // RMA-OLD (1 October): a unit never provisioned.
        ASSERT_TRUE(store.open_rma({"RMA-OLD", "Beta", "", "bob", st::from_ms(k_oct_1)}));
        const auto old = unit(store, st::RunMode::retest, "RMA-OLD", "LA0009", k_imei_2, k_iccid_1,
                              Outcome::fail, k_oct_1);
        ASSERT_TRUE(store.link_run(old.first, "RMA-OLD"));
        ASSERT_TRUE(
            store.record_findings(old.second, {{FindingKind::never_provisioned, "",
                                                "FSN LA0009, IMEI " + std::string(k_imei_2), ""}}));

        // RMA-100 (2 November): LA0001 with a new SIM and older firmware; LA0002 clean.
        ASSERT_TRUE(
            store.open_rma({"RMA-100", "Acme", "dead on arrival", "carol", st::from_ms(k_nov_2)}));
        const auto swapped = unit(store, st::RunMode::retest, "RMA-100", "LA0001", k_imei_1,
                                  k_iccid_new, Outcome::fail, k_nov_2);
        ASSERT_TRUE(store.link_run(swapped.first, "RMA-100"));
        m_retest_run = swapped.first;
        ASSERT_TRUE(store.record_findings(
            swapped.second, {{FindingKind::sim_swapped, k_iccid_1, k_iccid_new, m_seen},
                             {FindingKind::firmware_downgraded, "SWI9X50C_01.14.03.00",
                              "SWI9X50C_01.09.00.00", m_seen}}));
        const auto clean = unit(store, st::RunMode::retest, "RMA-100", "LA0002", k_imei_2,
                                k_iccid_1, Outcome::pass, k_nov_2 + 1000);
        ASSERT_TRUE(store.link_run(clean.first, "RMA-100"));
        ASSERT_TRUE(store.record_findings(clean.second, {}));
    }

    static std::pair<st::RunId, st::SlotResultId> unit(
        st::Store& store, st::RunMode mode, const std::string& lot, const std::string& fsn,
        const std::string& imei, const std::string& iccid, Outcome outcome, std::int64_t at) {
        const auto run = store.begin_run({mode, "carol", lot, "xr90-na", st::from_ms(at)}).value();
        const auto slot =
            store.begin_slot(run, {"R1", "1-1.3", "/dev/ttyUSB2", 1, st::from_ms(at)}).value();
        st::SlotFinish finish;
        finish.identity.fsn = fsn;
        finish.identity.imei = imei;
        finish.identity.iccid = iccid;
        finish.identity.firmware = "SWI9X50C_01.14.03.00";
        finish.region = station::core::Region::na;
        finish.data_center = DataCenter::na;
        finish.outcome = outcome;
        if (outcome == Outcome::fail) {
            finish.reason = mode == st::RunMode::retest && fsn == "LA0009"
                                ? station::core::Reason::never_provisioned
                                : station::core::Reason::sim_swapped;
        }
        finish.ended = st::from_ms(at + 500);
        finish.profile = "xr90-na";
        EXPECT_TRUE(store.finish_slot(slot, finish));
        EXPECT_TRUE(store.finish_run(run, outcome, st::from_ms(at + 600)));
        return {run, slot};
    }

    std::string db() const { return m_dir.path() + "/station.db"; }
    const std::string& dir() const { return m_dir.path(); }
    tests::ProcessResult station(std::vector<std::string> args) const {
        args.insert(args.begin(), tests::station_binary());
        args.push_back("--db");
        args.push_back(db());
        return tests::run_process(args, k_bound);
    }

    std::string m_host;
    std::string m_seen;
    st::RunId m_retest_run;

  private:
    tests::TempDir m_dir;
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

TEST_F(RmaReport, CsvHasOneLinePerRetestWithFindingsAndAction) {
    const auto r = station({"report", "--rma", "rma-100", "--format", "csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3U) << r.out;
    EXPECT_NE(lines[0].find(",decided_profile,sku_basis,signals,rma,findings,action"),
              std::string::npos)
        << lines[0];
    EXPECT_NE(lines[1].find("LA0001"), std::string::npos);
    EXPECT_NE(lines[1].find(",FAIL,sim_swapped,"), std::string::npos) << lines[1];
    EXPECT_NE(lines[1].find(",RMA-100,\"sim_swapped: " + std::string(k_iccid_1) + " -> " +
                            k_iccid_new + " (" + m_seen +
                            "); firmware_downgraded: "
                            "SWI9X50C_01.14.03.00 -> SWI9X50C_01.09.00.00 (" +
                            m_seen + ")\",re-register"),
              std::string::npos)
        << lines[1];
    EXPECT_NE(lines[2].find("LA0002"), std::string::npos);
    EXPECT_NE(lines[2].find(",RMA-100,,ship back"), std::string::npos) << lines[2];
}

TEST_F(RmaReport, JsonCarriesEachFindingWithItsEvidence) {
    const auto r = station({"report", "--rma", "RMA-100", "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto doc = json::parse(r.out);
    EXPECT_EQ(doc.at("subject").at("kind"), "rma");
    EXPECT_EQ(doc.at("summary").at("FAIL"), 1);
    ASSERT_EQ(doc.at("results").size(), 2U);
    const auto& slot = doc.at("results").at(0).at("slot");
    EXPECT_EQ(slot.at("rma"), "RMA-100");
    EXPECT_EQ(slot.at("action"), "re-register");
    ASSERT_EQ(slot.at("findings").size(), 2U);
    const auto& swap = slot.at("findings").at(0);
    EXPECT_EQ(swap.at("kind"), "sim_swapped");
    EXPECT_EQ(swap.at("before"), k_iccid_1);
    EXPECT_EQ(swap.at("now"), k_iccid_new);
    EXPECT_EQ(swap.at("seen"), m_seen);
    EXPECT_EQ(swap.at("blocking"), true);
    EXPECT_EQ(swap.at("action"), "re-register");
    EXPECT_EQ(slot.at("findings").at(1).at("blocking"), false);
    EXPECT_EQ(doc.at("results").at(1).at("slot").at("findings"), json::array());
    EXPECT_EQ(doc.at("results").at(1).at("slot").at("action"), "ship back");
}

TEST_F(RmaReport, JunitListsTheFindingsAndPassesTheSchema) {
    const std::string xml_file = dir() + "/rma.xml";
    const auto r = station({"report", "--rma", "RMA-100", "--format", "junit", "--out", xml_file});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(xml_file);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string xml = buf.str();
    EXPECT_NE(xml.find("<failure message=\"sim_swapped"), std::string::npos) << xml;
    EXPECT_NE(xml.find("rma: RMA-100\nfinding sim_swapped: " + std::string(k_iccid_1) + " -&gt; " +
                       k_iccid_new),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("action: re-register\n"), std::string::npos);
    const auto lint = tests::run_process(
        {"/usr/bin/xmllint", "--noout", "--schema", k_xsd, xml_file}, std::chrono::seconds(30));
    EXPECT_EQ(lint.exit_code, 0) << lint.err;
}

TEST_F(RmaReport, TableListsEachUnitsFindingsUnderTheResults) {
    const auto r = station({"report", "--rma", "RMA-100"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("2 results"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("run " + std::to_string(m_retest_run.value) +
                         " slot R1 LA0001 (RMA-100): FAIL sim_swapped, action re-register\n"
                         "    sim_swapped: " +
                         k_iccid_1 + " -> " + k_iccid_new + " (" + m_seen +
                         ")\n    firmware_downgraded: "),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("slot R1 LA0002 (RMA-100): PASS, action ship back\n"), std::string::npos);
}

TEST_F(RmaReport, RmaSinceListsTheRetestsOfRmasReceivedSinceTheDate) {
    const auto since_nov = station({"report", "--rma-since", "2026-11-01", "--format", "csv"});
    ASSERT_EQ(since_nov.exit_code, 0) << since_nov.err;
    const auto nov = lines_of(since_nov.out);
    ASSERT_EQ(nov.size(), 3U) << since_nov.out;
    EXPECT_NE(nov[1].find("LA0001"), std::string::npos);
    const auto since_sep = station({"report", "--rma-since", "2026-09-15", "--format", "csv"});
    ASSERT_EQ(since_sep.exit_code, 0) << since_sep.err;
    const auto sep = lines_of(since_sep.out);
    ASSERT_EQ(sep.size(), 4U) << since_sep.out;
    EXPECT_NE(sep[1].find(",RMA-OLD,\"never_provisioned: - -> FSN LA0009, IMEI "),
              std::string::npos)
        << sep[1];
    // Nothing received since: the header alone.
    const auto none = station({"report", "--rma-since", "2027-01-01", "--format", "csv"});
    ASSERT_EQ(none.exit_code, 0) << none.err;
    EXPECT_EQ(lines_of(none.out).size(), 1U);
}

TEST_F(RmaReport, UnknownRmaAndBadDatesAreRefused) {
    const auto unknown = station({"report", "--rma", "RMA-404"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("no retests for RMA RMA-404"), std::string::npos) << unknown.err;
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"report", "--rma-since", "yesterday"},
                                               {"report", "--rma-since", "2026-13-01"},
                                               {"report", "--rma", ""},
                                               {"report", "--rma", "RMA-100", "--pallet", "PAL-R"},
                                               {"history", "--rma", "RMA-100", "--fsn", "LA0001"},
                                               {"history", "--rma", ""}}) {
        const auto r = station(args);
        EXPECT_EQ(r.exit_code, 64) << args[1] << " " << args[2] << ": " << r.err;
    }
}

TEST_F(RmaReport, HistoryOfAnRmaShowsTheCaseAndEveryRetestWithItsFindings) {
    const auto r = station({"history", "--rma", "rma-100"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("RMA RMA-100: received 2026-11-02T08:00:00.000Z by carol, customer Acme, "
                          "note: dead on arrival\n",
                          0),
              0U)
        << r.out;
    EXPECT_NE(r.out.find("slot R1 LA0001 (RMA-100): FAIL sim_swapped, action re-register\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("slot R1 LA0002 (RMA-100): PASS, action ship back"), std::string::npos);
    const auto j = station({"history", "--rma", "RMA-100", "--json"});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    const auto doc = json::parse(j.out);
    ASSERT_EQ(doc.at("results").size(), 2U);
    EXPECT_EQ(doc.at("results").at(0).at("slot").at("findings").size(), 2U);
    const auto none = station({"history", "--rma", "RMA-404"});
    ASSERT_EQ(none.exit_code, 0) << none.err;
    EXPECT_EQ(none.out, "no RMA RMA-404\n");
}

TEST_F(RmaReport, HistoryOfAUnitShowsItsChainFromProvisioningToEachRetest) {
    const auto r = station({"history", "--fsn", "la0001"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("chain of la0001:\n"
                         "  provisioned  " +
                         m_seen +
                         ", data center na\n"
                         "  registered   yes\n"
                         "  retest       RMA RMA-100, run " +
                         std::to_string(m_retest_run.value) +
                         ", 2026-11-02: FAIL sim_swapped\n"
                         "                 sim_swapped: " +
                         k_iccid_1 + " -> " + k_iccid_new),
              std::string::npos)
        << r.out;
    const auto j = station({"history", "--fsn", "LA0001", "--json"});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    const auto chain = json::parse(j.out).at("chain");
    EXPECT_EQ(chain.at("provisioned").at("seen"), m_seen);
    EXPECT_EQ(chain.at("provisioned").at("data_center"), "na");
    EXPECT_EQ(chain.at("registered"), true);
    ASSERT_EQ(chain.at("retests").size(), 1U);
    EXPECT_EQ(chain.at("retests").at(0).at("rma"), "RMA-100");
    EXPECT_EQ(chain.at("retests").at(0).at("action"), "re-register");
    EXPECT_EQ(chain.at("retests").at(0).at("findings").at(0).at("kind"), "sim_swapped");
    // A unit never provisioned says so.
    const auto never = station({"history", "--fsn", "LA0009"});
    ASSERT_EQ(never.exit_code, 0) << never.err;
    EXPECT_NE(never.out.find("  provisioned  never (no PASS of a provision run)\n"
                             "  retest       RMA RMA-OLD"),
              std::string::npos)
        << never.out;
}

}  // namespace
