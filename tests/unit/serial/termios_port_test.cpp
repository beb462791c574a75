// The termios backend and open_port() on real pseudo-terminals from openpty().
#include <drivers/serial/serial_port.hpp>

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "master_side.hpp"

namespace {

using drivers::serial::Backend;
using drivers::serial::Clock;
using drivers::serial::FlowControl;
using drivers::serial::is_supported_baud;
using drivers::serial::open_port;
using drivers::serial::Parity;
using drivers::serial::SerialPort;
using drivers::serial::Settings;
using station::core::Reason;
using namespace std::chrono_literals;
using serial_test::Pty;

std::unique_ptr<SerialPort> open_ok(const std::string& path, const Settings& settings = {},
                                    Backend backend = Backend::termios) {
    auto port = open_port(path, settings, backend);
    EXPECT_TRUE(port.has_value()) << (port ? "" : port.error().message);
    return port ? std::move(*port) : nullptr;
}

class TermiosPortTest : public testing::Test {
  protected:
    Pty m_pty;
};

TEST_F(TermiosPortTest, OpensTheSlaveByPath) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    EXPECT_EQ(port->path(), m_pty.slave_path);
    EXPECT_EQ(port->backend_name(), "termios");
}

TEST_F(TermiosPortTest, AutomaticPicksTermiosForAPty) {
    auto port = open_ok(m_pty.slave_path, {}, Backend::automatic);
    ASSERT_TRUE(port);
    EXPECT_EQ(port->backend_name(), "termios");
}

TEST_F(TermiosPortTest, WritesReachTheOtherEnd) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    ASSERT_TRUE(port->write("AT+CGSN\r", Clock::now() + 5s));
    EXPECT_EQ(serial_test::read_some(m_pty.master, 8), "AT+CGSN\r");
}

TEST_F(TermiosPortTest, ReadsWhatTheOtherEndSends) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    ASSERT_TRUE(serial_test::write_all(m_pty.master, "\r\n123456789012345\r\n\r\nOK\r\n"));
    EXPECT_EQ(serial_test::read_port(*port, 25), "\r\n123456789012345\r\n\r\nOK\r\n");
}

TEST_F(TermiosPortTest, ReadReturnsZeroAtTheDeadline) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    std::array<char, 16> buf{};
    const auto started = Clock::now();
    auto got = port->read(buf, started + 100ms);
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_EQ(*got, 0U);
    EXPECT_GE(Clock::now(), started + 100ms);  // it waited, and it returned
}

TEST_F(TermiosPortTest, ReadWithAPastDeadlineStillReturnsQueuedBytes) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    ASSERT_TRUE(serial_test::write_all(m_pty.master, "OK"));
    std::this_thread::sleep_for(200ms);  // let the pty move the bytes to the slave
    std::array<char, 16> buf{};
    auto got = port->read(buf, Clock::now() - 1s);
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_EQ(*got, 2U);
}

TEST_F(TermiosPortTest, ReadAfterTheOtherEndClosedIsPortLost) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    ::close(m_pty.slave);  // only the port keeps the slave open now
    m_pty.slave = -1;
    m_pty.close_master();
    std::array<char, 16> buf{};
    auto got = port->read(buf, Clock::now() + 10s);
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error().reason, Reason::port_lost);
    EXPECT_NE(got.error().message.find(m_pty.slave_path), std::string::npos) << got.error().message;
}

TEST_F(TermiosPortTest, WriteAfterTheOtherEndClosedIsPortLost) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    m_pty.close_master();
    auto written = port->write("AT\r", Clock::now() + 10s);
    ASSERT_FALSE(written.has_value());
    EXPECT_EQ(written.error().reason, Reason::port_lost) << written.error().message;
}

TEST_F(TermiosPortTest, WriteThatCannotFinishIsNoResponse) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    // Nobody reads the master: the pty buffers fill and the deadline passes.
    const std::string big(1 << 20, 'x');
    auto written = port->write(big, Clock::now() + 300ms);
    ASSERT_FALSE(written.has_value());
    EXPECT_EQ(written.error().reason, Reason::no_response) << written.error().message;
}

TEST_F(TermiosPortTest, LargeDataRoundTripsUnchanged) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    const std::string data = serial_test::all_byte_values(64 * 1024);
    std::string at_master;
    std::thread reader([&] { at_master = serial_test::read_some(m_pty.master, data.size()); });
    const auto written = port->write(data, Clock::now() + 20s);
    reader.join();
    ASSERT_TRUE(written.has_value()) << written.error().message;
    EXPECT_TRUE(at_master == data) << "master got " << at_master.size() << " bytes";

    std::thread writer([&] { serial_test::write_all(m_pty.master, data); });
    const std::string at_port = serial_test::read_port(*port, data.size(), 20s);
    writer.join();
    EXPECT_TRUE(at_port == data) << "port got " << at_port.size() << " bytes";
}

TEST_F(TermiosPortTest, FlushInputDiscardsPendingBytes) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    ASSERT_TRUE(serial_test::write_all(m_pty.master, "stale URC\r\n"));
    std::this_thread::sleep_for(200ms);
    ASSERT_TRUE(port->flush_input());
    ASSERT_TRUE(serial_test::write_all(m_pty.master, "OK"));
    EXPECT_EQ(serial_test::read_port(*port, 2), "OK");
}

TEST_F(TermiosPortTest, CloseIsIdempotentAndLaterCallsFail) {
    auto port = open_ok(m_pty.slave_path);
    ASSERT_TRUE(port);
    port->close();
    port->close();
    std::array<char, 4> buf{};
    EXPECT_FALSE(port->read(buf, Clock::now()).has_value());
    EXPECT_FALSE(port->write("AT", Clock::now()).has_value());
    EXPECT_FALSE(port->flush_input().has_value());
}

TEST(OpenPort, MissingPathIsPortUnavailableNamingIt) {
    for (const auto backend : {Backend::termios, Backend::automatic}) {
        auto port = open_port("/dev/ttyStationMissing9", {}, backend);
        ASSERT_FALSE(port.has_value());
        EXPECT_EQ(port.error().reason, Reason::port_unavailable);
        EXPECT_EQ(port.error().message, "/dev/ttyStationMissing9: open: No such file or directory");
    }
}

TEST(OpenPort, RegularFileIsPortUnavailable) {
    char name[] = "/tmp/serial_test_XXXXXX";
    const int fd = ::mkstemp(name);
    ASSERT_GE(fd, 0);
    ::close(fd);
    auto port = open_port(name, {}, Backend::automatic);
    ::unlink(name);
    ASSERT_FALSE(port.has_value());
    EXPECT_EQ(port.error().reason, Reason::port_unavailable);
    EXPECT_EQ(port.error().message,
              std::string(name) + ": not a serial port (Inappropriate ioctl for device)");
}

TEST(OpenPort, UnsupportedBaudIsBadUsage) {
    Pty pty;
    for (const auto backend : {Backend::termios, Backend::automatic, Backend::libserialport}) {
        auto port = open_port(pty.slave_path, Settings{.baud = 1234}, backend);
        ASSERT_FALSE(port.has_value());
        EXPECT_EQ(port.error().reason, Reason::bad_usage);
        EXPECT_EQ(port.error().message, pty.slave_path + ": unsupported baud rate 1234");
    }
}

TEST(OpenPort, UnsupportedFrameIsBadUsage) {
    Pty pty;
    for (const auto backend : {Backend::termios, Backend::automatic, Backend::libserialport}) {
        for (const auto& settings : {Settings{.data_bits = 9}, Settings{.stop_bits = 3}}) {
            auto port = open_port(pty.slave_path, settings, backend);
            ASSERT_FALSE(port.has_value());
            EXPECT_EQ(port.error().reason, Reason::bad_usage) << port.error().message;
        }
    }
}

TEST(OpenPort, LibserialportRefusesAPty) {
    Pty pty;
    auto port = open_port(pty.slave_path, {}, Backend::libserialport);
    ASSERT_FALSE(port.has_value());
    EXPECT_EQ(port.error().reason, Reason::port_unavailable);
    EXPECT_EQ(port.error().message.rfind(pty.slave_path + ": sp_", 0), 0U) << port.error().message;
}

struct BaudCase {
    int baud;
    bool supported;
};

void PrintTo(const BaudCase& c, std::ostream* out) {
    *out << c.baud;
}

std::string baud_case_name(const testing::TestParamInfo<BaudCase>& param) {
    const int baud = param.param.baud;
    return (baud < 0 ? "minus" : "b") + std::to_string(std::abs(baud));
}

class SupportedBaud : public testing::TestWithParam<BaudCase> {};

TEST_P(SupportedBaud, Classifies) {
    EXPECT_EQ(is_supported_baud(GetParam().baud), GetParam().supported) << GetParam().baud;
}

INSTANTIATE_TEST_SUITE_P(Table, SupportedBaud,
                         testing::Values(BaudCase{1200, true}, BaudCase{9600, true},
                                         BaudCase{115200, true}, BaudCase{921600, true},
                                         BaudCase{4000000, true}, BaudCase{0, false},
                                         BaudCase{-9600, false}, BaudCase{300, false},
                                         BaudCase{1234, false}, BaudCase{115201, false},
                                         BaudCase{4000001, false}),
                         baud_case_name);

// The Linux pty driver forces CS8 and clears PARENB whatever was asked (pty_set_termios), so
// on a pty only the speed, PARODD, CSTOPB and CRTSCTS show that the settings were applied.
struct FrameCase {
    Settings settings;
    tcflag_t expected_cflag;  // bits of CSIZE|PARENB|PARODD|CSTOPB|CRTSCTS as a pty keeps them
    speed_t expected_speed;
};

void PrintTo(const FrameCase& c, std::ostream* out) {
    *out << "baud " << c.settings.baud;
}

std::string frame_case_name(const testing::TestParamInfo<FrameCase>& param) {
    static constexpr std::array k_names{"default_115200_8N1", "b9600_7E1", "b57600_8O2",
                                        "b921600_rtscts"};
    return k_names.at(param.index);
}

class LineSettings : public testing::TestWithParam<FrameCase> {};

TEST_P(LineSettings, ReachTheTty) {
    Pty pty;
    auto port = open_ok(pty.slave_path, GetParam().settings);
    ASSERT_TRUE(port);
    struct termios tio {};
    ASSERT_EQ(::tcgetattr(pty.slave, &tio), 0);
    const tcflag_t mask = CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS;
    EXPECT_EQ(tio.c_cflag & mask, GetParam().expected_cflag);
    EXPECT_EQ(::cfgetospeed(&tio), GetParam().expected_speed);
    EXPECT_EQ(tio.c_lflag & (ICANON | ECHO), 0U);  // raw: no line editing, no echo
    EXPECT_EQ(tio.c_cc[VMIN], 0);
}

INSTANTIATE_TEST_SUITE_P(
    Table, LineSettings,
    testing::Values(
        FrameCase{Settings{}, CS8, B115200},
        FrameCase{Settings{.baud = 9600, .data_bits = 7, .parity = Parity::even}, CS8, B9600},
        FrameCase{Settings{.baud = 57600, .parity = Parity::odd, .stop_bits = 2},
                  CS8 | PARODD | CSTOPB, B57600},
        FrameCase{Settings{.baud = 921600, .flow = FlowControl::rts_cts}, CS8 | CRTSCTS, B921600}),
    frame_case_name);

}  // namespace
