// The real UsbBus: libusb-1.0 for the device list, port chains and hotplug events; sysfs
// (sysfs.hpp) for strings and ttys.
//
// Why two modes: with hotplug, libusb keeps its device list up to date from udev events on
// one long-lived context, and wait_for_change() wakes on them. Without hotplug (or when
// asked for polling), libusb's list would never change on that context, so every enumerate()
// uses a fresh context and callers poll. Under umockdev 0.17.16 with libusb 1.0.26 both work:
// libusb reports LIBUSB_CAP_HAS_HOTPLUG and delivers arrived/left callbacks for devices the
// testbed adds or removes when the test sends the matching uevent (measured here).
#pragma once

#include <memory>

#include <drivers/usb/sysfs.hpp>
#include <drivers/usb/usb_bus.hpp>

namespace drivers::usb {

enum class HotplugMode {
    automatic,  // libusb hotplug when libusb_has_capability says so, polling otherwise
    polling,    // never use hotplug: a fresh libusb context per enumerate()
};

struct LibusbOptions {
    HotplugMode hotplug = HotplugMode::automatic;
    SysfsLayout sysfs;
};

// Opens libusb. Fails with port_unavailable (with libusb's message) when libusb cannot start,
// e.g. no /dev/bus/usb.
Result<std::unique_ptr<UsbBus>> open_libusb_bus(const LibusbOptions& options = {});

}  // namespace drivers::usb
