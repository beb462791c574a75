// What sysfs knows about a USB device that libusb does not say without opening it: its
// strings, and which tty each interface became.
//
// Why sysfs: libusb reads string descriptors only through an opened device (root or a udev
// rule), and knows nothing about ttys. The kernel publishes both under
// /sys/bus/usb/devices/<chain>/ (strings as attributes, ttys as children of the interface
// directories <chain>:<config>.<interface>). Plain opendir/open calls only: realpath() and
// std::filesystem::canonical crash under umockdev's preload (measured), and umockdev
// redirects these calls into its testbed.
#pragma once

#include <string>
#include <vector>

#include <drivers/usb/usb_device.hpp>

namespace drivers::usb {

struct SysfsLayout {
    std::string sys_root = "/sys";  // tests point this at a directory they built
    std::string dev_root = "/dev";
};

// Reads `manufacturer`, `product` and `serial` of the device at `chain` into `device`
// (missing attributes stay empty; each read is bounded to 256 bytes).
void read_usb_strings(const SysfsLayout& layout, const std::string& chain, UsbDevice& device);

// The ttys of the device at `chain`, ordered by interface number; empty when it has none or
// the device is gone.
std::vector<UsbTty> find_usb_ttys(const SysfsLayout& layout, const std::string& chain);

}  // namespace drivers::usb
