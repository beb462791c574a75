// Port chains, filters and the sysfs reader on a sysfs-shaped tree built in a temp directory.
#include <drivers/usb/modem_manager.hpp>
#include <drivers/usb/sysfs.hpp>
#include <drivers/usb/usb_device.hpp>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "process.hpp"

namespace {

using namespace drivers::usb;
namespace fs = std::filesystem;

TEST(PortChain, IsBuiltFromBusAndPorts) {
    const std::vector<std::uint8_t> ports{1, 4, 12};
    EXPECT_EQ(port_chain(3, ports), "3-1.4.12");
    EXPECT_EQ(port_chain(1, std::vector<std::uint8_t>{2}), "1-2");
    EXPECT_EQ(port_chain(1, {}), "");
}

TEST(PortChain, ShapeIsChecked) {
    for (const char* good : {"1-1", "1-1.3", "2-10.4.1", "255-255", "1-1.2.3.4.5.6.7"}) {
        EXPECT_TRUE(is_port_chain(good)) << good;
    }
    for (const char* bad :
         {"", "1", "1-", "-1", "1-1.", "1-.1", "0-1", "1-0", "01-1", "1-256", "1-1.2.3.4.5.6.7.8",
          "a-1", "1-1 ", "1-1:1.3", "/dev/ttyUSB0", "1--1", "1-1..2", "+1-1"}) {
        EXPECT_FALSE(is_port_chain(bad)) << bad;
    }
}

TEST(UsbFilter, MatchesVendorAndOptionalProduct) {
    const std::vector<UsbMatch> filter{{0x1199, std::nullopt}, {0x0403, 0x6001}};
    EXPECT_TRUE(matches(filter, 0x1199, 0x9071));
    EXPECT_TRUE(matches(filter, 0x1199, 0x90d3));
    EXPECT_TRUE(matches(filter, 0x0403, 0x6001));
    EXPECT_FALSE(matches(filter, 0x0403, 0x6015));
    EXPECT_FALSE(matches(filter, 0x1d6b, 0x0002));
    EXPECT_TRUE(matches({}, 0x1d6b, 0x0002));
    EXPECT_EQ(default_filter().size(), 1U);
    EXPECT_TRUE(matches(default_filter(), 0x1199, 0x0001));
    EXPECT_EQ(vid_pid(0x1199, 0x90d3), "1199:90d3");
}

class SysfsTree : public testing::Test {
  protected:
    void file(const std::string& relative, const std::string& text) {
        const fs::path path = m_dir.path() + "/sys/" + relative;
        fs::create_directories(path.parent_path());
        std::ofstream(path) << text;
    }
    void dir(const std::string& relative) {
        fs::create_directories(m_dir.path() + "/sys/" + relative);
    }
    SysfsLayout layout() const { return {m_dir.path() + "/sys", "/dev"}; }

    tests::TempDir m_dir;
};

TEST_F(SysfsTree, MapsUsbSerialAndAcmTtysByInterfaceNumber) {
    const std::string dev = "bus/usb/devices/1-1.3/";
    file(dev + "serial", "LF123\n");
    file(dev + "manufacturer", "Sierra Wireless, Incorporated\n");
    file(dev + "product", "EM7455\n");
    file(dev + "1-1.3:1.12/bInterfaceNumber", "0c\n");  // hex, as the kernel writes it
    dir(dev + "1-1.3:1.12/ttyUSB7/tty/ttyUSB7");
    file(dev + "1-1.3:1.3/bInterfaceNumber", "03\n");
    dir(dev + "1-1.3:1.3/ttyUSB2/tty/ttyUSB2");
    dir(dev + "1-1.3:1.2/tty/ttyACM0");  // no bInterfaceNumber: the name's number counts
    dir(dev + "1-1.3:1.8");              // an interface without a tty (network)
    dir(dev + "power");

    UsbDevice device;
    read_usb_strings(layout(), "1-1.3", device);
    EXPECT_EQ(device.serial, "LF123");
    EXPECT_EQ(device.manufacturer, "Sierra Wireless, Incorporated");
    EXPECT_EQ(device.product, "EM7455");
    EXPECT_EQ(
        find_usb_ttys(layout(), "1-1.3"),
        (std::vector<UsbTty>{{2, "/dev/ttyACM0"}, {3, "/dev/ttyUSB2"}, {12, "/dev/ttyUSB7"}}));
}

TEST_F(SysfsTree, MissingDeviceOrAttributesGiveEmptyResults) {
    dir("bus/usb/devices/1-2");
    UsbDevice device;
    read_usb_strings(layout(), "1-2", device);
    EXPECT_TRUE(device.serial.empty());
    EXPECT_TRUE(device.product.empty());
    EXPECT_TRUE(find_usb_ttys(layout(), "1-2").empty());
    EXPECT_TRUE(find_usb_ttys(layout(), "9-9").empty());
}

TEST_F(SysfsTree, FindsModemManagerByProcessName) {
    file("proc/1/comm", "systemd\n");
    file("proc/812/comm", "ModemManager\n");
    file("proc/self/comm", "ModemManager\n");  // not a pid
    EXPECT_EQ(find_modem_manager(m_dir.path() + "/sys/proc"), 812);
    EXPECT_FALSE(find_modem_manager(m_dir.path() + "/nowhere").has_value());
    const auto warning = modem_manager_warning(812);
    EXPECT_NE(warning.find("pid 812"), std::string::npos);
    EXPECT_NE(warning.find("scripts/install-udev-rules"), std::string::npos);
}

}  // namespace
