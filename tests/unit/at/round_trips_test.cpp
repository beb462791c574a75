// Round trips measured from a transcript: one row per situation of a session (echo, answers cut
// across reads, every final result code, URCs, unanswered commands, commands that are not AT,
// over-long lines, the bound), built with known offsets; then a real channel exchange.
#include <drivers/at/round_trips.hpp>

#include <gtest/gtest.h>

#include <drivers/at/channel.hpp>

#include "fake_serial_port.hpp"

namespace {

using drivers::at::Direction;
using drivers::at::round_trips;
using drivers::at::Transcript;
using std::chrono::milliseconds;

struct Entry {
    int ms;
    Direction direction;
    std::string bytes;
};

struct Trip {
    std::string command;
    int ms;
};

struct Case {
    const char* name;
    std::vector<Entry> entries;
    std::vector<Trip> expected;
};

constexpr auto tx = Direction::tx;
constexpr auto rx = Direction::rx;

const std::vector<Case> k_cases{
    {"plain",
     {{0, tx, "AT+CGSN\r"}, {12, rx, "\r\n359072060054893\r\n\r\nOK\r\n"}},
     {{"AT+CGSN", 12}}},
    {"echo and answer across reads",
     {{0, tx, "AT+CGSN\r"},
      {1, rx, "AT+CGSN\r"},
      {5, rx, "\r\n359072060054893\r\n"},
      {9, rx, "\r\nOK\r\n"}},
     {{"AT+CGSN", 9}}},
    {"the read that completes the final line",
     {{0, tx, "AT\r"}, {3, rx, "\r\nO"}, {7, rx, "K"}, {8, rx, "\r\n"}},
     {{"AT", 8}}},
    {"a final line never completed", {{0, tx, "AT\r"}, {3, rx, "\r\nOK"}}, {}},
    {"ERROR", {{0, tx, "AT+FOO\r"}, {4, rx, "\r\nERROR\r\n"}}, {{"AT+FOO", 4}}},
    {"CME error", {{0, tx, "AT+CIMI\r"}, {30, rx, "\r\n+CME ERROR: 10\r\n"}}, {{"AT+CIMI", 30}}},
    {"CME error text",
     {{0, tx, "AT+CIMI\r"}, {31, rx, "\r\n+cme error: SIM busy\r\n"}},
     {{"AT+CIMI", 31}}},
    {"CMS error", {{0, tx, "AT+CMGS=1\r"}, {5, rx, "\r\n+CMS ERROR: 500\r\n"}}, {{"AT+CMGS=1", 5}}},
    {"NO CARRIER", {{0, tx, "ATD123;\r"}, {900, rx, "\r\nNO CARRIER\r\n"}}, {{"ATD123;", 900}}},
    {"lower-case command",
     {{0, tx, "at+cimi\r"}, {2, rx, "at+cimi\r\r\nok\r\n"}},
     {{"at+cimi", 2}}},
    {"concatenated line as sent",
     {{0, tx, "ATI;+CIMI\r\n"}, {20, rx, "\r\nModel: XR90\r\n310410123456789\r\nOK\r\n"}},
     {{"ATI;+CIMI", 20}}},
    {"URCs passed over",
     {{0, tx, "ATI\r"}, {2, rx, "\r\n+CREG: 1\r\n"}, {3, rx, "RING\r\n"}, {6, rx, "\r\nOK\r\n"}},
     {{"ATI", 6}}},
    {"an information line is not a final one",
     {{0, tx, "ATI\r"}, {2, rx, "\r\nOKAY then\r\n"}, {4, rx, "  OK  \r\n"}},
     {{"ATI", 4}}},
    {"unanswered before the next command",
     {{0, tx, "ATI\r"},
      {2, rx, "\r\nManufacturer: Sierra\r\n"},
      {10, tx, "AT+CGSN\r"},
      {15, rx, "\r\nOK\r\n"}},
     {{"AT+CGSN", 5}}},
    {"a resync's AT ends a command that timed out",
     {{0, tx, "AT+CGSN\r"}, {2000, tx, "AT\r"}, {2003, rx, "\r\nOK\r\n"}, {2004, rx, "\r\nOK\r\n"}},
     {{"AT", 3}}},
    {"bytes that are not a command",
     {{0, tx, "AT+CMGS=1\r"}, {5, rx, "\r\n> "}, {6, tx, "hello\x1a"}, {50, rx, "\r\nOK\r\n"}},
     {}},
    {"notes between",
     {{0, tx, "AT\r"}, {1, Direction::note, "OK\r\n"}, {2, rx, "OK\r\n"}},
     {{"AT", 2}}},
    {"a stale answer before any command",
     {{0, rx, "\r\nOK\r\n"}, {5, tx, "ATE0\r"}, {7, rx, "OK\r\n"}},
     {{"ATE0", 2}}},
    {"an echo that is not first is a line",
     {{0, tx, "AT\r"}, {1, rx, "\r\n+CREG: 1\r\nAT\r\nOK\r\n"}},
     {{"AT", 1}}},
    {"an over-long line is no answer",
     {{0, tx, "AT\r"}, {1, rx, std::string(1500, 'x') + "OK\r\n"}, {9, rx, "OK\r\n"}},
     {{"AT", 9}}},
    {"blank tx", {{0, tx, "\r"}, {1, rx, "OK\r\n"}}, {}},
};

Transcript transcript_of(const std::vector<Entry>& entries) {
    Transcript transcript;
    for (const Entry& entry : entries) {
        transcript.add_at(milliseconds(entry.ms), entry.direction, entry.bytes);
    }
    return transcript;
}

TEST(RoundTrips, FromTheTranscript) {
    for (const Case& c : k_cases) {
        const auto trips = round_trips(transcript_of(c.entries));
        ASSERT_EQ(trips.size(), c.expected.size()) << c.name;
        for (std::size_t i = 0; i < trips.size(); ++i) {
            EXPECT_EQ(trips[i].command, c.expected[i].command) << c.name;
            EXPECT_EQ(trips[i].took, milliseconds(c.expected[i].ms)) << c.name;
        }
    }
}

TEST(RoundTrips, AtMost256PerTranscript) {
    std::vector<Entry> entries;
    for (int i = 0; i < 300; ++i) {
        entries.push_back({2 * i, tx, "AT+N" + std::to_string(i) + "\r"});
        entries.push_back({2 * i + 1, rx, "\r\nOK\r\n"});
    }
    const auto trips = round_trips(transcript_of(entries));
    ASSERT_EQ(trips.size(), drivers::at::k_max_round_trips);
    EXPECT_EQ(trips.back().command, "AT+N255");
}

TEST(RoundTrips, AddAtKeepsTheOffsetAndTheBound) {
    Transcript transcript(8);
    transcript.add_at(milliseconds(5), rx, "OK\r\n");
    transcript.add_at(milliseconds(6), rx, "OK\r\n");
    transcript.add_at(milliseconds(7), rx, "OK\r\n");
    ASSERT_EQ(transcript.entries().size(), 2u);
    EXPECT_EQ(transcript.entries()[1].offset, milliseconds(6));
    EXPECT_EQ(transcript.dropped_bytes(), 4u);
}

// The channel's own transcript: an echoing module, an answered command, one that times out
// (left out), the resync's AT and the next command.
TEST(RoundTrips, FromARealChannelExchange) {
    tests::FakeSerialPort port;
    port.set_echo(true);
    port.script("ATI", {"\r\nManufacturer: Sierra Wireless\r\nModel: XR90\r\n\r\nOK\r\n"});
    port.script("AT+CGSN", {"", "\r\n359072060054893\r\n\r\nOK\r\n"});
    port.script("AT", {"\r\nOK\r\n"});
    drivers::at::ChannelLimits limits;
    limits.quiet_period = milliseconds(5);
    limits.sync_timeout = milliseconds(50);
    limits.max_drain = milliseconds(200);
    drivers::at::Channel channel(port, limits);
    ASSERT_TRUE(channel.command("ATI", milliseconds(200)));
    EXPECT_FALSE(channel.command("AT+CGSN", milliseconds(20)));
    ASSERT_TRUE(channel.command("AT+CGSN", milliseconds(200)));
    const auto trips = round_trips(channel.transcript());
    std::vector<std::string> commands;
    for (const auto& trip : trips) {
        commands.push_back(trip.command);
        EXPECT_GE(trip.took.count(), 0) << trip.command;
    }
    ASSERT_GE(commands.size(), 3u) << channel.transcript().render();
    EXPECT_EQ(commands.front(), "ATI");
    EXPECT_EQ(commands.back(), "AT+CGSN");
    EXPECT_EQ(std::count(commands.begin(), commands.end(), "AT+CGSN"), 1);
    EXPECT_EQ(commands[1], "AT");  // the resync after the timeout
}

}  // namespace
