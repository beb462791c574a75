// AT channel framing over the scripted fake port: echo, URCs, final codes, noise, bounds,
// timeouts and resynchronisation.
#include <drivers/at/channel.hpp>

#include <gtest/gtest.h>

#include "fake_serial_port.hpp"

namespace {

using drivers::at::Channel;
using drivers::at::ChannelLimits;
using drivers::at::FinalKind;
using station::core::Reason;
using std::chrono::milliseconds;

constexpr milliseconds k_timeout{200};

ChannelLimits fast_limits() {
    ChannelLimits limits;
    limits.quiet_period = milliseconds(5);
    limits.sync_timeout = milliseconds(50);
    limits.max_drain = milliseconds(200);
    return limits;
}

struct ChannelTest : testing::Test {
    tests::FakeSerialPort port;
    Channel channel{port, fast_limits()};
};

TEST_F(ChannelTest, PlainResponse) {
    port.script("AT+CGSN", {"\r\n359072060054893\r\n\r\nOK\r\n"});
    auto r = channel.command("AT+CGSN", k_timeout);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->ok());
    ASSERT_EQ(r->lines.size(), 1U);
    EXPECT_EQ(r->lines[0], "359072060054893");
    EXPECT_FALSE(r->echo_seen);
}

TEST_F(ChannelTest, EchoRemovedWhetherOrNotAte0Honoured) {
    port.set_echo(true);
    port.script("ATE0", {"\r\nOK\r\n"});
    port.script("AT+CIMI", {"\r\n310410123456789\r\n\r\nOK\r\n"});
    ASSERT_TRUE(channel.command("ATE0", k_timeout));
    auto r = channel.command("AT+CIMI", k_timeout);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->echo_seen);
    ASSERT_EQ(r->lines.size(), 1U);
    EXPECT_EQ(r->lines[0], "310410123456789");
}

TEST_F(ChannelTest, UrcsInsideResponseAreSetAside) {
    port.script("ATI", {"\r\n+CREG: 1\r\n\r\nManufacturer: Sierra Wireless\r\n\r\nRING\r\n"
                        "\r\nModel: EM7455\r\n\r\n+CEREG: 1,\"1A2B\"\r\n\r\nOK\r\n"});
    auto r = channel.command("ATI", k_timeout);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->lines,
              (std::vector<std::string>{"Manufacturer: Sierra Wireless", "Model: EM7455"}));
    EXPECT_EQ(r->urcs.size(), 3U);
    EXPECT_EQ(channel.unsolicited().size(), 3U);
}

TEST_F(ChannelTest, CpinIsResponseForCpinButUrcOtherwise) {
    port.script("AT+CPIN?", {"\r\n+CPIN: READY\r\n\r\nOK\r\n"});
    port.script("AT+CGSN", {"\r\n+CPIN: READY\r\n\r\n359072060054893\r\n\r\nOK\r\n"});
    auto cpin = channel.command("AT+CPIN?", k_timeout);
    ASSERT_TRUE(cpin);
    EXPECT_EQ(cpin->lines, std::vector<std::string>{"+CPIN: READY"});
    auto cgsn = channel.command("AT+CGSN", k_timeout);
    ASSERT_TRUE(cgsn);
    EXPECT_EQ(cgsn->lines, std::vector<std::string>{"359072060054893"});
    EXPECT_EQ(cgsn->urcs, std::vector<std::string>{"+CPIN: READY"});
}

struct FinalCase {
    const char* wire;
    FinalKind kind;
    int code;  // -1: none
};

class ChannelFinal : public ChannelTest, public testing::WithParamInterface<FinalCase> {};

TEST_P(ChannelFinal, RecognisesEveryFinalResultCode) {
    port.script("AT+CCID", {GetParam().wire});
    auto r = channel.command("AT+CCID", k_timeout);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->final.kind, GetParam().kind) << GetParam().wire;
    EXPECT_EQ(r->final.code.value_or(-1), GetParam().code) << GetParam().wire;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ChannelFinal,
    testing::Values(FinalCase{"\r\nOK\r\n", FinalKind::ok, -1},
                    FinalCase{"\r\nok\r\n", FinalKind::ok, -1},
                    FinalCase{"\r\nERROR\r\n", FinalKind::error, -1},
                    FinalCase{"\r\n+CME ERROR: 10\r\n", FinalKind::cme_error, 10},
                    FinalCase{"\r\n+CME ERROR:10\r\n", FinalKind::cme_error, 10},
                    FinalCase{"\r\n+cme error: SIM not inserted\r\n", FinalKind::cme_error, 10},
                    FinalCase{"\r\n+CME ERROR: SIM PIN required\r\n", FinalKind::cme_error, 11},
                    FinalCase{"\r\n+CMS ERROR: 500\r\n", FinalKind::cms_error, 500},
                    FinalCase{"\r\nNO CARRIER\r\n", FinalKind::no_carrier, -1},
                    FinalCase{"\r\nBUSY\r\n", FinalKind::busy, -1},
                    FinalCase{"\r\nNO ANSWER\r\n", FinalKind::no_answer, -1},
                    FinalCase{"\r\nNO DIALTONE\r\n", FinalKind::no_dialtone, -1}),
    [](const auto& row) { return "row" + std::to_string(row.index); });

TEST_F(ChannelTest, GarbageLinesAreNoiseNotData) {
    static constexpr char k_wire[] = "\x00\xff\xfe\x1b[2J\r\n310410123456789\r\n\x01\x02\r\nOK\r\n";
    port.script("AT+CIMI", {std::string(k_wire, sizeof k_wire - 1)});
    auto r = channel.command("AT+CIMI", k_timeout);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->lines, std::vector<std::string>{"310410123456789"});
    EXPECT_EQ(r->noise.size(), 2U);
}

TEST_F(ChannelTest, TimeoutNamesPortCommandAndDeadline) {
    auto r = channel.command("AT+CGSN", k_timeout);  // unscripted -> ERROR; so make it silent:
    ASSERT_TRUE(r);
    port.set_responder([](const std::string&) { return std::string(); });
    auto silent = channel.command("AT+CGSN", milliseconds(30));
    ASSERT_FALSE(silent);
    EXPECT_EQ(silent.error().reason, Reason::no_response);
    EXPECT_EQ(silent.error().message, "/dev/fake0: AT+CGSN: no response after 30 ms");
}

TEST_F(ChannelTest, StaleOkAfterTimeoutIsAbsorbedByResync) {
    port.set_responder([](const std::string& cmd) {
        return cmd == "AT" ? std::string("\r\nOK\r\n") : std::string();
    });
    ASSERT_FALSE(channel.command("AT+CGSN", milliseconds(10)));
    // The late answer to AT+CGSN arrives while the channel resyncs.
    port.push_late("\r\n359072060054893\r\n\r\nOK\r\n", 1);
    port.script("AT+CIMI", {"\r\n310410123456789\r\n\r\nOK\r\n"});
    auto r = channel.command("AT+CIMI", k_timeout);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->lines, std::vector<std::string>{"310410123456789"});
    // The channel sent AT to resync before AT+CIMI.
    const auto& sent = port.commands();
    EXPECT_NE(std::find(sent.begin(), sent.end(), "AT"), sent.end());
}

TEST_F(ChannelTest, SyncGivesUpWhenOkIsNeverClean) {
    port.set_responder([](const std::string&) { return std::string("\r\nOK\r\n\r\nOK\r\n"); });
    auto r = channel.synchronize();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, Reason::protocol_error);
    EXPECT_EQ(r.error().message,
              "/dev/fake0: AT: no clean OK after 4 attempts (garbage or extra "
              "result codes on the line)");
}

TEST_F(ChannelTest, ModuleThatOnlyEchoesIsSaidToAnswerLate) {
    // Echo on, but the OK never comes within the sync timeout (a module answering late).
    port.set_responder([](const std::string& cmd) { return cmd + "\r"; });
    auto r = channel.synchronize();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, Reason::protocol_error);
    EXPECT_EQ(r.error().message,
              "/dev/fake0: AT: no clean OK after 4 attempts (the last got no "
              "OK within 50 ms: the module answers late or not at all)");
}

TEST_F(ChannelTest, SilentModuleFailsSyncAtOnce) {
    port.set_responder([](const std::string&) { return std::string(); });
    auto r = channel.synchronize();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, Reason::no_response);
    EXPECT_EQ(r.error().message, "/dev/fake0: AT: no response after 50 ms");
    EXPECT_EQ(port.commands().size(), 1U);
}

TEST_F(ChannelTest, EndlessLinesAreBounded) {
    std::string flood;
    for (int i = 0; i < 400; ++i) flood += "\r\nline " + std::to_string(i) + "\r\n";
    port.script("ATI", {flood});
    auto r = channel.command("ATI", k_timeout);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, Reason::response_too_large);
}

TEST_F(ChannelTest, EndlessBytesWithoutNewlineAreBounded) {
    port.script("ATI", {std::string(200 * 1024, 'x')});
    auto r = channel.command("ATI", k_timeout);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, Reason::response_too_large);
    EXPECT_NE(r.error().message.find("/dev/fake0: ATI"), std::string::npos);
}

TEST_F(ChannelTest, OverlongLineBecomesNoise) {
    port.script("ATI", {"\r\n" + std::string(5000, 'A') + "\r\nModel: X\r\nOK\r\n"});
    auto r = channel.command("ATI", k_timeout);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->lines, std::vector<std::string>{"Model: X"});
    ASSERT_EQ(r->noise.size(), 1U);
    EXPECT_EQ(r->noise[0].size(), 1024U);
}

TEST_F(ChannelTest, VanishedPortIsPortLost) {
    port.vanish();
    auto r = channel.command("AT", k_timeout);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, Reason::port_lost);
    // The port is named once: the serial layer's message already starts with it.
    EXPECT_EQ(r.error().message, "/dev/fake0: AT: read: device vanished");
}

TEST_F(ChannelTest, RejectsCommandWithLineBreak) {
    auto r = channel.command("AT\rATZ", k_timeout);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, Reason::bad_usage);
}

TEST_F(ChannelTest, TranscriptKeepsBothDirectionsSanitised) {
    port.script("ATI", {"\r\nModel: \x1b[31mEM7455\r\nOK\r\n"});
    ASSERT_TRUE(channel.command("ATI", k_timeout));
    const auto text = channel.transcript().render();
    EXPECT_NE(text.find(">> ATI\\r"), std::string::npos) << text;
    EXPECT_NE(text.find("<< \\r\\nModel: \\x1b[31mEM7455"), std::string::npos) << text;
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

}  // namespace
