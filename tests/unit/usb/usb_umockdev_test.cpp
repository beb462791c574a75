// The USB layer on an emulated bench (umockdev): enumeration, port chains, tty mapping,
// hotplug and polling arrivals and departures, debounce, AT-port probing, a port that vanishes
// while probed. Runs under umockdev-wrapper with the ioctl shim (tests/unit/serial) linked in.
#include <drivers/usb/at_port_finder.hpp>
#include <drivers/usb/device_watcher.hpp>
#include <drivers/usb/libusb_bus.hpp>

#include <unistd.h>

#include <gtest/gtest.h>

#include "usb_testbed.hpp"

namespace {

using drivers::usb::Clock;
using drivers::usb::DeviceWatcher;
using drivers::usb::HotplugMode;
using drivers::usb::UsbBus;
using drivers::usb::UsbDevice;
using drivers::usb::UsbEvent;
using drivers::usb::UsbEventKind;
using drivers::usb::UsbTty;
using station::core::Reason;
using usb_test::ModemResponder;
using usb_test::RouterSpec;
using usb_test::UsbTestbed;
using namespace std::chrono_literals;

// Sierra EM7455-like router: DM on 0, NMEA on 2, AT on 3.
RouterSpec sierra(int hub_port, int address, std::vector<usb_test::TtySpec> ttys,
                  std::string serial = "") {
    RouterSpec spec;
    spec.hub_port = hub_port;
    spec.address = address;
    spec.serial = serial.empty() ? "LF" + std::to_string(1000 + hub_port) : serial;
    spec.ttys = std::move(ttys);
    return spec;
}

class UsbBench : public testing::Test {
  protected:
    void SetUp() override { ASSERT_TRUE(m_bed.ok()) << m_bed.error(); }

    std::unique_ptr<UsbBus> open_bus(HotplugMode mode) {
        auto bus = drivers::usb::open_libusb_bus({mode, {}});
        EXPECT_TRUE(bus.has_value()) << (bus ? "" : bus.error().message);
        return bus ? std::move(*bus) : nullptr;
    }

    std::vector<UsbDevice> enumerate(
        UsbBus& bus, std::vector<drivers::usb::UsbMatch> filter = drivers::usb::default_filter()) {
        auto devices = bus.enumerate(filter);
        EXPECT_TRUE(devices.has_value()) << (devices ? "" : devices.error().message);
        return devices ? *devices : std::vector<UsbDevice>{};
    }

    // Collects events until `count` arrived or `timeout` passed.
    static std::vector<UsbEvent> collect(DeviceWatcher& watcher, std::size_t count,
                                         std::chrono::milliseconds timeout) {
        std::vector<UsbEvent> all;
        const auto deadline = Clock::now() + timeout;
        while (all.size() < count && Clock::now() < deadline) {
            auto events = watcher.next(deadline);
            EXPECT_TRUE(events.has_value()) << (events ? "" : events.error().message);
            if (!events) break;
            all.insert(all.end(), events->begin(), events->end());
        }
        return all;
    }

    UsbTestbed m_bed;
};

TEST_F(UsbBench, EnumeratesSierraRoutersWithPortChainsStringsAndTtys) {
    ASSERT_TRUE(m_bed.add_router(sierra(3, 10, {{0, "ttyUSB0"}, {2, "ttyUSB1"}, {3, "ttyUSB2"}})));
    RouterSpec em7565 = sierra(5, 11, {{3, "ttyUSB5"}});
    em7565.product_id = 0x9091;
    ASSERT_TRUE(m_bed.add_router(em7565));
    ASSERT_TRUE(m_bed.add_router(sierra(6, 12, {{2, "ttyACM0"}})));  // cdc-acm layout
    RouterSpec ftdi = sierra(4, 13, {{0, "ttyUSB9"}}, "FT123");  // a console cable, not a router
    ftdi.vendor_id = 0x0403;
    ftdi.product_id = 0x6001;
    ASSERT_TRUE(m_bed.add_router(ftdi));

    auto bus = open_bus(HotplugMode::polling);
    ASSERT_TRUE(bus);
    const auto devices = enumerate(*bus);
    ASSERT_EQ(devices.size(), 3U);  // the FTDI cable and both hubs are not Sierra devices
    EXPECT_EQ(devices[0].port_chain, "1-1.3");
    EXPECT_EQ(devices[0].bus, 1);
    EXPECT_EQ(devices[0].address, 10);
    EXPECT_EQ(drivers::usb::vid_pid(devices[0].vendor_id, devices[0].product_id), "1199:9071");
    EXPECT_EQ(devices[0].serial, "LF1003");
    EXPECT_EQ(devices[0].manufacturer, "Sierra Wireless, Incorporated");
    EXPECT_EQ(devices[0].product, "Test Router");
    EXPECT_EQ(devices[0].ttys,
              (std::vector<UsbTty>{{0, "/dev/ttyUSB0"}, {2, "/dev/ttyUSB1"}, {3, "/dev/ttyUSB2"}}));
    EXPECT_EQ(devices[1].port_chain, "1-1.5");
    EXPECT_EQ(devices[1].product_id, 0x9091);
    EXPECT_EQ(devices[1].ttys, (std::vector<UsbTty>{{3, "/dev/ttyUSB5"}}));
    EXPECT_EQ(devices[2].port_chain, "1-1.6");
    EXPECT_EQ(devices[2].ttys, (std::vector<UsbTty>{{2, "/dev/ttyACM0"}}));

    // Without a filter the hub and the cable show too, never the root hub.
    const auto all = enumerate(*bus, {});
    std::vector<std::string> chains;
    for (const auto& d : all) chains.push_back(d.port_chain);
    EXPECT_EQ(chains, (std::vector<std::string>{"1-1", "1-1.3", "1-1.4", "1-1.5", "1-1.6"}));

    // A filter on one product.
    const auto only = enumerate(*bus, {{0x1199, 0x9091}});
    ASSERT_EQ(only.size(), 1U);
    EXPECT_EQ(only[0].port_chain, "1-1.5");
}

TEST_F(UsbBench, HotplugReportsArrivalAndDepartureWithoutPolling) {
    auto bus = open_bus(HotplugMode::automatic);
    ASSERT_TRUE(bus);
    ASSERT_TRUE(bus->has_hotplug()) << "libusb under umockdev offered hotplug when measured";
    drivers::usb::WatchOptions options;
    options.settle = 100ms;
    options.poll_interval = 60s;  // only a hotplug event can wake the watcher in time
    DeviceWatcher watcher(*bus, options);
    auto none = watcher.next(Clock::now() + 50ms);
    ASSERT_TRUE(none.has_value());
    EXPECT_TRUE(none->empty());

    const auto started = Clock::now();
    ASSERT_TRUE(m_bed.add_router(sierra(2, 20, {{3, "ttyUSB20"}})));
    auto events = collect(watcher, 1, 10s);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, UsbEventKind::arrived);
    EXPECT_EQ(events[0].device.port_chain, "1-1.2");
    EXPECT_EQ(events[0].device.ttys, (std::vector<UsbTty>{{3, "/dev/ttyUSB20"}}));
    EXPECT_GE(Clock::now() - started, 100ms);  // not before it settled
    EXPECT_LT(Clock::now() - started, 5s);
    EXPECT_EQ(watcher.present().size(), 1U);

    m_bed.remove_router(2);
    events = collect(watcher, 1, 10s);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, UsbEventKind::departed);
    EXPECT_EQ(events[0].device.port_chain, "1-1.2");
    EXPECT_TRUE(watcher.present().empty());
}

TEST_F(UsbBench, PollingReportsArrivalAndDepartureWithoutEvents) {
    auto bus = open_bus(HotplugMode::polling);
    ASSERT_TRUE(bus);
    EXPECT_FALSE(bus->has_hotplug());
    drivers::usb::WatchOptions options;
    options.settle = 100ms;
    options.poll_interval = 30ms;
    DeviceWatcher watcher(*bus, options);
    ASSERT_TRUE(m_bed.add_router(sierra(2, 20, {{3, "ttyUSB21"}}), false));
    auto events = collect(watcher, 1, 10s);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, UsbEventKind::arrived);
    EXPECT_EQ(events[0].device.port_chain, "1-1.2");

    m_bed.remove_router(2, false);
    events = collect(watcher, 1, 10s);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, UsbEventKind::departed);
}

TEST_F(UsbBench, ReenumeratingRouterArrivesOnceAfterItSettles) {
    auto bus = open_bus(HotplugMode::polling);
    ASSERT_TRUE(bus);
    drivers::usb::WatchOptions options;
    options.settle = 400ms;
    options.poll_interval = 20ms;
    DeviceWatcher watcher(*bus, options);

    // Booting: first a bootloader-like unit with one tty, then the full layout twice.
    ASSERT_TRUE(m_bed.add_router(sierra(4, 30, {{0, "ttyUSB30"}}), false));
    auto events = watcher.next(Clock::now() + 100ms);
    ASSERT_TRUE(events.has_value());
    EXPECT_TRUE(events->empty());
    m_bed.remove_router(4, false);
    ASSERT_TRUE(m_bed.add_router(sierra(4, 31, {{0, "ttyUSB31"}, {3, "ttyUSB32"}}), false));
    events = watcher.next(Clock::now() + 100ms);
    ASSERT_TRUE(events.has_value());
    EXPECT_TRUE(events->empty());
    m_bed.remove_router(4, false);
    const auto last_change = Clock::now();
    ASSERT_TRUE(m_bed.add_router(sierra(4, 32, {{0, "ttyUSB33"}, {3, "ttyUSB34"}}), false));

    const auto all = collect(watcher, 1, 5s);
    ASSERT_EQ(all.size(), 1U);
    EXPECT_GE(Clock::now() - last_change, 400ms);  // not before the final layout settled
    EXPECT_EQ(all[0].kind, UsbEventKind::arrived);
    EXPECT_EQ(all[0].device.address, 32);
    EXPECT_EQ(all[0].device.ttys,
              (std::vector<UsbTty>{{0, "/dev/ttyUSB33"}, {3, "/dev/ttyUSB34"}}));
    EXPECT_TRUE(collect(watcher, 1, 800ms).empty());  // and only once
}

TEST_F(UsbBench, ProbeFindsAnAtPortThatIsNotInterfaceThree) {
    ASSERT_TRUE(
        m_bed.add_router(sierra(2, 40, {{0, "ttyUSB40"}, {2, "ttyUSB41"}, {3, "ttyUSB42"}})));
    ModemResponder diag(m_bed, "ttyUSB40", ModemResponder::Mode::silent);
    ModemResponder at(m_bed, "ttyUSB41", ModemResponder::Mode::answer_ok);
    ModemResponder nmea(m_bed, "ttyUSB42", ModemResponder::Mode::silent);
    auto bus = open_bus(HotplugMode::polling);
    ASSERT_TRUE(bus);
    const auto devices = enumerate(*bus);
    ASSERT_EQ(devices.size(), 1U);

    const auto started = Clock::now();
    auto found = drivers::usb::find_at_port(devices[0], {}, {200ms, {}});
    ASSERT_TRUE(found.has_value()) << found.error().message;
    EXPECT_EQ(found->path, "/dev/ttyUSB41");
    EXPECT_EQ(found->interface_number, 2);
    EXPECT_LT(Clock::now() - started, 3s);
    EXPECT_GE(diag.commands_seen(), 1);  // interface 0 was asked first and stayed silent
    EXPECT_EQ(nmea.commands_seen(), 0);  // probing stopped at the first answer

    // A pinned interface is taken as it is, without probing.
    auto pinned = drivers::usb::find_at_port(devices[0], {3}, {200ms, {}});
    ASSERT_TRUE(pinned.has_value()) << pinned.error().message;
    EXPECT_EQ(pinned->path, "/dev/ttyUSB42");
    auto absent = drivers::usb::find_at_port(devices[0], {5}, {200ms, {}});
    ASSERT_FALSE(absent.has_value());
    EXPECT_EQ(absent.error().reason, Reason::port_unavailable);
    EXPECT_EQ(absent.error().message,
              "1-1.2 (1199:9071): no tty on interface 5 (ttys on interfaces 0, 2, 3)");
}

TEST_F(UsbBench, NoTtyAnsweringIsNoResponse) {
    ASSERT_TRUE(m_bed.add_router(sierra(2, 41, {{0, "ttyUSB43"}, {3, "ttyUSB44"}})));
    ModemResponder a(m_bed, "ttyUSB43", ModemResponder::Mode::silent);
    ModemResponder b(m_bed, "ttyUSB44", ModemResponder::Mode::silent);
    auto bus = open_bus(HotplugMode::polling);
    ASSERT_TRUE(bus);
    const auto devices = enumerate(*bus);
    ASSERT_EQ(devices.size(), 1U);
    auto found = drivers::usb::find_at_port(devices[0], {}, {150ms, {}});
    ASSERT_FALSE(found.has_value());
    EXPECT_EQ(found.error().reason, Reason::no_response) << found.error().message;
    EXPECT_NE(found.error().message.find("no tty answered AT"), std::string::npos);
}

TEST_F(UsbBench, RouterVanishingWhileProbedIsPortLostNotAHang) {
    ASSERT_TRUE(m_bed.add_router(sierra(2, 50, {{3, "ttyUSB50"}})));
    ModemResponder unplugged(m_bed, "ttyUSB50", ModemResponder::Mode::hang_up);
    auto bus = open_bus(HotplugMode::polling);
    ASSERT_TRUE(bus);
    const auto devices = enumerate(*bus);
    ASSERT_EQ(devices.size(), 1U);
    const auto started = Clock::now();
    auto found = drivers::usb::find_at_port(devices[0], {}, {2000ms, {}});
    ASSERT_FALSE(found.has_value());
    EXPECT_EQ(found.error().reason, Reason::port_lost) << found.error().message;
    EXPECT_LT(Clock::now() - started, 2s);  // noticed at once, not at the deadline
}

TEST_F(UsbBench, RouterGoneBeforeProbeIsPortUnavailable) {
    ASSERT_TRUE(m_bed.add_router(sierra(2, 51, {{3, "ttyUSB51"}})));
    auto bus = open_bus(HotplugMode::polling);
    ASSERT_TRUE(bus);
    const auto devices = enumerate(*bus);
    ASSERT_EQ(devices.size(), 1U);
    m_bed.remove_router(2, false);  // sysfs entry gone; libserialport no longer knows the tty
    auto found = drivers::usb::find_at_port(devices[0], {}, {300ms, {}});
    ASSERT_FALSE(found.has_value());
    EXPECT_EQ(found.error().reason, Reason::port_unavailable) << found.error().message;
    EXPECT_TRUE(enumerate(*bus).empty());
}

}  // namespace
