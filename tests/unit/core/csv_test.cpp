// The one CSV writer: formula starts, quoting, sanitising and the cell cap, table-driven; and
// a record's commas and CRLF.
#include <station/core/csv.hpp>

#include <gtest/gtest.h>

namespace {

using station::core::csv_cell;
using station::core::CsvRecord;

struct CellCase {
    std::string raw;
    std::string cell;
};

class CsvCell : public testing::TestWithParam<CellCase> {};

TEST_P(CsvCell, WrittenAsText) {
    EXPECT_EQ(csv_cell(GetParam().raw), GetParam().cell);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CsvCell,
    testing::Values(
        // formula starts get a leading '
        CellCase{"=1+1", "'=1+1"}, CellCase{"+41 79 000", "'+41 79 000"}, CellCase{"-2", "'-2"},
        CellCase{"@SUM(A1)", "'@SUM(A1)"}, CellCase{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
        CellCase{"=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""},
        // tab and CR become visible escapes, so nothing hides in front of a formula
        CellCase{"\t=1", "\\t=1"}, CellCase{"\r=1", "\\r=1"},
        // plain text, empty, a sign inside
        CellCase{"LA1234", "LA1234"}, CellCase{"", ""}, CellCase{"a=b", "a=b"},
        CellCase{"Zoë", "Zoë"},
        // RFC 4180 quoting
        CellCase{"a,b", "\"a,b\""}, CellCase{"say \"hi\"", "\"say \"\"hi\"\"\""},
        CellCase{"=\"x\",1", "\"'=\"\"x\"\",1\""},
        // device strings: controls and invalid UTF-8 escaped
        CellCase{"line1\nline2", "line1\\nline2"}, CellCase{"\x1b[2J\x07", "\\x1b[2J\\x07"},
        CellCase{"\xff\xfe", "\\xff\\xfe"}, CellCase{"a\u202eb", "a\\u202eb"}));

struct CapCase {
    std::size_t length;
    std::size_t cap;
    bool cut;
};

class CsvCellCap : public testing::TestWithParam<CapCase> {};

TEST_P(CsvCellCap, LongCellsAreCut) {
    const auto& c = GetParam();
    const std::string cell = csv_cell(std::string(c.length, 'x'), c.cap);
    if (!c.cut) {
        EXPECT_EQ(cell, std::string(c.length, 'x'));
        return;
    }
    EXPECT_LE(cell.size(), c.cap);
    EXPECT_GE(cell.size(), c.cap - 3);
    EXPECT_EQ(cell.substr(cell.size() - 3), "...");
}

INSTANTIATE_TEST_SUITE_P(Table, CsvCellCap,
                         testing::Values(CapCase{256, 256, false}, CapCase{400, 256, true},
                                         CapCase{4096, station::core::k_csv_max_cell, false},
                                         CapCase{100000, station::core::k_csv_max_cell, true}));

TEST(CsvRecordTest, CellsJoinedByCommasEndedByCrlf) {
    EXPECT_EQ(CsvRecord().add("").add("=1").add("a,b").line(), ",'=1,\"a,b\"\r\n");
    EXPECT_EQ(CsvRecord().line(), "\r\n");
    EXPECT_EQ(CsvRecord(8).add(std::string(20, 'y')).add("z").line(), "yyyyy...,z\r\n");
}

}  // namespace
