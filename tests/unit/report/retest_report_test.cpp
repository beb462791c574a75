// Reports of retests (issue 16): a finding's text, the columns and members a retested unit adds
// (and that a unit which was not retested leaves empty), device strings sanitized in CSV and the
// table while JSON keeps them as data.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <station/report/report.hpp>

namespace tests::report {
namespace {

namespace rp = station::report;
namespace st = station::store;
using station::core::Finding;
using station::core::FindingKind;

st::ResultRow retest_row(std::int64_t id, std::string fsn) {
    st::ResultRow r;
    r.run.id = st::RunId{7};
    r.run.info = {st::RunMode::retest, "carol", "RMA-1", "xr90-na", st::from_ms(1'790'000'000'000)};
    r.slot.id = st::SlotResultId{id};
    r.slot.run = r.run.id;
    r.slot.start = {"R" + std::to_string(id), "1-1", "/dev/ttyUSB2", 1, st::from_ms(0)};
    r.slot.identity.fsn = std::move(fsn);
    r.slot.outcome = station::core::Outcome::fail;
    r.slot.reason = station::core::Reason::sim_swapped;
    return r;
}

TEST(RetestReport, FindingTextShowsBeforeNowAndWhereSeen) {
    struct Case {
        Finding finding;
        const char* text;
    };
    const std::vector<Case> cases{
        {{FindingKind::sim_swapped, "8901", "8902", "run 3, pallet P1, bench, 2026-11-02"},
         "sim_swapped: 8901 -> 8902 (run 3, pallet P1, bench, 2026-11-02)"},
        {{FindingKind::never_provisioned, "", "FSN X, IMEI Y", ""},
         "never_provisioned: - -> FSN X, IMEI Y"},
        {{FindingKind::sim_swapped, "8901", "", "run 3"}, "sim_swapped: 8901 -> - (run 3)"},
    };
    for (const auto& c : cases) EXPECT_EQ(rp::finding_text(c.finding), c.text);
    EXPECT_EQ(rp::findings_text({cases[0].finding, cases[1].finding}),
              std::string(cases[0].text) + "; " + cases[1].text);
    EXPECT_EQ(rp::findings_text({}), "");
}

TEST(RetestReport, CsvAppendsRmaFindingsAndActionOnlyForRetests) {
    const std::vector<st::ResultRow> rows{retest_row(1, "LA1"), retest_row(2, "LA2")};
    rp::RetestFindings found;
    found[1] = {"RMA-1", {{FindingKind::sim_swapped, "=8901", "8902\x1b[2J", "run 3"}}};
    EXPECT_EQ(rp::to_csv(rows).find("rma,findings,action"), std::string::npos);
    const auto csv = rp::to_csv(rows, &found);
    EXPECT_NE(csv.find(",signals,rma,findings,action\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",RMA-1,sim_swapped: =8901 -> 8902\\x1b[2J (run 3),re-register\r\n"),
              std::string::npos)
        << csv;
    // Slot 2 was not retested here: three empty cells.
    EXPECT_NE(csv.find(",,,\r\n"), std::string::npos) << csv;
}

TEST(RetestReport, JsonMembersAndTableBlock) {
    const std::vector<st::ResultRow> rows{retest_row(1, "LA1"), retest_row(2, "LA2")};
    rp::RetestFindings found;
    found[1] = {"RMA-1",
                {{FindingKind::firmware_downgraded, "SWI 1.2", "SWI 1.1", ""},
                 {FindingKind::imei_changed, "3532", "3533\x1b", "run 2"}}};
    const auto doc =
        nlohmann::json::parse(rp::to_json({"rma", "RMA-1"}, rows, nullptr, nullptr, &found));
    const auto& first = doc.at("results").at(0).at("slot");
    EXPECT_EQ(first.at("rma"), "RMA-1");
    EXPECT_EQ(first.at("action"), "scrap");
    EXPECT_EQ(first.at("findings").at(1).at("now"), "3533\x1b");
    EXPECT_EQ(first.at("findings").at(0).at("blocking"), false);
    const auto& second = doc.at("results").at(1).at("slot");
    EXPECT_TRUE(second.at("rma").is_null());
    EXPECT_TRUE(second.at("action").is_null());
    EXPECT_TRUE(second.at("findings").empty());
    EXPECT_EQ(rp::to_findings(rows, found),
              "run 7 slot R1 LA1 (RMA-1): FAIL sim_swapped, action scrap\n"
              "    firmware_downgraded: SWI 1.2 -> SWI 1.1\n"
              "    imei_changed: 3532 -> 3533\\x1b (run 2)\n");
}

}  // namespace
}  // namespace tests::report
