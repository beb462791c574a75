// The rig learn rules over the fake USB bus: the test plugs the next router when learning asks
// for it (no sleeps), and a router plugged in before learning began is never learnt.
#include <station/workflows/rig_learn.hpp>

#include <gtest/gtest.h>

#include "fake_usb_bus.hpp"

namespace {

using station::workflows::LearnEnd;
using station::workflows::LearnEvent;
using Kind = station::workflows::LearnEvent::Kind;
using namespace std::chrono_literals;

drivers::usb::UsbDevice router_at(std::string chain, int address) {
    drivers::usb::UsbDevice d;
    d.port_chain = std::move(chain);
    d.address = address;
    d.vendor_id = 0x1199;
    d.product_id = 0x9071;
    d.serial = "LF" + std::to_string(address);
    d.ttys = {{3, "/dev/ttyUSB" + std::to_string(address)}};
    return d;
}

station::workflows::LearnOptions options(std::vector<std::string> labels) {
    station::workflows::LearnOptions o;
    o.labels = std::move(labels);
    o.settle = 0ms;
    o.deadline = std::chrono::steady_clock::now() + 30s;
    return o;
}

TEST(RigLearn, EachNewRouterTakesTheNextLabel) {
    tests::FakeUsbBus bus(true);
    const auto old = router_at("1-1.9", 9);
    bus.set_devices({old});
    std::vector<LearnEvent> seen;
    auto o = options({"A1", "A2"});
    o.on_event = [&](const LearnEvent& e) {
        seen.push_back(e);
        if (e.kind == Kind::prompt) bus.set_devices({old, router_at("1-1.1", 1)});
        // A1 re-enumerates (a new address): it departs and arrives again, and stays A1.
        if (e.kind == Kind::learned && e.label == "A1")
            bus.set_devices({old, router_at("1-1.1", 2)});
        if (e.kind == Kind::again)
            bus.set_devices({old, router_at("1-1.1", 2), router_at("1-1.2", 3)});
    };
    const auto learnt = station::workflows::learn_rig(bus, o);
    ASSERT_TRUE(learnt.has_value()) << learnt.error().message;
    EXPECT_EQ(learnt->end, LearnEnd::done);
    ASSERT_EQ(learnt->rig.slots.size(), 2U);
    EXPECT_EQ(learnt->rig.slots[0].label, "A1");
    EXPECT_EQ(learnt->rig.slots[0].usb, "1-1.1");
    EXPECT_EQ(learnt->rig.slots[1].label, "A2");
    EXPECT_EQ(learnt->rig.slots[1].usb, "1-1.2");

    ASSERT_EQ(seen.size(), 5U);
    EXPECT_EQ(seen[0].kind, Kind::ignoring);
    EXPECT_EQ(seen[0].count, 1U);
    EXPECT_EQ(seen[1].kind, Kind::prompt);
    EXPECT_EQ(seen[1].next, "A1");
    EXPECT_EQ(seen[2].kind, Kind::learned);
    EXPECT_EQ(seen[2].device.serial, "LF1");
    EXPECT_EQ(seen[2].next, "A2");
    EXPECT_EQ(seen[3].kind, Kind::again);
    EXPECT_EQ(seen[3].label, "A1");
    EXPECT_EQ(seen[3].next, "A2");
    EXPECT_EQ(seen[4].kind, Kind::learned);
    EXPECT_EQ(seen[4].label, "A2");
    EXPECT_EQ(seen[4].next, "");
}

struct EndCase {
    const char* name;
    bool stop;
    std::chrono::milliseconds timeout;
    LearnEnd end;
};

class RigLearnEnds : public testing::TestWithParam<EndCase> {};

TEST_P(RigLearnEnds, StopOrDeadlineEndsWithWhatWasLearnt) {
    tests::FakeUsbBus bus(true);
    auto o = options({"A1"});
    o.deadline = std::chrono::steady_clock::now() + GetParam().timeout;
    o.stop = [stop = GetParam().stop] { return stop; };
    const auto learnt = station::workflows::learn_rig(bus, o);
    ASSERT_TRUE(learnt.has_value());
    EXPECT_EQ(learnt->end, GetParam().end);
    EXPECT_TRUE(learnt->rig.slots.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, RigLearnEnds,
    testing::Values(EndCase{"stopped", true, 30s, LearnEnd::stopped},
                    EndCase{"deadline_now", false, 0ms, LearnEnd::timed_out},
                    EndCase{"deadline_50ms", false, 50ms, LearnEnd::timed_out}),
    [](const testing::TestParamInfo<EndCase>& p) { return std::string(p.param.name); });

TEST(RigLearn, BusFailureIsTheError) {
    tests::FakeUsbBus bus(true);
    bus.set_failure(station::core::Error{station::core::Reason::port_unavailable, "no bus"});
    const auto learnt = station::workflows::learn_rig(bus, options({"A1"}));
    ASSERT_FALSE(learnt.has_value());
    EXPECT_EQ(learnt.error().message, "no bus");
}

}  // namespace
