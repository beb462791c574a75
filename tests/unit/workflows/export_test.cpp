// The bulk export file: column names checked against the mapping, cells that a spreadsheet
// can neither misread nor execute.
#include <gtest/gtest.h>

#include <station/workflows/register_export.hpp>

namespace station::workflows {
namespace {

TEST(RegisterExport, CsvCells) {
    struct Row {
        std::string raw;
        std::string cell;
    };
    const Row rows[] = {
        {"LA1234", "LA1234"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""},
        {"+1", "'+1"},
        {"-1", "'-1"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"line\nbreak", "line\\nbreak"},
        {"esc\x1b[2J", "esc\\x1b[2J"},
    };
    for (const auto& row : rows) EXPECT_EQ(csv_cell(row.raw), row.cell) << row.raw;
    const std::string long_cell = csv_cell(std::string(400, 'x'));
    EXPECT_LE(long_cell.size(), 260U);  // sanitize_for_display: 256 + "..."
    EXPECT_EQ(long_cell.substr(long_cell.size() - 3), "...");
}

TEST(RegisterExport, Columns) {
    const auto ok = parse_export_columns("NAME, GATEWAY[IMEI] ,ICCID,COMPANY");
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(*ok, (std::vector<std::string>{"NAME", "GATEWAY[IMEI]", "ICCID", "COMPANY"}));
    for (const char* bad : {"", "NAME,", "name", "NAME,,ICCID", "GATEWAY[MAC]"}) {
        const auto parsed = parse_export_columns(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_NE(parsed.error().message.find("known: NAME, LABELS"), std::string::npos);
    }
}

TEST(RegisterExport, RowsAsCsvAndJson) {
    store::OutboxRow row;
    row.registration.fsn = "LA1";
    row.registration.serial = "LA1";
    row.registration.imei = "352753090123454";
    row.registration.iccid = "89014103211118510720";
    row.registration.term_years = 5;
    row.registration.po = "=cmd";
    const std::vector<std::string> columns{"NAME", "LABELS", "PO", "COMPANY"};
    EXPECT_EQ(export_rows({row}, columns, ExportFormat::alms_csv, "c-1"),
              "NAME,LABELS,PO,COMPANY\r\nLA1,term:5y;po:=cmd,'=cmd,c-1\r\n");
    EXPECT_EQ(export_rows({}, columns, ExportFormat::json, ""), "[]\n");
    const std::string json = export_rows({row}, {"TERM"}, ExportFormat::json, "");
    EXPECT_NE(json.find("\"TERM\": \"5y\""), std::string::npos) << json;
}

}  // namespace
}  // namespace station::workflows
