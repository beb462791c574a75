// The identity plan over a scripted module: every verdict and reason the plan can reach.
#include <drivers/router/identifier.hpp>

#include <algorithm>

#include <gtest/gtest.h>

#include "fake_serial_port.hpp"

namespace {

using drivers::router::default_plan;
using drivers::router::identify;
using drivers::router::IdentifyReport;
using station::core::Outcome;
using station::core::Reason;
using station::core::SimStatus;
using std::chrono::milliseconds;

const std::string k_ok = "\r\nOK\r\n";

std::string answer(std::initializer_list<std::string> lines, const std::string& final = "OK") {
    std::string out;
    for (const auto& line : lines) out += "\r\n" + line + "\r\n";
    return out + "\r\n" + final + "\r\n";
}

// A well-behaved Sierra EM7455 with an AT&T SIM that answers only AT!ICCID?.
struct IdentifierTest : testing::Test {
    tests::FakeSerialPort port{"/dev/ttyUSB2"};
    drivers::at::ChannelLimits limits;

    IdentifierTest() {
        limits.quiet_period = milliseconds(5);
        limits.sync_timeout = milliseconds(50);
        port.script("AT", {k_ok});
        port.script("ATE0", {k_ok});
        port.script("AT+CMEE=1", {k_ok});
        port.script("ATI", {answer({"Manufacturer: Sierra Wireless, Incorporated", "Model: EM7455",
                                    "Revision: SWI9X30C_02.24.05.06", "IMEI: 359072060054893",
                                    "IMEI SV: 14", "FSN: LF94060072011005", "+GCAP: +CGSM"})});
        port.script("AT+CGSN", {answer({"359072060054893"})});
        port.script("AT+CPIN?", {answer({"+CPIN: READY"})});
        port.script("AT!ICCID?", {answer({"!ICCID: 89014103211118510720"})});
        port.script("AT+CIMI", {answer({"310410123456789"})});
        port.script(
            "AT!PRIID?",
            {answer({"PRI Part Number: 9906761", "Revision: 002.027_000",
                     "Carrier PRI: 9999999_9904780_SWI9X30C_02.24.05.06_00_ATT_002.027_000"})});
    }

    // ATI without a labelled IMEI: the plan then asks AT+CGSN (a valid labelled one skips it).
    void ati_without_imei() {
        port.script("ATI", {answer({"Manufacturer: Sierra Wireless, Incorporated",
                                    "Model: EM7455", "Revision: SWI9X30C_02.24.05.06",
                                    "FSN: LF94060072011005", "+GCAP: +CGSM"})});
    }

    IdentifyReport run() {
        drivers::at::Channel channel(port, limits);
        return identify(channel, default_plan(), {milliseconds(100)});
    }
};

TEST_F(IdentifierTest, PassReadsEveryField) {
    const auto report = run();
    ASSERT_EQ(report.verdict.outcome, Outcome::pass) << report.verdict.message;
    EXPECT_FALSE(report.verdict.reason);
    const auto& id = report.identity;
    EXPECT_EQ(id.manufacturer, "Sierra Wireless, Incorporated");
    EXPECT_EQ(id.model, "EM7455");
    EXPECT_EQ(id.firmware, "SWI9X30C_02.24.05.06");
    EXPECT_EQ(id.fsn, "LF94060072011005");
    EXPECT_EQ(id.imei, "359072060054893");
    EXPECT_EQ(id.imsi, "310410123456789");
    EXPECT_EQ(id.iccid, "89014103211118510720");
    EXPECT_EQ(id.iccid_command, "AT!ICCID?");
    EXPECT_EQ(id.sim_status, SimStatus::ready);
    EXPECT_EQ(id.carrier_images, std::vector<std::string>{"ATT"});
}

TEST_F(IdentifierTest, IccidFormsTriedInOrderUntilOneAnswers) {
    port.script("AT!ICCID?", {"\r\nERROR\r\n"});
    port.script("AT+CRSM=176,12258,0,0,10", {answer({"+CRSM: 144,0,\"98101430121181157002\""})});
    const auto report = run();
    ASSERT_EQ(report.verdict.outcome, Outcome::pass) << report.verdict.message;
    EXPECT_EQ(report.identity.iccid, "89014103211118510720");
    EXPECT_EQ(report.identity.iccid_command, "AT+CRSM=176,12258,0,0,10");
    std::vector<std::string> iccid_commands;
    for (const auto& c : port.commands()) {
        if (c.find(';') != std::string::npos) continue;  // the combined line, refused here
        if (c.find("ICCID") != std::string::npos || c.find("CCID") != std::string::npos ||
            c.find("CRSM") != std::string::npos) {
            iccid_commands.push_back(c);
        }
    }
    // The first form's plain ERROR calls AT+CMEE=1 once (a CME code would say more), then that
    // form is asked again; the rest follow in order.
    const std::vector<std::string> expected{"AT!ICCID?", "AT!ICCID?", "AT+ICCID",  "AT+CCID",
                                            "AT+QCCID",  "AT#CCID",   "AT^ICCID?",
                                            "AT+CRSM=176,12258,0,0,10"};
    EXPECT_EQ(iccid_commands, expected);
    EXPECT_EQ(std::count(port.commands().begin(), port.commands().end(), "AT+CMEE=1"), 1);
}

struct SimCase {
    const char* cpin_reply;
    Reason reason;
    Outcome outcome;
};

class IdentifierSim : public IdentifierTest, public testing::WithParamInterface<SimCase> {};

TEST_P(IdentifierSim, SimStatesEndWithTheirReason) {
    port.script("AT+CPIN?", {GetParam().cpin_reply});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, GetParam().outcome) << report.verdict.message;
    ASSERT_TRUE(report.verdict.reason);
    EXPECT_EQ(*report.verdict.reason, GetParam().reason) << report.verdict.message;
    EXPECT_NE(report.verdict.message.find("/dev/ttyUSB2: AT+CPIN?"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Table, IdentifierSim,
    testing::Values(
        SimCase{"\r\n+CME ERROR: 10\r\n", Reason::sim_not_inserted, Outcome::fail},
        SimCase{"\r\n+CME ERROR: SIM not inserted\r\n", Reason::sim_not_inserted, Outcome::fail},
        SimCase{"\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n", Reason::sim_pin_required, Outcome::fail},
        SimCase{"\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n", Reason::sim_puk_required, Outcome::fail},
        SimCase{"\r\n+CME ERROR: 13\r\n", Reason::sim_failure, Outcome::fail},
        SimCase{"\r\n+CME ERROR: 15\r\n", Reason::sim_failure, Outcome::fail},
        SimCase{"\r\n+CME ERROR: 14\r\n", Reason::sim_busy, Outcome::error}),
    [](const auto& row) { return "row" + std::to_string(row.index); });

// Found by the at_channel fuzz target (tests/fuzz/regressions/at_channel/no-sim-state-pass):
// a valid IMEI and ICCID but no SIM state was a PASS. PASS needs a ready SIM, never a guess.
TEST_F(IdentifierTest, NoSimStateIsNoPass) {
    for (const std::string reply : {"\r\nERROR\r\n", "\r\n+CPIN: \r\n\r\nOK\r\n"}) {
        port.script("AT+CPIN?", {reply});
        const auto report = run();
        EXPECT_EQ(report.verdict.outcome, Outcome::error) << report.verdict.message;
        EXPECT_EQ(report.verdict.reason, Reason::protocol_error);
        EXPECT_EQ(report.verdict.message, "/dev/ttyUSB2: no SIM state from AT+CPIN?");
        EXPECT_EQ(report.identity.iccid, "89014103211118510720");  // what was read is kept
    }
}

TEST_F(IdentifierTest, SimErrorDuringIccidStopsThePlan) {
    port.script("AT!ICCID?", {"\r\n+CME ERROR: 10\r\n"});
    const auto report = run();
    ASSERT_TRUE(report.verdict.reason);
    EXPECT_EQ(*report.verdict.reason, Reason::sim_not_inserted);
    ASSERT_FALSE(port.commands().empty());
    for (const auto& c : port.commands()) EXPECT_NE(c, "AT+ICCID");
}

TEST_F(IdentifierTest, PinLockedUnitStillReportsIccid) {
    port.script("AT+CPIN?", {answer({"+CPIN: SIM PIN"})});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, Outcome::fail);
    EXPECT_EQ(report.identity.iccid, "89014103211118510720");
    EXPECT_TRUE(report.identity.imsi.empty());  // AT+CIMI skipped
}

TEST_F(IdentifierTest, NoIccidFormAnswersIsUnreadable) {
    port.script("AT!ICCID?", {"\r\nERROR\r\n"});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, Outcome::fail);
    ASSERT_TRUE(report.verdict.reason);
    EXPECT_EQ(*report.verdict.reason, Reason::iccid_unreadable);
    EXPECT_NE(report.verdict.message.find("AT!ICCID?, AT+ICCID"), std::string::npos);
}

// What the unit says about its ICCID is reported as it said it: a value that was read but
// fails validation stays in the identity (FAIL iccid_invalid with the reason), never dropped.
struct IccidAnswer {
    const char* name;
    const char* command;  // the only ICCID form that answers (every other form: ERROR)
    std::string reply;
    const char* iccid;  // in the identity afterwards; "" none
    std::optional<Reason> reason;
    const char* message_has;
};

const std::vector<IccidAnswer> k_iccid_answers{
    {"luhn", "AT!ICCID?", answer({"!ICCID: 89148000000012345676"}), "89148000000012345676",
     Reason::iccid_invalid, "ICCID 89148000000012345676 is not valid (Luhn check digit wrong)"},
    {"too_short", "AT+QCCID", answer({"+QCCID: 890141032111185107"}), "890141032111185107",
     Reason::iccid_invalid, "(wrong length)"},
    {"hex_account", "AT+CCID", answer({"+CCID: \"898604a6101770125379\""}), "898604A6101770125379",
     Reason::iccid_invalid, "(has hex digits A-F, cannot be Luhn-checked)"},
    {"huawei_swapped", "AT^ICCID?", answer({"^ICCID: \"981062103254769810F1\""}),
     "8901260123456789011", std::nullopt, "ICCID 8901260123456789011"},
    {"huawei_swapped_bad_check_digit", "AT^ICCID?", answer({"^ICCID: \"981062103254769810F2\""}),
     "8901260123456789012", Reason::iccid_invalid, "(Luhn check digit wrong)"},
    {"huawei_swapped_hex", "AT^ICCID?", answer({"^ICCID: \"9868406A017107213597\""}),
     "898604A6101770125379", Reason::iccid_invalid, "cannot be Luhn-checked"},
    {"crsm_bad_check_digit", "AT+CRSM=176,12258,0,0,10",
     answer({"+CRSM: 144,0,\"98101430121181157003\""}), "89014103211118510730",
     Reason::iccid_invalid, "(Luhn check digit wrong)"},
    {"letters_unreadable", "AT!ICCID?", answer({"!ICCID: SIM-ABC"}), "", Reason::iccid_unreadable,
     "no ICCID from"},
    {"hex_in_issuer_unreadable", "AT+CCID", answer({"+CCID: 89A604A6101770125379"}), "",
     Reason::iccid_unreadable, "no ICCID from"},
};

class IdentifierIccid : public IdentifierTest, public testing::WithParamInterface<IccidAnswer> {};

TEST_P(IdentifierIccid, ReportsWhatTheUnitSaid) {
    const IccidAnswer& c = GetParam();
    port.script("AT!ICCID?", {"\r\nERROR\r\n"});
    port.script(c.command, {c.reply, c.reply});  // an unparsed answer is asked once more
    const auto report = run();
    EXPECT_EQ(report.identity.iccid, c.iccid);
    EXPECT_EQ(report.identity.iccid_command, std::string(c.iccid).empty() ? "" : c.command);
    EXPECT_EQ(report.verdict.reason, c.reason) << report.verdict.message;
    EXPECT_EQ(report.verdict.outcome, c.reason ? Outcome::fail : Outcome::pass);
    EXPECT_NE(report.verdict.message.find(c.message_has), std::string::npos)
        << report.verdict.message;
}

INSTANTIATE_TEST_SUITE_P(Table, IdentifierIccid, testing::ValuesIn(k_iccid_answers),
                         [](const auto& row) { return std::string(row.param.name); });

TEST_F(IdentifierTest, LuhnFailingImeiIsInvalid) {
    ati_without_imei();
    port.script("AT+CGSN", {answer({"359072060054894"})});
    port.script("AT+GSN", {answer({"359072060054894"})});
    const auto report = run();
    ASSERT_TRUE(report.verdict.reason);
    EXPECT_EQ(*report.verdict.reason, Reason::imei_invalid);
    EXPECT_EQ(report.identity.imei, "359072060054894");  // as the unit said it, not dropped
    EXPECT_NE(report.verdict.message.find("IMEI 359072060054894 is not valid (Luhn check digit "
                                          "wrong)"),
              std::string::npos)
        << report.verdict.message;
}

TEST_F(IdentifierTest, ImeiFromAtiWhenCgsnUnsupported) {
    port.script("AT+CGSN", {"\r\nERROR\r\n"});
    port.script("AT+GSN", {"\r\nERROR\r\n"});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, Outcome::pass) << report.verdict.message;
    EXPECT_EQ(report.identity.imei, "359072060054893");
}

TEST_F(IdentifierTest, NoImeiAnywhereIsUnreadable) {
    port.script("ATI", {answer({"Manufacturer: Sierra Wireless, Incorporated", "Model: EM7455"})});
    port.script("AT+CGSN", {"\r\nERROR\r\n"});
    port.script("AT+GSN", {"\r\nERROR\r\n"});
    const auto report = run();
    ASSERT_TRUE(report.verdict.reason);
    EXPECT_EQ(*report.verdict.reason, Reason::imei_unreadable);
}

// ATI's labelled IMEI is valid: AT+CGSN would only repeat it, so it is not sent (the step is
// recorded skipped); the identity's IMEI is ATI's. (Before, AT+CGSN was asked and a different
// answer was a protocol_error; that cross-check now needs an invalid ATI IMEI to run at all.)
TEST_F(IdentifierTest, ValidAtiImeiSkipsCgsn) {
    port.script("AT+CGSN", {answer({"352906110188556"})});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, Outcome::pass) << report.verdict.message;
    EXPECT_EQ(report.identity.imei, "359072060054893");
    EXPECT_EQ(std::count(port.commands().begin(), port.commands().end(), "AT+CGSN"), 0);
    const auto skipped = std::find_if(report.steps.begin(), report.steps.end(),
                                      [](const auto& s) { return s.command == "AT+CGSN"; });
    ASSERT_NE(skipped, report.steps.end());
    EXPECT_EQ(skipped->result, "skipped");
    EXPECT_NE(skipped->note.find("valid from ATI"), std::string::npos) << skipped->note;
}

TEST_F(IdentifierTest, SilentCommandIsNoResponseNamingPortAndCommand) {
    ati_without_imei();
    port.script("AT+CGSN", {""});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, Outcome::error);
    ASSERT_TRUE(report.verdict.reason);
    EXPECT_EQ(*report.verdict.reason, Reason::no_response);
    EXPECT_EQ(report.verdict.message, "/dev/ttyUSB2: AT+CGSN: no response after 100 ms");
}

// The plan's ATI is the session's first command (the sync): a silent module ends there.
TEST_F(IdentifierTest, SilentModuleFailsAtSync) {
    port.script("ATI", {""});
    const auto report = run();
    ASSERT_TRUE(report.verdict.reason);
    EXPECT_EQ(*report.verdict.reason, Reason::no_response);
    EXPECT_EQ(port.commands().size(), 1U);
}

TEST_F(IdentifierTest, VanishedPortIsPortLost) {
    port.vanish();
    const auto report = run();
    ASSERT_TRUE(report.verdict.reason);
    EXPECT_EQ(*report.verdict.reason, Reason::port_lost);
}

TEST_F(IdentifierTest, BareOkWhereAnAnswerWasDueIsAskedAgainAfterResync) {
    ati_without_imei();
    port.script("AT+CGSN", {k_ok, answer({"359072060054893"})});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, Outcome::pass) << report.verdict.message;
    EXPECT_EQ(report.identity.imei, "359072060054893");
    EXPECT_EQ(std::count(port.commands().begin(), port.commands().end(), "AT+CGSN"), 2);
}

// An answer that belongs to another command (the line out of step after a station was killed
// mid-command) is not the unit's fault: resynchronise, ask again, and PASS when it then answers.
TEST_F(IdentifierTest, AnotherCommandsAnswerIsAskedAgainNotFailed) {
    ati_without_imei();
    port.script("AT+CGSN",
                {answer({"Manufacturer: Sierra Wireless, Incorporated", "Model: EM7455"}),
                 answer({"359072060054893"})});
    port.script("AT!ICCID?", {answer({"+CPIN: READY"}), answer({"!ICCID: 89014103211118510720"})});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, Outcome::pass) << report.verdict.message;
    EXPECT_EQ(report.identity.imei, "359072060054893");
    EXPECT_EQ(report.identity.iccid, "89014103211118510720");
    EXPECT_EQ(std::count(port.commands().begin(), port.commands().end(), "AT+CGSN"), 2);
    EXPECT_EQ(std::count(port.commands().begin(), port.commands().end(), "AT!ICCID?"), 2);
}

TEST_F(IdentifierTest, AnAnswerNeverUnderstoodIsStillUnreadableAfterOneRetry) {
    port.script("AT+CGSN", {answer({"not an imei"}), answer({"still not"})});
    port.script("ATI", {answer({"Manufacturer: Sierra Wireless, Incorporated", "Model: EM7455"})});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, Outcome::fail) << report.verdict.message;
    EXPECT_EQ(report.verdict.reason, Reason::imei_unreadable);
    EXPECT_EQ(std::count(port.commands().begin(), port.commands().end(), "AT+CGSN"), 2);
}

// Every answer a bare OK plus a stray one: the first sync takes the first OK (no quiet wait),
// ATI's empty answer exposes the line as out of step, and the full resync then never sees a
// clean OK. (The first sync alone no longer judges the stray OK: its bytes are drained.)
TEST_F(IdentifierTest, StrayOksOnEveryAnswerEndInProtocolError) {
    port.set_responder([](const std::string&) { return std::string("\r\nOK\r\n\r\nOK\r\n"); });
    port.script("AT", {"\r\nOK\r\n\r\nOK\r\n"});
    port.script("ATI", {"\r\nOK\r\n\r\nOK\r\n"});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, Outcome::error) << report.verdict.message;
    ASSERT_TRUE(report.verdict.reason);
    EXPECT_EQ(*report.verdict.reason, Reason::protocol_error);
}

TEST_F(IdentifierTest, OptionalStepsMayBeUnsupported) {
    port.script("AT!PRIID?", {"\r\nERROR\r\n"});
    port.script("AT+CIMI", {"\r\nERROR\r\n"});
    const auto report = run();
    EXPECT_EQ(report.verdict.outcome, Outcome::pass) << report.verdict.message;
    EXPECT_TRUE(report.identity.carrier_images.empty());
}

}  // namespace

namespace {

TEST_F(IdentifierTest, StopFlagEndsAbortedBeforeTheNextCommand) {
    std::atomic<bool> stop{true};
    drivers::at::Channel channel(port, limits);
    drivers::router::IdentifyOptions options{milliseconds(100), &stop};
    const auto report = identify(channel, default_plan(), options);
    EXPECT_EQ(report.verdict.outcome, Outcome::aborted);
    EXPECT_EQ(report.verdict.reason, Reason::aborted);
    EXPECT_NE(report.verdict.message.find("/dev/ttyUSB2: ATI: stopped by the operator"),
              std::string::npos)
        << report.verdict.message;
    EXPECT_LE(port.commands().size(), 1U) << "nothing, or only the sync, was sent";
    for (const auto& sent : port.commands()) EXPECT_EQ(sent, "AT") << "only the sync was sent";
}

}  // namespace
