// Reports show the SKU decision's evidence (issue 13): per unit the decided profile, the basis
// and each signal (source, value, vote, why); per run the manifest or the --no-manifest waiver
// and the manifest lines no unit matched. CSV keeps its columns and appends the new ones.
#include <fstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "junit_lint.hpp"

#include <process.hpp>
#include <station/report/report.hpp>

namespace tests::report {
namespace {

namespace rp = station::report;
namespace st = station::store;
using station::core::Outcome;
using station::core::Region;

st::ResultRow unit_row(std::int64_t run, std::int64_t id, std::string fsn) {
    st::ResultRow r;
    r.run.id = st::RunId{run};
    r.run.info = {st::RunMode::provision, "alice", "PAL-9", "xr90-na",
                  st::from_ms(1'790'000'000'000)};
    r.run.info.manifest = st::RunManifest{"/pallets/PAL-9.csv", std::string(64, 'd'), 3};
    r.slot.id = st::SlotResultId{id};
    r.slot.run = r.run.id;
    r.slot.start = {"A" + std::to_string(id), "1-1.3", "/dev/ttyUSB2", 1,
                    st::from_ms(1'790'000'001'000)};
    r.slot.identity.fsn = std::move(fsn);
    r.slot.outcome = Outcome::pass;
    r.slot.ended = st::from_ms(1'790'000'002'000);
    r.slot.profile = "xr90-na";
    r.slot.sku_basis = "manifest";
    r.slot.signals = {
        {"manifest", "XR90-1104513", Region::na, "line 2 of the manifest"},
        {"imsi", "310410123456789", Region::na, "MCC 310: USA"},
        {"module_model", "=EM7565\x1b[31m", std::nullopt, "module of the family, <b>&</b>"}};
    return r;
}

// Run 1 decided on a manifest (one line missing), run 2 on the units' word alone.
std::vector<st::ResultRow> rows() {
    auto waived = unit_row(2, 20, "FSN-W");
    waived.run.info.manifest.reset();
    waived.run.info.no_manifest = true;
    waived.slot.sku_basis = "unit_signals";
    waived.slot.signals = {{"carrier_image", "ATT", Region::na, "AT&T image"}};
    auto old = unit_row(3, 30, "FSN-OLD");  // from before schema 6: nothing decided, no evidence
    old.run.info.manifest.reset();
    old.slot.profile.clear();
    old.slot.sku_basis.reset();
    old.slot.signals.clear();
    return {unit_row(1, 10, "FSN-M"), waived, old};
}

const rp::MissingLines k_missing{{1, {{3, "FSN-GONE", "353270090000037", "XR90-1104513"}}}};

TEST(EvidenceJson, RunsCarryManifestAndMissingLinesSlotsTheirSignals) {
    const auto doc =
        nlohmann::json::parse(rp::to_json({"pallet", "PAL-9"}, rows(), nullptr, &k_missing));
    const auto& first = doc.at("results").at(0);
    EXPECT_EQ(first.at("run").at("manifest"),
              (nlohmann::json{
                  {"path", "/pallets/PAL-9.csv"}, {"sha256", std::string(64, 'd')}, {"lines", 3}}));
    EXPECT_EQ(first.at("run").at("no_manifest"), false);
    EXPECT_EQ(first.at("run").at("missing_from_pallet"),
              nlohmann::json::parse(R"([{"line": 3, "serial": "FSN-GONE",
                  "imei": "353270090000037", "part_number": "XR90-1104513"}])"));
    const auto& slot = first.at("slot");
    EXPECT_EQ(slot.at("profile"), "xr90-na");
    EXPECT_EQ(slot.at("sku_basis"), "manifest");
    ASSERT_EQ(slot.at("signals").size(), 3U);
    EXPECT_EQ(slot.at("signals").at(0), (nlohmann::json{{"source", "manifest"},
                                                        {"value", "XR90-1104513"},
                                                        {"votes", "na"},
                                                        {"basis", "line 2 of the manifest"}}));
    EXPECT_EQ(slot.at("signals").at(2).at("votes"), "none");
    EXPECT_EQ(slot.at("signals").at(2).at("value"), "=EM7565\x1b[31m");  // JSON keeps data

    const auto& waived = doc.at("results").at(1);
    EXPECT_TRUE(waived.at("run").at("manifest").is_null());
    EXPECT_EQ(waived.at("run").at("no_manifest"), true);
    EXPECT_EQ(waived.at("run").at("missing_from_pallet"), nlohmann::json::array());
    EXPECT_EQ(waived.at("slot").at("sku_basis"), "unit_signals");
    const auto& old = doc.at("results").at(2).at("slot");
    EXPECT_TRUE(old.at("profile").is_null());
    EXPECT_TRUE(old.at("sku_basis").is_null());
    EXPECT_EQ(old.at("signals"), nlohmann::json::array());
    // Without the missing lines the member is left out rather than claimed empty.
    const auto plain = nlohmann::json::parse(rp::to_json({"pallet", "PAL-9"}, rows()));
    EXPECT_FALSE(plain.at("results").at(0).at("run").contains("missing_from_pallet"));
}

TEST(EvidenceCsv, NewColumnsComeLastAndAreSanitized) {
    const std::string csv = rp::to_csv(rows());
    const auto header = csv.substr(0, csv.find("\r\n"));
    EXPECT_EQ(header.rfind(",message,started,ended,decided_profile,sku_basis,signals"),
              header.size() - std::string(",message,started,ended,decided_profile,sku_basis,"
                                          "signals")
                                  .size())
        << header;
    EXPECT_EQ(header.find("run,mode,lot,operator,profile,station,slot,"), 0U) << header;
    const auto first = csv.substr(csv.find("\r\n") + 2);
    EXPECT_NE(first.find(",xr90-na,manifest,manifest=XR90-1104513:na; imsi=310410123456789:na; "
                         "module_model==EM7565\\x1b[31m:none\r\n"),
              std::string::npos)
        << first;
    EXPECT_EQ(csv.find('\x1b'), std::string::npos);
    EXPECT_NE(csv.find(",unit_signals,carrier_image=ATT:na\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",,,\r\n"), std::string::npos) << "a unit without evidence: empty cells";
}

TEST(EvidenceTable, BasisColumnAndProvenanceOfTheManifest) {
    const std::string table = rp::to_table(rows());
    EXPECT_NE(table.find("RESULT  BASIS"), std::string::npos) << table;
    EXPECT_NE(table.find("PASS    manifest"), std::string::npos) << table;
    EXPECT_NE(table.find("PASS    unit_signals"), std::string::npos) << table;
    const std::string provenance = rp::to_provenance(rows(), &k_missing);
    EXPECT_NE(provenance.find("  manifest /pallets/PAL-9.csv  sha256 " + std::string(64, 'd') +
                              "  3 lines\n  missing from the pallet: 1\n"
                              "    line 3  FSN-GONE  353270090000037  XR90-1104513\n"),
              std::string::npos)
        << provenance;
    EXPECT_NE(provenance.find("run 2: station version not recorded; no profile files recorded\n"
                              "  decided on the units' word alone (--no-manifest)\n"),
              std::string::npos)
        << provenance;
    EXPECT_NE(provenance.find("run 3: station version not recorded; no profile files recorded\n"),
              std::string::npos);
    EXPECT_EQ(provenance.find("missing from the pallet: 0"), std::string::npos);
}

TEST(EvidenceJunit, SignalsInTheTestcaseOutputAndStillValid) {
    const std::string xml = rp::to_junit({"pallet", "PAL-9"}, rows());
    EXPECT_NE(xml.find("<system-out>profile: xr90-na\nsku_basis: manifest\n"
                       "signal manifest=XR90-1104513 votes na: line 2 of the manifest\n"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("signal module_model==EM7565\\x1b[31m votes none: module of the family, "
                       "&lt;b&gt;&amp;&lt;/b&gt;\n</system-out>"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("name=\"slot A30 FSN-OLD\" time=\"1.000\"/>"), std::string::npos) << xml;
    const auto lint = lint_junit(xml);
    EXPECT_EQ(lint.exit_code, 0) << lint.err;
}

}  // namespace
}  // namespace tests::report
