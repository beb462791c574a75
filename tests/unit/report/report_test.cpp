// Report writers: CSV cells (formula neutralisation, RFC 4180 quoting, control characters),
// CSV read back, JUnit XML against the shipped schema (xmllint), JSON, the terminal table.
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
using station::core::Reason;

st::ResultRow row(std::int64_t run, std::string slot, std::string fsn,
                  std::optional<Outcome> outcome, std::optional<Reason> reason = std::nullopt,
                  std::string message = "") {
    st::ResultRow r;
    r.run.id = st::RunId{run};
    r.run.info = {st::RunMode::provision, "alice", "PAL-9", "xr90-na",
                  st::from_ms(1'790'000'000'000)};
    r.run.hostname = "bench-7";
    r.run.outcome = Outcome::fail;
    r.slot.id = st::SlotResultId{run * 100 + static_cast<std::int64_t>(slot.size())};
    r.slot.run = r.run.id;
    r.slot.start = {std::move(slot), "1-1.3", "/dev/ttyUSB2", 1, st::from_ms(1'790'000'001'000)};
    r.slot.identity.fsn = std::move(fsn);
    r.slot.identity.imei = "353270090000011";
    r.slot.identity.iccid = "89014104279999999995";
    r.slot.outcome = outcome;
    r.slot.reason = reason;
    r.slot.message = std::move(message);
    if (outcome) r.slot.ended = st::from_ms(1'790'000'002'500);
    return r;
}

std::vector<st::ResultRow> sample_rows() {
    return {row(1, "A1", "FSN-PASS", Outcome::pass),
            row(1, "A2", "=HYPERLINK(\"http://x\",\"y\")", Outcome::fail, Reason::sku_mismatch,
                "Global unit <b>&</b> on an NA pallet, \"really\"\r\n\x1b[31mred"),
            row(1, "A3", "FSN-ERR", Outcome::error, Reason::no_response, "AT+CGSN: timeout"),
            row(2, "B1", "FSN-ABORT", Outcome::aborted, Reason::aborted, "operator stopped"),
            row(2, "B2", "", std::nullopt)};
}

// RFC 4180 reader for the test: records of fields, quotes doubled inside quoted fields.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            fields.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(fields));
            fields.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return records;
}

TEST(Csv, ReadsBackOneRecordPerRowWithNeutralisedCells) {
    const auto rows = sample_rows();
    const std::string csv = rp::to_csv(rows);
    const auto records = parse_csv(csv);
    ASSERT_EQ(records.size(), rows.size() + 1);
    const std::size_t columns = records[0].size();
    EXPECT_EQ(records[0][10], "fsn");
    for (const auto& record : records) EXPECT_EQ(record.size(), columns);
    EXPECT_EQ(records[2][10], "'=HYPERLINK(\"http://x\",\"y\")");
    EXPECT_EQ(records[2][19], "FAIL");
    EXPECT_EQ(records[2][20], "sku_mismatch");
    EXPECT_EQ(records[2][21], "Global unit <b>&</b> on an NA pallet, \"really\"\\r\\n\\x1b[31mred");
    EXPECT_EQ(records[5][19], "RUNNING");
    EXPECT_EQ(records[5][23], "");
    for (const auto& record : records) {
        for (const auto& cell : record) {
            ASSERT_FALSE(!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '@'))
                << cell;
            for (const char c : cell) ASSERT_TRUE(c >= 0x20 && c < 0x7f) << cell;
        }
    }
}

TEST(Junit, ValidatesAgainstTheSchemaAndMapsOutcomes) {
    const std::string xml = rp::to_junit({"pallet", "PAL-9"}, sample_rows());
    EXPECT_NE(xml.find("<testsuites name=\"station pallet PAL-9\" tests=\"5\" failures=\"1\" "
                       "errors=\"1\" skipped=\"2\""),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<testsuite name=\"PAL-9/run-1\""), std::string::npos);
    EXPECT_NE(xml.find("<testsuite name=\"PAL-9/run-2\""), std::string::npos);
    EXPECT_NE(xml.find("<failure message=\"sku_mismatch: Global unit &lt;b&gt;&amp;&lt;/b&gt;"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<error message=\"no_response: AT+CGSN: timeout\" type=\"no_response\">"),
              std::string::npos);
    EXPECT_NE(xml.find("<skipped message=\"aborted: operator stopped\"/>"), std::string::npos);
    EXPECT_NE(xml.find("<skipped message=\"still running\"/>"), std::string::npos);
    EXPECT_NE(xml.find("name=\"slot A1 FSN-PASS\" time=\"1.500\"/>"), std::string::npos);
    EXPECT_EQ(xml.find('\x1b'), std::string::npos);

    const auto lint = lint_junit(xml);
    EXPECT_EQ(lint.exit_code, 0) << lint.err;

    // The schema is strict enough to catch a broken report (the test can fail).
    std::string broken = xml;
    broken.replace(broken.find("<failure "), 9, "<failed ");
    broken.replace(broken.find("</failure>"), 10, "</failed>");
    const auto bad = lint_junit(broken);
    EXPECT_NE(bad.exit_code, 0);
}

TEST(Junit, EmptyReportIsStillValid) {
    const std::string xml = rp::to_junit({"run", "7"}, {});
    EXPECT_NE(xml.find("<testsuites name=\"station run 7\" tests=\"0\""), std::string::npos);
    EXPECT_NE(xml.find("</testsuites>"), std::string::npos);
}

TEST(Json, CarriesEveryRowAndASummary) {
    const auto rows = sample_rows();
    const auto doc = nlohmann::json::parse(rp::to_json({"run", "1"}, rows));
    EXPECT_EQ(doc["subject"]["kind"], "run");
    ASSERT_EQ(doc["results"].size(), rows.size());
    EXPECT_EQ(doc["summary"]["PASS"], 1);
    EXPECT_EQ(doc["summary"]["FAIL"], 1);
    EXPECT_EQ(doc["summary"]["ERROR"], 1);
    EXPECT_EQ(doc["summary"]["ABORTED"], 1);
    EXPECT_EQ(doc["summary"]["RUNNING"], 1);
    EXPECT_EQ(doc["results"][1]["slot"]["fsn"], "=HYPERLINK(\"http://x\",\"y\")");
    EXPECT_EQ(doc["results"][1]["slot"]["reason"], "sku_mismatch");
    EXPECT_EQ(doc["results"][1]["run"]["station"], "bench-7");
    EXPECT_TRUE(doc["results"][4]["slot"]["ended"].is_null());
    // Invalid UTF-8 from a device does not break the document.
    auto odd = rows;
    odd[0].slot.identity.model = "EM\xff\xfe";
    const auto parsed = nlohmann::json::parse(rp::to_json({"run", "1"}, odd));
    EXPECT_EQ(parsed["results"].size(), rows.size());
}

TEST(Table, IsSanitizedAndSummarised) {
    const std::string table = rp::to_table(sample_rows());
    EXPECT_EQ(table.find('\x1b'), std::string::npos);
    EXPECT_NE(table.find("FSN-PASS"), std::string::npos);
    EXPECT_NE(table.find("5 results, 1 ABORTED, 1 ERROR, 1 FAIL, 1 PASS, 1 RUNNING"),
              std::string::npos)
        << table;
}

}  // namespace
}  // namespace tests::report
