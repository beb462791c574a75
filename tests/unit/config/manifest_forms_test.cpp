// The forms real warehouse exports take, read into the same manifest lines, and load_manifest
// on real files (sha256 of the bytes, unreadable and oversized files).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <station/config/manifest_file.hpp>

#include "process.hpp"

#include "manifest_parts.hpp"

namespace {

using station::tests::known_part;

using station::config::load_manifest;
using station::config::parse_manifest;
using station::core::ManifestLine;

// Every field of a line, for one comparison with a readable failure.
std::string fields(const ManifestLine& line) {
    return std::to_string(line.line) + "|" + line.serial + "|" + line.imei + "|" +
           line.part_number + "|" + line.iccid + "|" + line.po + "|" + line.company;
}

struct FormCase {
    const char* name;
    std::string text;
    std::vector<std::string> lines;  // fields() of each line, in order
};

class ManifestForm : public testing::TestWithParam<FormCase> {};

TEST_P(ManifestForm, ReadsTheLines) {
    const auto manifest = parse_manifest(GetParam().text, "p.csv", known_part);
    ASSERT_TRUE(manifest) << manifest.error().message;
    std::vector<std::string> got;
    for (const ManifestLine& line : manifest->lines()) got.push_back(fields(line));
    EXPECT_EQ(got, GetParam().lines);
    EXPECT_EQ(manifest->source(), "p.csv");
    EXPECT_EQ(manifest->sha256, "");  // parsed text has no file to name
}

const std::string k_line_a = "2|S1|354125080012765|XR90-1104513|||";

INSTANTIATE_TEST_SUITE_P(
    Table, ManifestForm,
    testing::Values(
        FormCase{"comma", "serial,imei,part_number\nS1,354125080012765,XR90-1104513\n", {k_line_a}},
        FormCase{"semicolon_with_commas_in_values",
                 "serial;imei;part_number;company\nS1;354125080012765;XR90-1104513;Acme, Inc.\n",
                 {k_line_a + "Acme, Inc."}},
        FormCase{"bom",
                 "\xEF\xBB\xBFserial,imei,part_number\nS1,354125080012765,XR90-1104513\n",
                 {k_line_a}},
        FormCase{
            "crlf", "serial,imei,part_number\r\nS1,354125080012765,XR90-1104513\r\n", {k_line_a}},
        FormCase{"no_final_line_end",
                 "serial,imei,part_number\nS1,354125080012765,XR90-1104513",
                 {k_line_a}},
        FormCase{"quoted_fields",
                 "serial,imei,part_number,company,po\n"
                 "\"S1\", \"354125080012765\" ,XR90-1104513,\"Acme, \"\"Best\"\" Inc.\",\"\"\n",
                 {"2|S1|354125080012765|XR90-1104513||"
                  "|Acme, \"Best\" Inc."}},
        FormCase{"semicolon_quoted",
                 "\"serial\";\"imei\";\"part_number\";\"po\"\n"
                 "\"S1\";\"354125080012765\";\"XR90-1104513\";\"PO;7\"\n",
                 {"2|S1|354125080012765|XR90-1104513||PO;7|"}},
        FormCase{"column_order_case_extra_columns",
                 " Part_Number ,notes,IMEI,Serial,PO,Company,ICCID\n"
                 "XR60-1104601,fragile,354125080012773, s2 ,PO-7,Acme,8901260123456789011F\n",
                 {"2|s2|354125080012773|XR60-1104601|8901260123456789011|PO-7|Acme"}},
        FormCase{"blank_lines_keep_numbers",
                 "\n serial,imei,part_number\n\nS1,354125080012765,XR90-1104513\n,,\n \t\n"
                 "S2,354125080012773,XR60-1104601\n\n",
                 {"4|S1|354125080012765|XR90-1104513|||", "7|S2|354125080012773|XR60-1104601|||"}},
        FormCase{"line_of_4096_bytes",  // the limit is on the text, line ends not counted
                 "serial,imei,part_number,notes\r\nS1,354125080012765,XR90-1104513," +
                     std::string(4096 - 32, 'x') + "\r\n",
                 {k_line_a}},
        FormCase{"json_lines",
                 "\xEF\xBB\xBF\n"
                 R"({"serial":"S1","imei":"354125080012765","part_number":"XR90-1104513","x":1})"
                 "\r\n\n"
                 R"( {"IMEI":" 354125080012773","Serial":"S2","part_number":"XR60-1104601",)"
                 R"("iccid":"89014103211118510720","po":null,"company":"Zoë"})",
                 {k_line_a, "4|S2|354125080012773|XR60-1104601|89014103211118510720||Zoë"}}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(ManifestIndex, FindsWhatItRead) {
    const auto manifest = parse_manifest(
        "imei,serial,part_number\n354125080012765,xr9n01,XR90-1104513\n", "pallet.csv", known_part);
    ASSERT_TRUE(manifest) << manifest.error().message;
    EXPECT_EQ(manifest->find_serial("XR9N01"), std::optional<std::size_t>(0));
    EXPECT_EQ(manifest->find_imei("354125080012765"), std::optional<std::size_t>(0));
    EXPECT_EQ(manifest->place(0), "pallet.csv:2");
}

TEST(LoadManifest, ReadsAFileAndRecordsItsDigest) {
    const tests::TempDir dir;
    const std::string path = dir.path() + "/pallet.csv";
    const std::string bytes = "serial,imei,part_number\nS1,354125080012765,XR90-1104513\n";
    std::ofstream(path, std::ios::binary) << bytes;
    const auto manifest = load_manifest(path, known_part);
    ASSERT_TRUE(manifest) << manifest.error().message;
    // sha256sum's digest of those bytes
    EXPECT_EQ(manifest->sha256, "36c57df631d77ad2d289d7b24c0809d1afc7a1c60ef7a872ca6e923aabd5e9ec");
    EXPECT_EQ(manifest->place(0), path + ":2");
}

TEST(LoadManifest, NamesTheFileInItsMistakes) {
    const tests::TempDir dir;
    const std::string path = dir.path() + "/pallet.csv";
    std::ofstream(path, std::ios::binary) << "serial,imei\n";
    const auto manifest = load_manifest(path, known_part);
    ASSERT_FALSE(manifest);
    EXPECT_EQ(manifest.error().message, path + ":1: missing column 'part_number'");
}

struct UnreadableCase {
    const char* name;
    std::string file;     // under the temp dir
    std::string message;  // after "<path>: "
};

class LoadManifestRefuses : public testing::TestWithParam<UnreadableCase> {};

TEST_P(LoadManifestRefuses, NamesPathAndCause) {
    const tests::TempDir dir;
    std::filesystem::create_directory(dir.path() + "/a_directory");
    std::ofstream(dir.path() + "/huge.csv").close();
    std::filesystem::resize_file(dir.path() + "/huge.csv",
                                 (std::uintmax_t{256} << 20U) + 1);  // sparse, nothing written
    const std::string path = dir.path() + "/" + GetParam().file;
    const auto manifest = load_manifest(path, known_part);
    ASSERT_FALSE(manifest);
    EXPECT_EQ(manifest.error().reason, station::core::Reason::bad_usage);
    EXPECT_EQ(manifest.error().message, path + ": " + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, LoadManifestRefuses,
    testing::Values(UnreadableCase{"missing", "missing.csv",
                                   "cannot read: No such file or directory"},
                    UnreadableCase{"directory", "a_directory", "cannot read: Is a directory"},
                    UnreadableCase{"too_large", "huge.csv", "larger than 256 MiB, not a manifest"}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
