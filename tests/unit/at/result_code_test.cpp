// parse_final_result, describe and is_unsolicited (drivers/at/result_code.hpp).
#include <drivers/at/result_code.hpp>

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using drivers::at::describe;
using drivers::at::FinalKind;
using drivers::at::FinalResult;
using drivers::at::is_unsolicited;
using drivers::at::parse_final_result;

struct FinalCase {
    const char* name;
    std::string line;
    std::optional<FinalKind> kind;  // nullopt: not a final result
    std::optional<int> code;
    const char* text;
};

const std::vector<FinalCase> k_final_cases{
    {"ok", "OK", FinalKind::ok, std::nullopt, ""},
    {"ok_lowercase_cr_spaces", "  ok\r", FinalKind::ok, std::nullopt, ""},
    {"error", "ERROR", FinalKind::error, std::nullopt, ""},
    {"no_carrier", "NO CARRIER", FinalKind::no_carrier, std::nullopt, ""},
    {"busy", "busy", FinalKind::busy, std::nullopt, ""},
    {"no_answer", "NO ANSWER", FinalKind::no_answer, std::nullopt, ""},
    {"no_dialtone", "No Dialtone", FinalKind::no_dialtone, std::nullopt, ""},
    {"cme_numeric", "+CME ERROR: 10", FinalKind::cme_error, 10, ""},
    {"cme_no_space", "+CME ERROR:13", FinalKind::cme_error, 13, ""},
    {"cme_lowercase_spaces", " +cme error:   14 \r", FinalKind::cme_error, 14, ""},
    {"cme_verbose_known", "+CME ERROR: SIM not inserted", FinalKind::cme_error, 10,
     "SIM not inserted"},
    {"cme_verbose_other_case", "+cme error:sim puk required", FinalKind::cme_error, 12,
     "sim puk required"},
    {"cme_verbose_unknown", "+CME ERROR: phone failure", FinalKind::cme_error, std::nullopt,
     "phone failure"},
    {"cme_overflowing_number", "+CME ERROR: 99999999999999", FinalKind::cme_error, std::nullopt,
     "99999999999999"},
    // Nothing after the colon: still a CME error, with neither code nor text.
    {"cme_empty", "+CME ERROR:", FinalKind::cme_error, std::nullopt, ""},
    {"cms_numeric", "+CMS ERROR: 500", FinalKind::cms_error, 500, ""},
    {"cms_verbose_has_no_code", "+CMS ERROR: SIM not inserted", FinalKind::cms_error, std::nullopt,
     "SIM not inserted"},
    {"not_final_okay", "OKAY", std::nullopt, std::nullopt, ""},
    {"not_final_ok_suffix", "OK 1", std::nullopt, std::nullopt, ""},
    {"not_final_empty", "", std::nullopt, std::nullopt, ""},
    {"not_final_info_line", "+CPIN: READY", std::nullopt, std::nullopt, ""},
    {"not_final_cme_without_colon", "+CME ERROR 10", std::nullopt, std::nullopt, ""},
    {"not_final_errors_word", "ERRORS", std::nullopt, std::nullopt, ""},
    {"not_final_garbage", "\x01\x02OK", std::nullopt, std::nullopt, ""},
    {"not_final_long", std::string(10000, 'O'), std::nullopt, std::nullopt, ""},
};

class FinalResultParse : public testing::TestWithParam<FinalCase> {};

TEST_P(FinalResultParse, Classifies) {
    const FinalCase& c = GetParam();
    const auto result = parse_final_result(c.line);
    ASSERT_EQ(result.has_value(), c.kind.has_value());
    if (!result) return;
    EXPECT_EQ(result->kind, *c.kind);
    EXPECT_EQ(result->code, c.code);
    EXPECT_EQ(result->text, c.text);
}

INSTANTIATE_TEST_SUITE_P(Table, FinalResultParse, testing::ValuesIn(k_final_cases),
                         [](const auto& row) { return std::string(row.param.name); });

struct DescribeCase {
    const char* name;
    FinalResult result;
    const char* text;
};

const std::vector<DescribeCase> k_describe_cases{
    {"ok", {FinalKind::ok, std::nullopt, ""}, "OK"},
    {"no_carrier", {FinalKind::no_carrier, std::nullopt, ""}, "NO CARRIER"},
    {"cme_code_and_text",
     {FinalKind::cme_error, 10, "SIM not inserted"},
     "+CME ERROR: 10 (SIM not inserted)"},
    {"cme_code_only", {FinalKind::cme_error, 10, ""}, "+CME ERROR: 10"},
    {"cme_text_only",
     {FinalKind::cme_error, std::nullopt, "phone failure"},
     "+CME ERROR: phone failure"},
    {"cms_code", {FinalKind::cms_error, 500, ""}, "+CMS ERROR: 500"},
};

class FinalResultDescribe : public testing::TestWithParam<DescribeCase> {};

TEST_P(FinalResultDescribe, Describes) {
    EXPECT_EQ(describe(GetParam().result), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(Table, FinalResultDescribe, testing::ValuesIn(k_describe_cases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(FinalResultDescribe, RoundTripsVerboseCme) {
    const auto result = parse_final_result("+CME ERROR: SIM PIN required");
    ASSERT_TRUE(result);
    EXPECT_EQ(describe(*result), "+CME ERROR: 11 (SIM PIN required)");
}

struct UrcCase {
    const char* name;
    const char* line;
    const char* command;
    bool unsolicited;
};

const std::vector<UrcCase> k_urc_cases{
    {"creg_during_cgsn", "+CREG: 1", "AT+CGSN", true},
    {"creg_answers_creg", "+CREG: 0,1", "AT+CREG?", false},
    {"cpin_answers_cpin", "+CPIN: READY", "AT+CPIN?", false},
    {"cpin_during_cgsn", "+CPIN: READY", "AT+CGSN", true},
    {"cpin_lowercase_command", "+CPIN: READY", "at+cpin?", false},
    {"cereg_not_mistaken_for_creg", "+CEREG: 1", "AT+CREG?", true},
    {"cgreg_answers_cgreg", "+CGREG: 0,1", "AT+CGREG?", false},
    {"ring", "RING", "ATI", true},
    {"ring_with_spaces", "  RING\r", "AT+CCID", true},
    {"sysstart", "^SYSSTART", "AT+CGSN", true},
    {"pacsp", "+PACSP1", "AT+CIMI", true},
    {"sierra_pcinfo", "!PCINFO: State: Online", "AT!ICCID?", true},
    {"sierra_pcinfo_answers_pcinfo", "!PCINFO: State: Online", "AT!PCINFO?", false},
    {"lowercase_urc", "+creg: 1", "AT+CGSN", true},
    {"imei_is_not_urc", "359072060054893", "AT+CGSN", false},
    {"cgsn_answer_is_not_urc", "+CGSN: 359072060054893", "AT+CGSN", false},
    {"iccid_is_not_urc", "!ICCID: 89014103211118510720", "AT!ICCID?", false},
    {"ok_is_not_urc", "OK", "AT", false},
    {"empty_is_not_urc", "", "AT", false},
    {"garbage_is_not_urc", "\x01\x02", "AT", false},
};

class FinalResultUnsolicited : public testing::TestWithParam<UrcCase> {};

TEST_P(FinalResultUnsolicited, Classifies) {
    const UrcCase& c = GetParam();
    EXPECT_EQ(is_unsolicited(c.line, c.command), c.unsolicited);
}

INSTANTIATE_TEST_SUITE_P(Table, FinalResultUnsolicited, testing::ValuesIn(k_urc_cases),
                         [](const auto& row) { return std::string(row.param.name); });

}  // namespace
