// DeviceWatcher over the FakeUsbBus: hotplug wake-ups, polling, settle, bus failures.
#include <drivers/usb/device_watcher.hpp>

#include <thread>

#include <gtest/gtest.h>

#include "fake_usb_bus.hpp"

namespace {

using drivers::usb::Clock;
using drivers::usb::DeviceWatcher;
using drivers::usb::UsbDevice;
using drivers::usb::UsbEventKind;
using drivers::usb::WatchOptions;
using namespace std::chrono_literals;

UsbDevice router(std::string chain, std::uint16_t vid = 0x1199) {
    UsbDevice d;
    d.port_chain = std::move(chain);
    d.vendor_id = vid;
    d.product_id = 0x9071;
    d.ttys = {{3, "/dev/ttyUSB2"}};
    return d;
}

WatchOptions options(std::chrono::milliseconds settle, std::chrono::milliseconds poll) {
    WatchOptions o;
    o.settle = settle;
    o.poll_interval = poll;
    return o;
}

TEST(DeviceWatcher, HotplugWakesItForAnArrivalThatThenSettles) {
    tests::FakeUsbBus bus(true);
    DeviceWatcher watcher(bus, options(50ms, 60s));
    const auto started = Clock::now();
    std::thread plug([&] {
        // Plugged once the watcher has listed the empty bus (it then waits for an event).
        const auto give_up = Clock::now() + 10s;
        while (bus.enumerations() == 0 && Clock::now() < give_up) std::this_thread::yield();
        bus.set_devices({router("1-1.2"), router("1-1.3", 0x0403)});  // one not Sierra
    });
    auto events = watcher.next(Clock::now() + 10s);
    plug.join();
    ASSERT_TRUE(events.has_value()) << events.error().message;
    ASSERT_EQ(events->size(), 1U);
    EXPECT_EQ((*events)[0].kind, UsbEventKind::arrived);
    EXPECT_EQ((*events)[0].device.port_chain, "1-1.2");
    EXPECT_GE(Clock::now() - started, 50ms);  // settled for 50 ms after it was plugged
    EXPECT_LT(Clock::now() - started, 5s);     // not the 60 s poll
    EXPECT_LE(bus.enumerations(), 10);         // woken by events, not spinning

    bus.set_devices({});
    events = watcher.next(Clock::now() + 10s);
    ASSERT_TRUE(events.has_value());
    ASSERT_EQ(events->size(), 1U);
    EXPECT_EQ((*events)[0].kind, UsbEventKind::departed);
}

TEST(DeviceWatcher, WithoutHotplugItPollsAndReturnsEmptyAtTheDeadline) {
    tests::FakeUsbBus bus(false);
    DeviceWatcher watcher(bus, options(0ms, 20ms));
    const auto started = Clock::now();
    auto events = watcher.next(started + 200ms);
    ASSERT_TRUE(events.has_value());
    EXPECT_TRUE(events->empty());
    EXPECT_GE(Clock::now() - started, 200ms);
    EXPECT_GE(bus.enumerations(), 5);  // about every 20 ms

    bus.set_devices({router("2-1")});
    events = watcher.next(Clock::now() + 5s);
    ASSERT_TRUE(events.has_value());
    ASSERT_EQ(events->size(), 1U);
    EXPECT_EQ(watcher.present().size(), 1U);
}

TEST(DeviceWatcher, BusFailureIsReturnedNotSwallowed) {
    tests::FakeUsbBus bus(true);
    bus.set_failure(station::core::Error{station::core::Reason::port_unavailable,
                                         "libusb: libusb_get_device_list: No device"});
    DeviceWatcher watcher(bus, options(0ms, 20ms));
    auto events = watcher.next(Clock::now() + 1s);
    ASSERT_FALSE(events.has_value());
    EXPECT_EQ(events.error().reason, station::core::Reason::port_unavailable);
    EXPECT_EQ(events.error().message, "libusb: libusb_get_device_list: No device");
}

}  // namespace
