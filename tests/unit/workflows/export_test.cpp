// The bulk export file: column names checked against the mapping, cells that a spreadsheet
// can neither misread nor execute.
#include <gtest/gtest.h>

#include <station/workflows/register_export.hpp>

namespace station::workflows {
namespace {

TEST(RegisterExport, CellsAreWrittenByTheCsvWriterWithTheExportCap) {
    store::OutboxRow row;
    row.registration.po = "@" + std::string(400, 'x');
    const std::string text = export_rows({row}, {"PO"}, ExportFormat::alms_csv, "");
    // the formula start neutralised, the cell cut at 256 bytes (then the ' in front)
    EXPECT_EQ(text, "PO\r\n'@" + std::string(252, 'x') + "...\r\n");
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
