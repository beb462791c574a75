// The regression rig's golden file: a file with every field read exactly; every mistake, one
// row each with the "file:line: what" a bench engineer reads, all of a file's at once and
// bounded; golden_text read back equal, odd strings included.
#include <gtest/gtest.h>

#include <set>

#include <station/config/golden_file.hpp>
#include <station/config/toml_text.hpp>

namespace {

using station::config::golden_text;
using station::config::parse_golden;
using station::core::DataCenter;
using station::core::Golden;
using station::core::GoldenSlot;
using station::core::Outcome;
using station::core::Region;

const std::string k_data = std::string(STATION_SOURCE_DIR) + "/tests/data/golden/";

bool known(std::string_view profile) {
    static const std::set<std::string, std::less<>> names{"xr90-na", "xr90-global"};
    return names.count(profile) > 0;
}

std::string error_of(std::string_view text) {
    const auto golden = parse_golden(text, "g.toml", known);
    if (golden) return "(parsed " + std::to_string(golden->slots.size()) + " slots)";
    EXPECT_EQ(golden.error().reason, station::core::Reason::bad_usage);
    return golden.error().message;
}

// Equal in every field but the line (which follows the text).
void expect_same(const GoldenSlot& a, const GoldenSlot& b) {
    EXPECT_EQ(a.slot, b.slot);
    EXPECT_EQ(a.fsn, b.fsn);
    EXPECT_EQ(a.imei, b.imei);
    EXPECT_EQ(a.iccid, b.iccid);
    EXPECT_EQ(a.model, b.model);
    EXPECT_EQ(a.firmware, b.firmware);
    EXPECT_EQ(a.firmware_min, b.firmware_min);
    EXPECT_EQ(a.profile, b.profile);
    EXPECT_EQ(a.region, b.region);
    EXPECT_EQ(a.data_center, b.data_center);
    EXPECT_EQ(a.verdict, b.verdict);
}

TEST(GoldenFile, ReadsEveryField) {
    const auto golden = station::config::load_golden(k_data + "two-slots.toml", known);
    ASSERT_TRUE(golden) << golden.error().message;
    EXPECT_EQ(golden->path, k_data + "two-slots.toml");
    ASSERT_EQ(golden->slots.size(), 2u);
    GoldenSlot a1;
    a1.slot = "A1";
    a1.fsn = "XR9N2301280017";
    a1.imei = "353270091234569";
    a1.iccid = "89014103211118510720";
    a1.model = "XR90";
    a1.firmware = "SWI9X50C_01.14.22.00";
    a1.profile = "xr90-na";
    a1.region = Region::na;
    a1.data_center = DataCenter::na;
    expect_same(golden->slots[0], a1);
    EXPECT_EQ(golden->slots[0].line, 2);
    GoldenSlot a2;
    a2.slot = "A2";
    a2.fsn = "XR9N2301280018";
    a2.imei = "353270091234577";
    a2.firmware_min = "01.14.00.00";
    a2.verdict = Outcome::fail;
    expect_same(golden->slots[1], a2);
    EXPECT_EQ(golden->slots[1].line, 14);
}

TEST(GoldenFile, AnyProfileWhenNoneAreLoaded) {
    const auto golden = parse_golden("[[slot]]\nslot = \"A1\"\nprofile = \"xr99\"\n", "g.toml", {});
    ASSERT_TRUE(golden) << golden.error().message;
    EXPECT_EQ(golden->slots[0].profile, "xr99");
    EXPECT_EQ(golden->slots[0].verdict, Outcome::pass);  // the default
}

struct ErrorCase {
    const char* name;
    std::string text;
    std::string message;
};

class GoldenError : public testing::TestWithParam<ErrorCase> {};

TEST_P(GoldenError, NamesFileLineAndWhat) {
    EXPECT_EQ(error_of(GetParam().text), GetParam().message);
}

const std::string k_a1 = "[[slot]]\nslot = \"A1\"\n";

INSTANTIATE_TEST_SUITE_P(
    Mistakes, GoldenError,
    testing::Values(
        ErrorCase{"toml_syntax", "[[slot]]\nslot = \"A1\n",
                  "g.toml:2: Error while parsing string: unescaped control characters other "
                  "than TAB (U+0009) are explicitly prohibited"},
        ErrorCase{"unknown_key", k_a1 + "serial = \"X\"\n", "g.toml:3: unknown key 'slot.serial'"},
        ErrorCase{"unknown_top_key", "rig = \"r\"\n" + k_a1, "g.toml:1: unknown key 'rig'"},
        ErrorCase{"wrong_type", k_a1 + "fsn = 17\n",
                  "g.toml:3: key 'slot.fsn': expected a string, got integer"},
        ErrorCase{"slot_not_a_table_array", "slot = \"A1\"\n",
                  "g.toml:1: key 'slot': expected an array of tables ([[slot]]), got string"},
        ErrorCase{"empty_value", k_a1 + "model = \"\"\n",
                  "g.toml:3: key 'slot.model': empty (leave the key out when it is not to be "
                  "checked)"},
        ErrorCase{"imei_check_digit", k_a1 + "imei = \"353270091234567\"\n",
                  "g.toml:3: key 'slot.imei': IMEI 353270091234567: Luhn check digit wrong"},
        ErrorCase{"imei_length", k_a1 + "imei = \"3532700912345\"\n",
                  "g.toml:3: key 'slot.imei': IMEI 3532700912345: wrong length"},
        ErrorCase{"iccid_check_digit", k_a1 + "iccid = \"89014103211118510731\"\n",
                  "g.toml:3: key 'slot.iccid': ICCID 89014103211118510731: Luhn check digit "
                  "wrong"},
        ErrorCase{"iccid_prefix", k_a1 + "iccid = \"99014103211118510720\"\n",
                  "g.toml:3: key 'slot.iccid': ICCID 99014103211118510720: does not start with "
                  "89"},
        ErrorCase{"iccid_hex", k_a1 + "iccid = \"8901410321111851072A\"\n",
                  "g.toml:3: key 'slot.iccid': ICCID 8901410321111851072A: has hex digits A-F, "
                  "cannot be Luhn-checked"},
        ErrorCase{"firmware_both", k_a1 + "firmware = \"01.14.22.00\"\nfirmware_min = \"01.14\"\n",
                  "g.toml:1: slot 'A1': firmware and firmware_min both given (one or the other)"},
        ErrorCase{"firmware_min_no_version", k_a1 + "firmware_min = \"latest\"\n",
                  "g.toml:3: key 'slot.firmware_min': 'latest' has no version number like "
                  "01.14.00.00"},
        ErrorCase{"unknown_profile", k_a1 + "profile = \"xr99-mars\"\n",
                  "g.toml:3: key 'slot.profile': 'xr99-mars' is not a loaded SKU profile"},
        ErrorCase{"bad_region", k_a1 + "region = \"eu\"\n",
                  "g.toml:3: key 'slot.region': 'eu' is not one of na, global"},
        ErrorCase{"bad_data_center", k_a1 + "data_center = \"global\"\n",
                  "g.toml:3: key 'slot.data_center': 'global' is not one of na, eu"},
        ErrorCase{"bad_verdict", k_a1 + "verdict = \"pass\"\n",
                  "g.toml:3: key 'slot.verdict': 'pass' is not one of PASS, FAIL, ERROR"},
        ErrorCase{"aborted_is_no_verdict", k_a1 + "verdict = \"ABORTED\"\n",
                  "g.toml:3: key 'slot.verdict': 'ABORTED' is not one of PASS, FAIL, ERROR"},
        ErrorCase{"no_label", "[[slot]]\nfsn = \"X\"\n",
                  "g.toml:1: [[slot]] without 'slot' (the rig's slot label)"},
        ErrorCase{"empty_label", "[[slot]]\nslot = \"\"\n",
                  "g.toml:2: key 'slot.slot': empty (leave the key out when it is not to be "
                  "checked)"},
        ErrorCase{"duplicate_slot", k_a1 + "\n" + k_a1,
                  "g.toml:4: duplicate slot 'A1' (first at line 1)"},
        ErrorCase{"no_slots", "# nothing\n", "g.toml:1: no [[slot]] tables"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(GoldenFile, ListsEveryMistakeOfAFile) {
    const auto golden = station::config::load_golden(k_data + "mistakes.toml", known);
    ASSERT_FALSE(golden);
    const std::string f = k_data + "mistakes.toml";
    EXPECT_EQ(golden.error().message,
              f + ":5: unknown key 'slot.colour'\n" + f +
                  ":4: key 'slot.imei': IMEI 353270091234567: Luhn check digit wrong\n" + f +
                  ":9: key 'slot.iccid': ICCID 8901410321111851072X: contains non-digits\n" + f +
                  ":7: slot 'A2': firmware and firmware_min both given (one or the other)\n" + f +
                  ":15: key 'slot.profile': 'xr99-mars' is not a loaded SKU profile\n" + f +
                  ":22: key 'slot.fsn': expected a string, got integer\n" + f +
                  ":19: key 'slot.region': 'eu' is not one of na, global\n" + f +
                  ":20: key 'slot.data_center': 'global' is not one of na, eu\n" + f +
                  ":21: key 'slot.verdict': 'pass' is not one of PASS, FAIL, ERROR\n" + f +
                  ":13: duplicate slot 'A1' (first at line 2)");
}

TEST(GoldenFile, BoundsTheListOfMistakes) {
    std::string text;
    for (int i = 0; i < 60; ++i) {
        text += "[[slot]]\nslot = \"S" + std::to_string(i) + "\"\nimei = \"1\"\n";
    }
    const std::string message = error_of(text);
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 50);
    EXPECT_EQ(message.substr(0, message.find('\n')),
              "g.toml:3: key 'slot.imei': IMEI 1: wrong length");
    EXPECT_NE(message.find("\ng.toml: and 10 more problems"), std::string::npos) << message;
}

Golden odd_golden() {
    GoldenSlot a1;
    a1.slot = "A \"1\" \\ back";
    a1.fsn = "tab\there\nnew line\r\x01\x7f";
    a1.imei = "354125080012765";
    a1.iccid = "89014103211118510738";
    a1.model = "Caf\xC3\xA9 \xE2\x80\xAE rtl \xF0\x9F\x98\x80 \xC2\x85";
    a1.firmware = "'single' #not a comment";
    a1.profile = "xr90-global";
    a1.region = Region::global;
    a1.data_center = DataCenter::eu;
    a1.verdict = Outcome::error;
    GoldenSlot a2;
    a2.slot = "[[slot]]";
    a2.firmware_min = "01.14 \"min\"";
    a2.verdict = Outcome::fail;
    return Golden{"g.toml", {a1, a2}};
}

TEST(GoldenText, ReadsBackEqual) {
    const Golden golden = odd_golden();
    const std::string text = golden_text(golden, "Recorded from run 12\n\nreview before use");
    const auto back = parse_golden(text, "g.toml", known);
    ASSERT_TRUE(back) << back.error().message << "\n" << text;
    EXPECT_EQ(back->path, "g.toml");
    ASSERT_EQ(back->slots.size(), golden.slots.size());
    for (std::size_t i = 0; i < golden.slots.size(); ++i)
        expect_same(back->slots[i], golden.slots[i]);
    EXPECT_EQ(back->slots[0].line, 5);
    EXPECT_EQ(text.substr(0, 55), "# Recorded from run 12\n#\n# review before use\n\n[[slot]]\n");
}

TEST(GoldenText, OneTablePerSlotWithTheFieldsSet) {
    GoldenSlot slot;
    slot.slot = "B2";
    slot.fsn = "XR9N1";
    slot.region = Region::na;
    EXPECT_EQ(golden_text(Golden{"", {slot, slot}}, ""),
              "[[slot]]\nslot = \"B2\"\nfsn = \"XR9N1\"\nregion = \"na\"\nverdict = \"PASS\"\n"
              "\n[[slot]]\nslot = \"B2\"\nfsn = \"XR9N1\"\nregion = \"na\"\nverdict = \"PASS\"\n");
}

TEST(TomlQuoted, EscapesWhatTomlMustAndWhatAReaderShouldSee) {
    const std::vector<std::pair<std::string, std::string>> table{
        {"", "\"\""},
        {"plain", "\"plain\""},
        {"a\"b\\c", "\"a\\\"b\\\\c\""},
        {"\b\t\n\f\r", "\"\\b\\t\\n\\f\\r\""},
        {std::string("\x00\x1f\x7f", 3), "\"\\u0000\\u001F\\u007F\""},
        {"caf\xC3\xA9", "\"caf\xC3\xA9\""},
        {"\xE2\x80\xAE", "\"\\u202E\""},
        {"\xC2\x85", "\"\\u0085\""},
        {"\xF0\x9F\x98\x80", "\"\xF0\x9F\x98\x80\""},
        {"bad \xFF byte", "\"bad \\uFFFD byte\""},
    };
    for (const auto& [text, quoted] : table) {
        EXPECT_EQ(station::config::toml_quoted(text), quoted) << quoted;
    }
}

}  // namespace
