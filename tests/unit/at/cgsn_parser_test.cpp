// parse_cgsn_response: IMEI forms, the 14..17 digit window, labels that must never give an
// IMEI, ambiguity, and noise.
#include <drivers/at/parsers.hpp>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using drivers::at::parse_cgsn_response;
using station::core::Reason;

constexpr const char* k_imei = "359072060054893";  // Sierra EM7455 sample, Luhn-valid
constexpr const char* k_cgsn_error = nullptr;

struct CgsnCase {
    const char* name;
    std::vector<std::string> lines;
    const char* expected;  // k_cgsn_error: protocol_error
};

const std::vector<CgsnCase> k_cgsn_cases{
    {"bare", {"359072060054893"}, k_imei},
    {"quoted", {"\"359072060054893\""}, k_imei},
    {"cgsn_label", {"+CGSN: 359072060054893"}, k_imei},
    {"cgsn_label_quoted", {"+CGSN: \"359072060054893\""}, k_imei},
    {"cgsn_lowercase_no_space", {"+cgsn:359072060054893"}, k_imei},
    {"cgsn_spaces_everywhere", {"  +CGSN :   \" 359072060054893 \"  "}, k_imei},
    {"gsn_label", {"+GSN: 359072060054893"}, k_imei},
    {"imei_label", {"IMEI: 359072060054893"}, k_imei},
    {"cr_remnant", {"359072060054893\r", "\r"}, k_imei},
    {"echo_then_value", {"AT+CGSN", "359072060054893"}, k_imei},
    // Window: 14..17 digits are handed over for the caller to judge.
    {"fourteen_digits", {"35907206005489"}, "35907206005489"},
    {"sixteen_digits", {"+CGSN: 3590720600548914"}, "3590720600548914"},
    {"seventeen_digits", {"35907206005489312"}, "35907206005489312"},
    {"thirteen_digits", {"3590720600548"}, k_cgsn_error},
    {"eighteen_digits", {"359072060054893123"}, k_cgsn_error},
    // Labels that are not the IMEI, alone and beside the real one.
    {"imei_sv_alone", {"IMEI SV: 359072060054893"}, k_cgsn_error},
    {"imeisv_alone", {"IMEISV: 3590720600548914"}, k_cgsn_error},
    {"svn_alone", {"SVN: 359072060054893"}, k_cgsn_error},
    {"fsn_alone", {"FSN: 359072060054893"}, k_cgsn_error},
    {"sn_alone", {"SN: 359072060054893"}, k_cgsn_error},
    {"serial_number_alone", {"Serial Number: 359072060054893"}, k_cgsn_error},
    {"meid_alone", {"MEID: 35907206005489"}, k_cgsn_error},
    {"other_labels_beside",
     {"IMEI SV: 14", "SVN: 123456789012345", "FSN: LF94060072011005", "SN: 111111111111111",
      "Serial Number: 222222222222222", "MEID: 35907206005489", "+CGSN: 359072060054893"},
     k_imei},
    {"same_value_twice", {"359072060054893", "+CGSN: \"359072060054893\""}, k_imei},
    {"two_different_values", {"359072060054893", "353533100123456"}, k_cgsn_error},
    {"two_different_labelled", {"+CGSN: 359072060054893", "+GSN: 35907206005489"}, k_cgsn_error},
    {"urcs_mixed_in",
     {"+CREG: 1,2", "RING", "359072060054893", "+CPIN: READY", "^SYSSTART"},
     k_imei},
    {"final_code_in_lines", {"359072060054893", "OK"}, k_imei},
    {"nonprintable_garbage_ignored",
     {"\x01"
      "353533100123456",
      "35353310\x0b"
      "0123456",
      "\xff\xfe", "359072060054893"},
     k_imei},
    {"printable_garbage_ignored",
     {"sdkjfh 3590 72060", "~~~~", "359072060054893", "a1b2c3"},
     k_imei},
    {"very_long_line_skipped", {std::string(100000, '3'), "359072060054893"}, k_imei},
    {"long_digit_line_alone", {std::string(1000, '3')}, k_cgsn_error},
    {"empty", {}, k_cgsn_error},
    {"only_blank", {"", "  ", "\r"}, k_cgsn_error},
    {"letters", {"ABC"}, k_cgsn_error},
    {"cgsn_label_letters", {"+CGSN: ABC"}, k_cgsn_error},
    {"hex_value", {"+CGSN: 0x35907206005489"}, k_cgsn_error},
    {"digits_with_spaces", {"35907 2060054893"}, k_cgsn_error},
    {"only_nonprintable", {"\x01\x02\x03\x04"}, k_cgsn_error},
};

class CgsnParse : public testing::TestWithParam<CgsnCase> {};

TEST_P(CgsnParse, Parses) {
    const CgsnCase& c = GetParam();
    const auto result = parse_cgsn_response(c.lines);
    if (c.expected == k_cgsn_error) {
        ASSERT_FALSE(result) << "got " << *result;
        EXPECT_EQ(result.error().reason, Reason::protocol_error);
        EXPECT_EQ(result.error().message.rfind("AT+CGSN: ", 0), 0U) << result.error().message;
        return;
    }
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(*result, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Table, CgsnParse, testing::ValuesIn(k_cgsn_cases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(CgsnParse, NoImeiMessageQuotesTheLine) {
    const std::vector<std::string> lines{"ABC"};
    EXPECT_EQ(parse_cgsn_response(lines).error().message, "AT+CGSN: no IMEI in response (\"ABC\")");
}

TEST(CgsnParse, AmbiguityMessageQuotesBothLines) {
    const std::vector<std::string> lines{"+CGSN: 359072060054893", "353533100123456"};
    EXPECT_EQ(parse_cgsn_response(lines).error().message,
              "AT+CGSN: two different IMEI values in response (\"+CGSN: 359072060054893\", "
              "\"353533100123456\")");
}

TEST(CgsnParse, ErrorMessageIsBounded) {
    const std::vector<std::string> lines(1000, std::string(900, 'x'));
    const auto result = parse_cgsn_response(lines);
    ASSERT_FALSE(result);
    EXPECT_LT(result.error().message.size(), 300U);
}

}  // namespace
