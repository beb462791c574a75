// parse_cpin_read_response: PIN states, spelling variants, ambiguity and noise.
#include <drivers/at/parsers.hpp>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using drivers::at::parse_cpin_read_response;
using station::core::Reason;
using station::core::SimStatus;

struct CpinCase {
    const char* name;
    std::vector<std::string> lines;
    bool ok;
    SimStatus status;
    const char* text;
};

const std::vector<CpinCase> k_cpin_cases{
    {"ready", {"+CPIN: READY"}, true, SimStatus::ready, "READY"},
    {"ready_no_space", {"+CPIN:READY"}, true, SimStatus::ready, "READY"},
    {"ready_lowercase", {"+cpin: ready"}, true, SimStatus::ready, "ready"},
    {"ready_quoted", {"+CPIN: \"READY\""}, true, SimStatus::ready, "READY"},
    {"sim_pin", {"+CPIN: SIM PIN"}, true, SimStatus::pin_required, "SIM PIN"},
    {"sim_pin_extra_spaces", {"  +CPIN :  SIM  PIN \r"}, true, SimStatus::pin_required, "SIM  PIN"},
    {"sim_puk", {"+CPIN: SIM PUK"}, true, SimStatus::puk_required, "SIM PUK"},
    {"sim_pin2_is_other", {"+CPIN: SIM PIN2"}, true, SimStatus::other, "SIM PIN2"},
    {"ph_sim_pin_is_other", {"+CPIN: PH-SIM PIN"}, true, SimStatus::other, "PH-SIM PIN"},
    {"not_inserted", {"+CPIN: NOT INSERTED"}, true, SimStatus::not_inserted, "NOT INSERTED"},
    {"no_sim", {"+CPIN: NO SIM"}, true, SimStatus::not_inserted, "NO SIM"},
    {"sim_not_inserted",
     {"+CPIN: SIM not inserted"},
     true,
     SimStatus::not_inserted,
     "SIM not inserted"},
    {"echo_and_urcs",
     {"AT+CPIN?", "RING", "+CREG: 1", "+CPIN: READY", "OK"},
     true,
     SimStatus::ready,
     "READY"},
    {"same_state_twice_any_case",
     {"+CPIN: READY", "+cpin: ready"},
     true,
     SimStatus::ready,
     "READY"},
    {"garbage_mixed_in",
     {"\x01\x02", "+CPIN: \x7fSIM PIN", "READY?", "+CPIN: READY"},
     true,
     SimStatus::ready,
     "READY"},
    {"two_different_states", {"+CPIN: SIM PIN", "+CPIN: READY"}, false, SimStatus::unknown, ""},
    {"bare_ready_is_not_an_answer", {"READY"}, false, SimStatus::unknown, ""},
    {"empty_state", {"+CPIN:", "+CPIN: \"\""}, false, SimStatus::unknown, ""},
    {"other_label", {"+CPINR: SIM PIN,3,10"}, false, SimStatus::unknown, ""},
    {"empty", {}, false, SimStatus::unknown, ""},
    {"long_line", {"+CPIN: " + std::string(5000, 'R')}, false, SimStatus::unknown, ""},
};

class CpinParse : public testing::TestWithParam<CpinCase> {};

TEST_P(CpinParse, Parses) {
    const CpinCase& c = GetParam();
    const auto result = parse_cpin_read_response(c.lines);
    ASSERT_EQ(result.has_value(), c.ok) << (result ? result->text : result.error().message);
    if (!c.ok) {
        EXPECT_EQ(result.error().reason, Reason::protocol_error);
        EXPECT_EQ(result.error().message.rfind("AT+CPIN?: ", 0), 0U) << result.error().message;
        return;
    }
    EXPECT_EQ(result->status, c.status);
    EXPECT_EQ(result->text, c.text);
}

INSTANTIATE_TEST_SUITE_P(Table, CpinParse, testing::ValuesIn(k_cpin_cases),
                         [](const auto& row) { return std::string(row.param.name); });

}  // namespace
