// The pallet manifest reader's mistakes: every one a warehouse export can carry, one row each
// with the exact "file:line: what" an operator reads; all of a file's mistakes at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <station/config/manifest_file.hpp>

#include "manifest_parts.hpp"

namespace {

using station::tests::known_part;

using station::config::parse_manifest;

station::core::Result<station::core::Manifest> parse(std::string_view text) {
    return parse_manifest(text, "p.csv", known_part);
}

std::string error_of(std::string_view text) {
    const auto manifest = parse(text);
    if (manifest) return "(parsed " + std::to_string(manifest->size()) + " lines)";
    EXPECT_EQ(manifest.error().reason, station::core::Reason::bad_usage);
    return manifest.error().message;
}

struct ErrorCase {
    const char* name;
    std::string text;
    std::string message;
};

class ManifestError : public testing::TestWithParam<ErrorCase> {};

TEST_P(ManifestError, NamesFileLineAndWhat) {
    EXPECT_EQ(error_of(GetParam().text), GetParam().message);
}

const std::string k_head = "serial,imei,part_number\n";
const std::string k_head_iccid = "serial,imei,part_number,iccid\n";

INSTANTIATE_TEST_SUITE_P(
    Csv, ManifestError,
    testing::Values(
        ErrorCase{"missing_column", "serial,imei\nS1,354125080012765\n",
                  "p.csv:1: missing column 'part_number'"},
        ErrorCase{"missing_columns", "\nIMEI,po\n354125080012765,7\n",
                  "p.csv:2: missing column 'serial'\np.csv:2: missing column 'part_number'"},
        ErrorCase{"column_twice",
                  "serial,imei,part_number, SERIAL \nS1,354125080012765,XR90-1104513,S1\n",
                  "p.csv:1: column 'serial' appears twice"},
        ErrorCase{"missing_value", k_head + " ,354125080012765,XR90-1104513\n",
                  "p.csv:2: missing value for 'serial'"},
        ErrorCase{"short_line", k_head + "S1,354125080012765\n",
                  "p.csv:2: missing value for 'part_number'"},
        ErrorCase{"imei_check_digit", k_head + "S1,354125080012766,XR90-1104513\n",
                  "p.csv:2: IMEI 354125080012766: Luhn check digit wrong"},
        ErrorCase{"imei_length", k_head + "S1,35412508001276,XR90-1104513\n",
                  "p.csv:2: IMEI 35412508001276: wrong length"},
        ErrorCase{"imei_not_digits", k_head + "S1,35412508001276O,XR90-1104513\n",
                  "p.csv:2: IMEI 35412508001276O: contains non-digits"},
        ErrorCase{"unknown_part_number", k_head + "S1,354125080012765,XR99-0000000\n",
                  "p.csv:2: unknown part number 'XR99-0000000' (no profile lists it)"},
        ErrorCase{"iccid_check_digit",
                  k_head_iccid + "S1,354125080012765,XR90-1104513,8901260123456789012\n",
                  "p.csv:2: ICCID 8901260123456789012: Luhn check digit wrong"},
        ErrorCase{
            "iccid_hex", k_head_iccid + "S1,354125080012765,XR90-1104513,898604A6101770125379\n",
            "p.csv:2: ICCID 898604A6101770125379: has hex digits A-F, cannot be Luhn-checked"},
        ErrorCase{"iccid_not_digits", k_head_iccid + "S1,354125080012765,XR90-1104513,89x\n",
                  "p.csv:2: ICCID 89x: contains non-digits"},
        ErrorCase{"duplicate_serial",
                  k_head + "S1,354125080012765,XR90-1104513\ns1,354125080012773,XR90-1104513\n",
                  "p.csv:3: duplicate serial s1 (first on line 2)"},
        ErrorCase{"duplicate_imei",
                  k_head + "S1,354125080012765,XR90-1104513\nS2,354125080012765,XR90-1104513\n",
                  "p.csv:3: duplicate IMEI 354125080012765 (first on line 2)"},
        ErrorCase{"field_too_long",
                  k_head + std::string(257, 'S') + ",354125080012765,XR90-1104513\n",
                  "p.csv:2: 'serial' longer than 256 bytes"},
        ErrorCase{"line_too_long",
                  k_head + "S1,354125080012765,XR90-1104513," + std::string(4096, 'x') + "\n",
                  "p.csv:2: line longer than 4096 bytes"},
        ErrorCase{"line_too_long_in_quotes",
                  k_head + "S1,354125080012765,XR90-1104513,\"" + std::string(5000, 'x') +
                      "\"\nS1,354125080012765,XR90-1104513\n",
                  "p.csv:2: line longer than 4096 bytes"},
        ErrorCase{"control_character", k_head + "S1\x1b[2J,354125080012765,XR90-1104513\n",
                  "p.csv:2: 'serial' is not printable text: S1\\x1b[2J"},
        ErrorCase{"line_break_in_quotes",
                  k_head + "S1,354125080012765,XR90-1104513\n\"S\n2\",354125080012773,XR90\n",
                  "p.csv:3: 'serial' is not printable text: S\\n2\n"
                  "p.csv:3: unknown part number 'XR90' (no profile lists it)"},
        ErrorCase{"quote_never_closed", k_head + "S1,\"354125080012765,XR90-1104513\n",
                  "p.csv:2: a quoted field is never closed"},
        ErrorCase{"text_after_quote", k_head + "\"S1\"x,354125080012765,XR90-1104513\n",
                  "p.csv:2: text after the closing quote of a field"},
        ErrorCase{"quote_inside_field", k_head + "S\"1,354125080012765,XR90-1104513\n",
                  "p.csv:2: a quote inside an unquoted field"},
        ErrorCase{"bad_header", "\"serial,imei,part_number\nS1,354125080012765,XR90-1104513\n",
                  "p.csv:1: a quoted field is never closed"},
        ErrorCase{"no_units", k_head + "\n , , \n", "p.csv: no units"},
        ErrorCase{"empty_file", "", "p.csv: no units"},
        ErrorCase{"only_bom", "\xEF\xBB\xBF", "p.csv: no units"}),
    [](const auto& row) { return std::string(row.param.name); });

const std::string k_json =
    R"({"serial":"S1","imei":"354125080012765","part_number":"XR90-1104513"})";

INSTANTIATE_TEST_SUITE_P(
    JsonLines, ManifestError,
    testing::Values(
        ErrorCase{"bad_json", k_json + "\n{\"serial\": \"S2\"\n",
                  "p.csv:2: not valid JSON (at byte 16)"},
        ErrorCase{"number_out_of_range", k_json + "\n{\"serial\":\"S2\",\"x\":1e999}\n",
                  "p.csv:2: not valid JSON (a number out of range)"},
        ErrorCase{"invalid_utf8", k_json + "\n{\"serial\":\"S\xff\"}\n",
                  "p.csv:2: not valid JSON (at byte 13)"},
        ErrorCase{"not_an_object", k_json + "\n[1]\n", "p.csv:2: not a JSON object"},
        ErrorCase{"number_value",
                  R"({"serial":"S1","imei":354125080012765,"part_number":"XR90-1104513"})",
                  "p.csv:1: 'imei' is a number, not a string"},
        ErrorCase{"boolean_value", k_json.substr(0, k_json.size() - 1) + R"(,"po":true})",
                  "p.csv:1: 'po' is a boolean, not a string"},
        ErrorCase{"array_value", k_json.substr(0, k_json.size() - 1) + R"(,"company":["A"]})",
                  "p.csv:1: 'company' is an array, not a string"},
        ErrorCase{"null_required",
                  R"({"serial":null,"imei":"354125080012765","part_number":"XR90-1104513"})",
                  "p.csv:1: missing value for 'serial'"},
        ErrorCase{"missing_key", R"({"serial":"S1","imei":"354125080012765"})",
                  "p.csv:1: missing value for 'part_number'"},
        ErrorCase{"key_twice", k_json.substr(0, k_json.size() - 1) + R"(,"Serial":"S1"})",
                  "p.csv:1: key 'serial' appears twice"},
        ErrorCase{
            "line_too_long",
            k_json.substr(0, k_json.size() - 1) + ",\"x\":\"" + std::string(4096, 'x') + "\"}",
            "p.csv:1: line longer than 4096 bytes"},
        ErrorCase{"duplicate_imei", k_json + "\n\n" + k_json,
                  "p.csv:3: duplicate serial S1 (first on line 1)\n"
                  "p.csv:3: duplicate IMEI 354125080012765 (first on line 1)"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(ManifestFile, ReportsEveryMistakeInFileOrder) {
    const std::string text = k_head +
                             "S1,354125080012766,XR90-1104513\n"    // 2: check digit
                             "S2,354125080012765,XR90-1104513\n"    // 3: fine
                             "S\"3,354125080012773,XR90-1104513\n"  // 4: stray quote
                             ",354125080012773,XR99\n";             // 5: two mistakes
    EXPECT_EQ(error_of(text),
              "p.csv:2: IMEI 354125080012766: Luhn check digit wrong\n"
              "p.csv:4: a quote inside an unquoted field\n"
              "p.csv:5: missing value for 'serial'\n"
              "p.csv:5: unknown part number 'XR99' (no profile lists it)");
}

TEST(ManifestFile, ListsFiftyMistakesThenCountsTheRest) {
    std::string text = k_head;
    for (int i = 0; i < 60; ++i) text += "S" + std::to_string(i) + ",1,XR90-1104513\n";
    const std::string message = error_of(text);
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 50);
    EXPECT_EQ(message.substr(0, message.find('\n')), "p.csv:2: IMEI 1: wrong length");
    EXPECT_NE(message.find("p.csv:51: IMEI 1: wrong length\n... and 10 more"), std::string::npos);
    EXPECT_EQ(message.substr(message.rfind('\n') + 1), "... and 10 more");
}

TEST(ManifestFile, NoPartNumberCheckMeansNoneIsKnown) {
    const auto manifest = parse_manifest(k_head + "S1,354125080012765,XR90-1104513\n", "p.csv", {});
    ASSERT_FALSE(manifest);
    EXPECT_EQ(manifest.error().message,
              "p.csv:2: unknown part number 'XR90-1104513' (no profile lists it)");
}

}  // namespace
