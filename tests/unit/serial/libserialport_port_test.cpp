// The libserialport backend on an emulated Sierra EM7455 (USB 1199:9071) whose /dev/ttyUSB0 is
// a umockdev pty; the test holds the master end and plays the modem. Runs under
// umockdev-wrapper with the ioctl shim (ioctl_shim.cpp) linked in.
#include <drivers/serial/serial_port.hpp>

#include <fcntl.h>
#include <libserialport.h>
#include <sys/ioctl.h>
#include <umockdev.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "ioctl_shim.hpp"
#include "master_side.hpp"

namespace {

using drivers::serial::Backend;
using drivers::serial::Clock;
using drivers::serial::open_port;
using drivers::serial::SerialPort;
using station::core::Reason;
using namespace std::chrono_literals;

constexpr const char* k_port = "/dev/ttyUSB0";
constexpr const char* k_tty_syspath =
    "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.3/ttyUSB0/tty/ttyUSB0";

// USB device, its AT interface, the usb-serial port and its tty, as sysfs shows them.
// umockdev_testbed_add_device() with a DEVNAME property makes no /dev node (measured); only
// an "N:" line in a record makes the pty-backed node that get_dev_fd() answers for.
constexpr const char* k_em7455_record =
    "P: /devices/pci0000:00/0000:00:14.0/usb1/1-1\n"
    "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n"
    "A: idVendor=1199\nA: idProduct=9071\nA: busnum=1\nA: devnum=3\n"
    "A: manufacturer=Sierra Wireless, Incorporated\nA: product=EM7455\nA: serial=LF71234567\n"
    "\n"
    "P: /devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.3\n"
    "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\nA: bInterfaceNumber=03\n"
    "\n"
    "P: /devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.3/ttyUSB0\n"
    "E: SUBSYSTEM=usb-serial\n"
    "\n"
    "P: /devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.3/ttyUSB0/tty/ttyUSB0\n"
    "N: ttyUSB0\n"
    "E: SUBSYSTEM=tty\nE: DEVNAME=/dev/ttyUSB0\n"
    "L: device=../../../ttyUSB0\n";

class UmockdevSerial : public testing::Test {
  protected:
    void SetUp() override {
        m_bed = umockdev_testbed_new();  // first: it sets $UMOCKDEV_DIR for the preload
        ASSERT_TRUE(umockdev_in_mock_environment()) << "run this binary under umockdev-wrapper";
        GError* error = nullptr;
        const gboolean added = umockdev_testbed_add_from_string(m_bed, k_em7455_record, &error);
        ASSERT_TRUE(added) << (error != nullptr ? error->message : "unknown error");
        m_master = umockdev_testbed_get_dev_fd(m_bed, k_port);
        ASSERT_GE(m_master, 0);
    }

    void TearDown() override {
        if (m_bed != nullptr) {
            g_object_unref(m_bed);  // closes the master fd
        }
    }

    std::unique_ptr<SerialPort> open_ok(Backend backend = Backend::libserialport) {
        auto port = open_port(k_port, {}, backend);
        EXPECT_TRUE(port.has_value()) << (port ? "" : port.error().message);
        return port ? std::move(*port) : nullptr;
    }

    // Hangs up the modem side. The testbed owns the master fd and closes it at teardown, so
    // /dev/null takes over its number instead of leaving a stale descriptor behind.
    void hang_up_master() {
        const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        ASSERT_GE(null_fd, 0);
        ASSERT_EQ(::dup2(null_fd, m_master), m_master);
        ::close(null_fd);
    }

    UMockdevTestbed* m_bed = nullptr;
    int m_master = -1;
};

TEST_F(UmockdevSerial, LibserialportSeesTheSierraUsbDevice) {
    sp_port* port = nullptr;
    ASSERT_EQ(sp_get_port_by_name(k_port, &port), SP_OK);
    int vid = 0;
    int pid = 0;
    EXPECT_EQ(sp_get_port_transport(port), SP_TRANSPORT_USB);
    EXPECT_EQ(sp_get_port_usb_vid_pid(port, &vid, &pid), SP_OK);
    EXPECT_EQ(vid, 0x1199);
    EXPECT_EQ(pid, 0x9071);
    sp_free_port(port);
}

TEST_F(UmockdevSerial, OpensThroughLibserialport) {
    auto port = open_ok();
    ASSERT_TRUE(port);
    EXPECT_EQ(port->backend_name(), "libserialport");
    EXPECT_EQ(port->path(), k_port);
    EXPECT_NE(serial_test::modem_lines() & TIOCM_DTR, 0);  // the shim kept DTR up
}

TEST_F(UmockdevSerial, AutomaticChoosesLibserialport) {
    auto port = open_ok(Backend::automatic);
    ASSERT_TRUE(port);
    EXPECT_EQ(port->backend_name(), "libserialport");
}

TEST_F(UmockdevSerial, ExchangesBytesBothWays) {
    auto port = open_ok();
    ASSERT_TRUE(port);
    ASSERT_TRUE(port->write("ATI\r", Clock::now() + 5s));
    EXPECT_EQ(serial_test::read_some(m_master, 4), "ATI\r");
    const std::string reply = "\r\nManufacturer: Sierra Wireless, Incorporated\r\n\r\nOK\r\n";
    ASSERT_TRUE(serial_test::write_all(m_master, reply));
    EXPECT_EQ(serial_test::read_port(*port, reply.size()), reply);
}

TEST_F(UmockdevSerial, ReadReturnsZeroAtTheDeadline) {
    auto port = open_ok();
    ASSERT_TRUE(port);
    std::array<char, 16> buf{};
    const auto started = Clock::now();
    auto got = port->read(buf, started + 150ms);
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_EQ(*got, 0U);
    EXPECT_GE(Clock::now(), started + 150ms);  // sp_wait's early SP_OK did not end the wait
    got = port->read(buf, Clock::now() - 1s);  // a past deadline must not mean "wait forever"
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_EQ(*got, 0U);
}

TEST_F(UmockdevSerial, LargeDataRoundTripsUnchanged) {
    auto port = open_ok();
    ASSERT_TRUE(port);
    const std::string data = serial_test::all_byte_values(64 * 1024);
    std::string at_master;
    std::thread reader([&] { at_master = serial_test::read_some(m_master, data.size(), 20s); });
    const auto written = port->write(data, Clock::now() + 20s);
    reader.join();
    ASSERT_TRUE(written.has_value()) << written.error().message;
    EXPECT_TRUE(at_master == data) << "master got " << at_master.size() << " bytes";

    std::thread writer([&] { serial_test::write_all(m_master, data, 20s); });
    const std::string at_port = serial_test::read_port(*port, data.size(), 20s);
    writer.join();
    EXPECT_TRUE(at_port == data) << "port got " << at_port.size() << " bytes";
}

TEST_F(UmockdevSerial, WriteThatCannotFinishIsNoResponse) {
    auto port = open_ok();
    ASSERT_TRUE(port);
    // The modem reads nothing: the pty buffers fill and the deadline passes.
    const std::string big(1 << 20, 'x');
    auto written = port->write(big, Clock::now() + 300ms);
    ASSERT_FALSE(written.has_value());
    EXPECT_EQ(written.error().reason, Reason::no_response) << written.error().message;
}

TEST_F(UmockdevSerial, FlushInputDiscardsPendingBytes) {
    auto port = open_ok();
    ASSERT_TRUE(port);
    ASSERT_TRUE(serial_test::write_all(m_master, "+CREG: 1\r\n"));
    std::this_thread::sleep_for(200ms);
    ASSERT_TRUE(port->flush_input());
    ASSERT_TRUE(serial_test::write_all(m_master, "OK"));
    EXPECT_EQ(serial_test::read_port(*port, 2), "OK");
}

TEST_F(UmockdevSerial, HungUpModemIsPortLost) {
    auto port = open_ok();
    ASSERT_TRUE(port);
    hang_up_master();
    std::array<char, 16> buf{};
    auto got = port->read(buf, Clock::now() + 10s);
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error().reason, Reason::port_lost) << got.error().message;
    EXPECT_EQ(got.error().message.rfind(std::string(k_port) + ": ", 0), 0U) << got.error().message;
    auto written = port->write("AT\r", Clock::now() + 10s);
    ASSERT_FALSE(written.has_value());
    EXPECT_EQ(written.error().reason, Reason::port_lost) << written.error().message;
}

TEST_F(UmockdevSerial, RemovedDeviceTimesOutAndCannotBeReopened) {
    auto port = open_ok();
    ASSERT_TRUE(port);
    umockdev_testbed_remove_device(m_bed, k_tty_syspath);
    // Removal deletes the sysfs entry only (measured): the /dev node and the open pty live on,
    // so a read ends at its deadline. A real unplug hangs up too (see HungUpModemIsPortLost).
    std::array<char, 16> buf{};
    auto got = port->read(buf, Clock::now() + 100ms);
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_EQ(*got, 0U);
    port.reset();

    auto again = open_port(k_port, {}, Backend::libserialport);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().reason, Reason::port_unavailable);
    EXPECT_EQ(again.error().message.rfind(std::string(k_port) + ": sp_get_port_by_name: ", 0), 0U)
        << again.error().message;

    // With the node gone as well (what udev does on unplug), automatic fails cleanly too.
    gchar* root = umockdev_testbed_get_root_dir(m_bed);
    ASSERT_EQ(::unlink((std::string(root) + k_port).c_str()), 0);
    g_free(root);
    again = open_port(k_port, {}, Backend::automatic);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().reason, Reason::port_unavailable);
    EXPECT_EQ(again.error().message, std::string(k_port) + ": open: No such file or directory");
}

TEST_F(UmockdevSerial, TermiosBackendAlsoDrivesTheEmulatedTty) {
    auto port = open_ok(Backend::termios);
    ASSERT_TRUE(port);
    EXPECT_EQ(port->backend_name(), "termios");
    ASSERT_TRUE(serial_test::write_all(m_master, "OK\r\n"));
    EXPECT_EQ(serial_test::read_port(*port, 4), "OK\r\n");
}

}  // namespace
