// parse_iccid_response and decode_swapped_bcd: every ICCID form, EF_ICCID reads with swapped
// nibbles and F padding, SIM status errors, ambiguity and noise.
#include <drivers/at/parsers.hpp>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using drivers::at::decode_swapped_bcd;
using drivers::at::parse_iccid_response;
using station::core::Reason;

constexpr const char* k_att = "89014103211118510720";  // 20 digits, Luhn-valid
constexpr const char* k_tmo = "8901260123456789011";   // 19 digits, Luhn-valid
constexpr const char* k_hex = "898604A6101770125379";  // hex account digits (China Mobile-style)
constexpr const char* k_iccid_error = nullptr;
const std::string k_eid = "89049032000001000000012345678901";  // 32 digits

struct IccidCase {
    const char* name;
    std::vector<std::string> lines;
    const char* expected;      // k_iccid_error: protocol_error
    const char* message_part;  // for errors: text the message must contain
};

const std::vector<IccidCase> k_iccid_cases{
    {"sierra_iccid", {"!ICCID: 89014103211118510720"}, k_att, ""},
    {"plus_iccid", {"+ICCID: 89014103211118510720"}, k_att, ""},
    {"iccid", {"ICCID: 89014103211118510720"}, k_att, ""},
    {"ccid", {"+CCID: 89014103211118510720"}, k_att, ""},
    {"ccid_quoted", {"+CCID: \"89014103211118510720\""}, k_att, ""},
    {"ccid_with_eid_quoted", {"+CCID: \"89014103211118510720\",\"" + k_eid + "\""}, k_att, ""},
    {"ccid_with_eid_bare", {"+CCID: 89014103211118510720," + k_eid}, k_att, ""},
    {"qccid_padded", {"+QCCID: 8901260123456789011F"}, k_tmo, ""},
    {"telit_ccid", {"#CCID: 89014103211118510720"}, k_att, ""},
    {"huawei_iccid", {"^ICCID: 89014103211118510720"}, k_att, ""},
    // Huawei ^ICCID: the raw EF_ICCID, nibble-swapped, quoted, F-padded.
    {"huawei_swapped_quoted", {"^ICCID: \"98101430121181157002\""}, k_att, ""},
    {"huawei_swapped_f_padded", {"^ICCID: \"981062103254769810F1\""}, k_tmo, ""},
    {"huawei_swapped_unquoted", {"^ICCID: 981062103254769810F1"}, k_tmo, ""},
    {"huawei_swapped_lowercase", {"^iccid:\"981062103254769810f1\""}, k_tmo, ""},
    {"huawei_swapped_hex", {"^ICCID: \"9868406A017107213597\""}, k_hex, ""},
    {"huawei_swapped_bad_check_digit",
     {"^ICCID: \"98101430121181157003\""},
     "89014103211118510730",
     ""},
    {"huawei_swapped_and_crsm_agree",
     {"^ICCID: \"98101430121181157002\"", "+CRSM: 144,0,\"98101430121181157002\""},
     k_att,
     ""},
    {"huawei_swapped_odd_length", {"^ICCID: \"9810143012118115700\""}, k_iccid_error, "no ICCID"},
    {"huawei_swapped_bad_char", {"^ICCID: \"98101430121181157G02\""}, k_iccid_error, "no ICCID"},
    {"huawei_swapped_short", {"^ICCID: \"98101430\""}, k_iccid_error, "no ICCID"},
    {"huawei_swapped_hex_in_issuer",
     {"^ICCID: \"98F01430121181157002\""},
     k_iccid_error,
     "no ICCID"},
    {"huawei_empty", {"^ICCID: \"\""}, k_iccid_error, "no ICCID"},
    // Hex digits A-F in the account part: kept (upper-cased) for check_iccid to judge.
    {"ccid_hex", {"+CCID: \"898604A6101770125379\""}, k_hex, ""},
    {"ccid_hex_lowercase", {"+CCID: 898604a6101770125379"}, k_hex, ""},
    {"bare_hex", {"898604A6101770125379"}, k_hex, ""},
    {"crsm_hex", {"+CRSM: 144,0,\"9868406A017107213597\""}, k_hex, ""},
    {"hex_in_issuer_part", {"+CCID: 89A604A6101770125379"}, k_iccid_error, "no ICCID"},
    {"bad_check_digit_kept", {"!ICCID: 89148000000012345676"}, "89148000000012345676", ""},
    {"bare", {"89014103211118510720"}, k_att, ""},
    {"bare_quoted_lowercase_f", {R"("8901260123456789011f")"}, k_tmo, ""},
    {"lowercase_label_no_space", {"!iccid:89014103211118510720"}, k_att, ""},
    {"spaces_around_colon", {"  ICCID :  89014103211118510720  \r"}, k_att, ""},
    {"echo_and_final", {"AT!ICCID?", "!ICCID: 89014103211118510720", "OK"}, k_att, ""},
    // EF_ICCID read (AT+CRSM=176,12258,0,0,10): swapped nibbles.
    {"crsm", {"+CRSM: 144,0,\"98101430121181157002\""}, k_att, ""},
    {"crsm_f_padding", {"+CRSM: 144,0,\"981062103254769810F1\""}, k_tmo, ""},
    {"crsm_lowercase_f", {"+CRSM: 144,0,\"981062103254769810f1\""}, k_tmo, ""},
    {"crsm_sw1_145", {"+CRSM: 145,0,\"98101430121181157002\""}, k_att, ""},
    {"crsm_unquoted_spaces", {"+crsm:144, 0, 98101430121181157002"}, k_att, ""},
    {"crsm_error_status", {"+CRSM: 148,4"}, k_iccid_error, "148,4"},
    {"crsm_error_status_with_data", {"+CRSM: 106,130,\"\""}, k_iccid_error, "106,130"},
    {"crsm_error_beats_other_lines",
     {"89014103211118510720", "+CRSM: 148,4"},
     k_iccid_error,
     "148,4"},
    {"crsm_no_data", {"+CRSM: 144,0"}, k_iccid_error, "EF_ICCID"},
    {"crsm_empty_data", {"+CRSM: 144,0,\"\""}, k_iccid_error, "EF_ICCID"},
    {"crsm_bad_hex", {"+CRSM: 144,0,\"9810143012118115700G\""}, k_iccid_error, "EF_ICCID"},
    {"crsm_f_in_middle", {"+CRSM: 144,0,\"98F01430121181157002\""}, k_iccid_error, "EF_ICCID"},
    {"crsm_odd_length", {"+CRSM: 144,0,\"9810143012118115700\""}, k_iccid_error, "EF_ICCID"},
    {"crsm_short", {"+CRSM: 144,0,\"98101430\""}, k_iccid_error, "EF_ICCID"},
    {"crsm_malformed", {"+CRSM: abc"}, k_iccid_error, "malformed"},
    {"crsm_missing_sw2", {"+CRSM: 144"}, k_iccid_error, "malformed"},
    // Other numbers in the same reply never pass for an ICCID.
    {"imei_imsi_eid_beside",
     {"359072060054893", "310410123456789", k_eid, "+CCID: 89014103211118510720"},
     k_att,
     ""},
    {"same_value_two_forms", {"+CCID: 89014103211118510720", "89014103211118510720"}, k_att, ""},
    {"same_value_padded_and_crsm",
     {"+QCCID: 8901260123456789011F", "+CRSM: 144,0,\"981062103254769810F1\""},
     k_tmo,
     ""},
    {"two_different",
     {"!ICCID: 89014103211118510720", "ICCID: 8901260123456789011"},
     k_iccid_error,
     "two different"},
    {"urcs_mixed_in",
     {"RING", "+CPIN: READY", "!ICCID: 89014103211118510720", "+CREG: 1"},
     k_att,
     ""},
    {"nonprintable_garbage_ignored",
     {"\x01\x02", "!ICCID: 8901260123456789011\x1b",
      "\xff"
      "89014103211118510720",
      "!ICCID: 89014103211118510720"},
     k_att,
     ""},
    {"printable_garbage_ignored",
     {"ICCID? yes", "89xx0141", "+CCID: 89014103211118510720"},
     k_att,
     ""},
    {"very_long_line_skipped",
     {std::string(100000, '8'), "+CCID: 89014103211118510720"},
     k_att,
     ""},
    {"other_label_ignored", {"+CIMI: 89014103211118510720"}, k_iccid_error, "no ICCID"},
    {"too_short", {"ICCID: 8901410321"}, k_iccid_error, "no ICCID"},
    {"letters", {"ICCID: ABC"}, k_iccid_error, "(\"ICCID: ABC\")"},
    {"empty", {}, k_iccid_error, "no lines"},
    {"only_blank", {" ", "\r"}, k_iccid_error, "no lines"},
    {"only_f", {"+ICCID: FFFFFFFFFFFFFFFFFFFF"}, k_iccid_error, "no ICCID"},
};

class IccidParse : public testing::TestWithParam<IccidCase> {};

TEST_P(IccidParse, Parses) {
    const IccidCase& c = GetParam();
    const auto result = parse_iccid_response(c.lines);
    if (c.expected == k_iccid_error) {
        ASSERT_FALSE(result) << "got " << *result;
        EXPECT_EQ(result.error().reason, Reason::protocol_error);
        EXPECT_NE(result.error().message.find(c.message_part), std::string::npos)
            << result.error().message;
        return;
    }
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(*result, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Table, IccidParse, testing::ValuesIn(k_iccid_cases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(IccidParse, CrsmStatusMessage) {
    const std::vector<std::string> lines{"+CRSM: 148,4"};
    EXPECT_EQ(parse_iccid_response(lines).error().message,
              "AT+CRSM: EF_ICCID read failed with status words 148,4 (\"+CRSM: 148,4\")");
}

struct BcdCase {
    const char* name;
    const char* hex;
    const char* digits;  // "" for bad input
};

const std::vector<BcdCase> k_bcd_cases{
    {"att_20", "98101430121181157002", "89014103211118510720"},
    {"tmo_19_padded", "981062103254769810F1", "8901260123456789011"},
    {"lowercase_padding", "981062103254769810f1", "8901260123456789011"},
    {"two_pad_nibbles", "9810FF", "8901"},
    {"single_byte", "21", "12"},
    {"empty", "", ""},
    {"odd_length", "981", ""},
    {"hex_letter_kept", "9A10", "A901"},
    {"lowercase_hex_upper_cased", "9a10", "A901"},
    {"f_not_trailing_is_a_digit", "F098", "0F89"},
    {"non_hex", "9G10", ""},
    {"all_padding", "FFFF", ""},
    {"quotes_not_stripped", "\"98\"", ""},
    {"space", "98 1", ""},
    {"too_long", "98101430121181157002981014301211811570", ""},
};

class SwappedBcdParse : public testing::TestWithParam<BcdCase> {};

TEST_P(SwappedBcdParse, Decodes) {
    EXPECT_EQ(decode_swapped_bcd(GetParam().hex), GetParam().digits);
}

INSTANTIATE_TEST_SUITE_P(Table, SwappedBcdParse, testing::ValuesIn(k_bcd_cases),
                         [](const auto& row) { return std::string(row.param.name); });

}  // namespace
