// The USB bus behind a small interface: enumerate now, or wait for the bus to change.
// One real implementation (libusb + sysfs, libusb_bus.hpp) and one fake for tests
// (tests/support/fake_usb_bus.hpp). Not thread-safe: one thread drives one bus.
#pragma once

#include <chrono>
#include <span>
#include <vector>

#include <drivers/usb/usb_device.hpp>
#include <station/core/result.hpp>

namespace drivers::usb {

using Clock = std::chrono::steady_clock;
using station::core::Result;

class UsbBus {
  public:
    virtual ~UsbBus() = default;
    UsbBus() = default;
    UsbBus(const UsbBus&) = delete;
    UsbBus& operator=(const UsbBus&) = delete;

    // The devices present now that match `filter` (empty: all), each with its tty interfaces,
    // ordered by port chain. Root hubs are never listed. Fails with port_unavailable when the
    // bus cannot be read.
    virtual Result<std::vector<UsbDevice>> enumerate(std::span<const UsbMatch> filter) = 0;

    // Waits until the bus reports a hotplug event or `deadline` passes. Returns true when an
    // event arrived (something may have changed), false at the deadline. A bus without
    // hotplug simply waits for the deadline: callers poll enumerate() on their own schedule.
    virtual Result<bool> wait_for_change(Clock::time_point deadline) = 0;

    // True when wait_for_change() can wake early on hotplug events.
    virtual bool has_hotplug() const = 0;
};

}  // namespace drivers::usb
