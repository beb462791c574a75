// parse_cimi_response: IMSI forms, the 6..15 digit window, ambiguity and noise.
#include <drivers/at/parsers.hpp>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using drivers::at::parse_cimi_response;
using station::core::Reason;

constexpr const char* k_imsi = "310410123456789";  // AT&T-style MCC 310 MNC 410
constexpr const char* k_cimi_error = nullptr;

struct CimiCase {
    const char* name;
    std::vector<std::string> lines;
    const char* expected;  // k_cimi_error: protocol_error
};

const std::vector<CimiCase> k_cimi_cases{
    {"bare", {"310410123456789"}, k_imsi},
    {"quoted", {"\"310410123456789\""}, k_imsi},
    {"labelled", {"+CIMI: 310410123456789"}, k_imsi},
    {"labelled_lowercase_quoted", {"+cimi:\"310410123456789\""}, k_imsi},
    {"cr_and_blank", {"", "310410123456789\r"}, k_imsi},
    {"fourteen_digits", {"31041012345678"}, "31041012345678"},
    {"six_digits", {"310410"}, "310410"},
    {"five_digits", {"31041"}, k_cimi_error},
    {"sixteen_digits", {"3104101234567890"}, k_cimi_error},
    {"imei_label_not_imsi", {"IMEI: 359072060054893"}, k_cimi_error},
    {"other_label_not_imsi", {"+CGSN: 310410123456789"}, k_cimi_error},
    {"same_twice", {"310410123456789", "+CIMI: 310410123456789"}, k_imsi},
    {"two_different", {"310410123456789", "310260123456789"}, k_cimi_error},
    {"urcs_mixed_in", {"RING", "+CREG: 0,1", "310410123456789", "+CPIN: READY"}, k_imsi},
    {"garbage_mixed_in",
     {"\x01\x02", "a310410", "310410123456789",
      "\xff"
      "310260123456789"},
     k_imsi},
    {"very_long_line_skipped", {std::string(50000, '1'), "310410123456789"}, k_imsi},
    {"empty", {}, k_cimi_error},
    {"letters", {"IMSI"}, k_cimi_error},
    {"labelled_letters", {"+CIMI: unknown"}, k_cimi_error},
};

class CimiParse : public testing::TestWithParam<CimiCase> {};

TEST_P(CimiParse, Parses) {
    const CimiCase& c = GetParam();
    const auto result = parse_cimi_response(c.lines);
    if (c.expected == k_cimi_error) {
        ASSERT_FALSE(result) << "got " << *result;
        EXPECT_EQ(result.error().reason, Reason::protocol_error);
        EXPECT_EQ(result.error().message.rfind("AT+CIMI: ", 0), 0U) << result.error().message;
        return;
    }
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(*result, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Table, CimiParse, testing::ValuesIn(k_cimi_cases),
                         [](const auto& row) { return std::string(row.param.name); });

}  // namespace
