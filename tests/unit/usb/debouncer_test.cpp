// Debouncer: arrivals only after a stable settle time, departures at once, re-enumeration.
#include <drivers/usb/debouncer.hpp>

#include <gtest/gtest.h>

namespace {

using drivers::usb::Debouncer;
using drivers::usb::UsbDevice;
using drivers::usb::UsbEventKind;
using namespace std::chrono_literals;

UsbDevice device(std::string chain, int address, std::vector<drivers::usb::UsbTty> ttys = {}) {
    UsbDevice d;
    d.port_chain = std::move(chain);
    d.bus = 1;
    d.address = address;
    d.vendor_id = 0x1199;
    d.product_id = 0x9071;
    d.ttys = std::move(ttys);
    return d;
}

const Debouncer::Clock::time_point t0{};

TEST(Debouncer, ArrivesOnlyAfterTheSettleTime) {
    Debouncer debouncer(2000ms);
    const std::vector<UsbDevice> snapshot{device("1-1.3", 5, {{3, "/dev/ttyUSB2"}})};
    EXPECT_TRUE(debouncer.update(snapshot, t0).empty());
    EXPECT_EQ(debouncer.next_due(), t0 + 2000ms);
    EXPECT_EQ(debouncer.pending(), std::vector<std::string>{"1-1.3"});
    EXPECT_TRUE(debouncer.update(snapshot, t0 + 1999ms).empty());
    const auto events = debouncer.update(snapshot, t0 + 2000ms);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, UsbEventKind::arrived);
    EXPECT_EQ(events[0].device, snapshot[0]);
    EXPECT_FALSE(debouncer.next_due().has_value());
    EXPECT_TRUE(debouncer.update(snapshot, t0 + 5000ms).empty());  // announced once
    EXPECT_EQ(debouncer.present().size(), 1U);
}

TEST(Debouncer, EveryChangeWhileBootingRestartsTheWait) {
    Debouncer debouncer(1000ms);
    EXPECT_TRUE(debouncer.update({device("1-2", 4)}, t0).empty());
    EXPECT_TRUE(debouncer.update({device("1-2", 5, {{0, "/dev/ttyUSB0"}})}, t0 + 900ms).empty());
    EXPECT_TRUE(debouncer.update({}, t0 + 1000ms).empty());  // gone for a moment
    const auto final_device = device("1-2", 6, {{0, "/dev/ttyUSB1"}, {3, "/dev/ttyUSB2"}});
    EXPECT_TRUE(debouncer.update({final_device}, t0 + 1100ms).empty());
    EXPECT_TRUE(debouncer.update({final_device}, t0 + 2099ms).empty());
    const auto events = debouncer.update({final_device}, t0 + 2100ms);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].device.address, 6);
}

TEST(Debouncer, DepartsAtOnceAndAChangedDeviceArrivesAgain) {
    Debouncer debouncer(100ms);
    const auto first = device("1-1.1", 7, {{3, "/dev/ttyUSB2"}});
    debouncer.update({first}, t0);
    ASSERT_EQ(debouncer.update({first}, t0 + 100ms).size(), 1U);

    auto events = debouncer.update({}, t0 + 150ms);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, UsbEventKind::departed);
    EXPECT_EQ(events[0].device, first);

    // Back with a new address, then it changes in place: departs and settles again.
    const auto second = device("1-1.1", 8, {{3, "/dev/ttyUSB4"}});
    debouncer.update({second}, t0 + 200ms);
    ASSERT_EQ(debouncer.update({second}, t0 + 300ms).size(), 1U);
    const auto third = device("1-1.1", 9, {{3, "/dev/ttyUSB5"}});
    events = debouncer.update({third}, t0 + 400ms);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, UsbEventKind::departed);
    EXPECT_EQ(events[0].device, second);
    events = debouncer.update({third}, t0 + 500ms);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, UsbEventKind::arrived);
    EXPECT_EQ(events[0].device, third);
}

// Provisioning's rule (need_ttys): a device counts from its first tty; losing them is leaving.
TEST(Debouncer, WithNeedTtysADeviceSettlesFromItsFirstTty) {
    Debouncer debouncer(100ms, /*need_ttys=*/true);
    EXPECT_TRUE(debouncer.update({device("1-2", 4)}, t0).empty());
    EXPECT_TRUE(debouncer.pending().empty());
    EXPECT_FALSE(debouncer.next_due().has_value());
    const auto ready = device("1-2", 4, {{3, "/dev/ttyUSB2"}});
    EXPECT_TRUE(debouncer.update({ready}, t0 + 500ms).empty());
    EXPECT_EQ(debouncer.next_due(), t0 + 600ms);
    auto events = debouncer.update({ready}, t0 + 600ms);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, UsbEventKind::arrived);
    events = debouncer.update({device("1-2", 4)}, t0 + 700ms);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, UsbEventKind::departed);
    EXPECT_EQ(events[0].device, ready);
    EXPECT_TRUE(debouncer.present().empty());
}

TEST(Debouncer, OrdersDeparturesBeforeArrivalsByPortChain) {
    Debouncer debouncer(0ms);
    ASSERT_EQ(debouncer.update({device("1-1.2", 1), device("1-1.1", 2)}, t0).size(), 2U);
    const auto events = debouncer.update({device("1-1.4", 3), device("1-1.3", 4)}, t0 + 1ms);
    ASSERT_EQ(events.size(), 4U);
    EXPECT_EQ(events[0].kind, UsbEventKind::departed);
    EXPECT_EQ(events[0].device.port_chain, "1-1.1");
    EXPECT_EQ(events[1].device.port_chain, "1-1.2");
    EXPECT_EQ(events[2].kind, UsbEventKind::arrived);
    EXPECT_EQ(events[2].device.port_chain, "1-1.3");
    EXPECT_EQ(events[3].device.port_chain, "1-1.4");
}

}  // namespace
