// The rig check rules over a device list the test gives (no libusb): every problem sentence,
// the counts, and a lister that fails or is not needed.
#include <station/workflows/rig_check.hpp>

#include <gtest/gtest.h>

namespace {

using fixtures::rig::SlotKind;
using station::core::Reason;
using station::workflows::check_rig;

drivers::usb::UsbDevice listed_router(std::string chain, std::string serial) {
    drivers::usb::UsbDevice d;
    d.port_chain = std::move(chain);
    d.vendor_id = 0x1199;
    d.product_id = 0x9071;
    d.serial = std::move(serial);
    return d;
}

struct Lister {
    std::vector<drivers::usb::UsbDevice> devices;
    int calls = 0;
    station::workflows::DeviceLister fn() {
        return [this]() -> station::core::Result<std::vector<drivers::usb::UsbDevice>> {
            ++calls;
            return devices;
        };
    }
};

TEST(RigCheck, EveryProblemOnceInRowOrder) {
    fixtures::rig::Rig rig;
    rig.slots = {{"A1", SlotKind::usb, "1-1.1", "", "", {}, 1},
                 {"A2", SlotKind::usb, "1-1.2", "", "", {}, 2},
                 {"X1", SlotKind::port, "", "/nonexistent/tty\x1b", "", {}, 3},
                 {"S1", SlotKind::sim, "", "", "xr90-na", {}, 4}};
    Lister list{
        {listed_router("1-1.1", "LF1"), listed_router("1-1.7", "LF1"), listed_router("1-1.8", "")},
        0};
    const auto check = check_rig(rig, list.fn());
    ASSERT_TRUE(check.has_value()) << check.error().message;
    EXPECT_EQ(list.calls, 1);
    EXPECT_EQ(check->problems, (std::vector<std::string>{
                                   "slot A2: no device at 1-1.2",
                                   "slot X1: /nonexistent/tty\\x1b does not exist",
                                   "unknown device 1199:9071 serial LF1 at 1-1.7 (not in the rig)",
                                   "duplicate USB serial LF1 at slot A1 and 1-1.7",
                                   "unknown device 1199:9071 at 1-1.8 (not in the rig)",
                               }));
    EXPECT_EQ(check->slots, 4U);
    EXPECT_EQ(check->devices, 3U);
    EXPECT_EQ(check->simulated, 1U);
}

TEST(RigCheck, NoUsbSlotNeverListsDevices) {
    fixtures::rig::Rig rig;
    rig.slots = {{"S1", SlotKind::sim, "", "", "xr90-na", {}, 1}};
    Lister list{{listed_router("1-1.1", "LF1")}, 0};
    const auto check = check_rig(rig, list.fn());
    ASSERT_TRUE(check.has_value());
    EXPECT_EQ(list.calls, 0);
    EXPECT_TRUE(check->problems.empty());
    EXPECT_EQ(check->devices, 0U);
}

TEST(RigCheck, ListerFailureIsTheError) {
    fixtures::rig::Rig rig;
    rig.slots = {{"A1", SlotKind::usb, "1-1.1", "", "", {}, 1}};
    const auto check =
        check_rig(rig, []() -> station::core::Result<std::vector<drivers::usb::UsbDevice>> {
            return station::core::fail(Reason::port_unavailable, "libusb: no bus");
        });
    ASSERT_FALSE(check.has_value());
    EXPECT_EQ(check.error().reason, Reason::port_unavailable);
    EXPECT_EQ(check.error().message, "cannot list USB devices: libusb: no bus");
}

}  // namespace
