// A USB device as the station sees it: where it is plugged in (its port chain, the slot's
// stable name), what it is (vid:pid, strings) and which tty each of its interfaces became.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace drivers::usb {

// Sierra Wireless' USB vendor id (DOMAIN.md, "USB").
inline constexpr std::uint16_t k_sierra_vendor_id = 0x1199;

// One tty a USB interface created: /dev/ttyUSBn (usb-serial) or /dev/ttyACMn (cdc-acm).
struct UsbTty {
    int interface_number = 0;
    std::string path;

    bool operator==(const UsbTty&) const = default;
};

struct UsbDevice {
    std::string port_chain;  // "1-1.3": bus, then the port on each hub from the root
    int bus = 0;
    int address = 0;  // changes on every re-enumeration
    std::uint16_t vendor_id = 0;
    std::uint16_t product_id = 0;
    std::string serial;  // raw device strings: sanitise before display
    std::string manufacturer;
    std::string product;
    std::vector<UsbTty> ttys;  // ordered by interface number

    bool operator==(const UsbDevice&) const = default;
};

// Which devices the station cares about: a vendor and, optionally, one product.
struct UsbMatch {
    std::uint16_t vendor_id = 0;
    std::optional<std::uint16_t> product_id;  // nullopt: any product of the vendor
};

// Until SKU profiles supply the list: every Sierra Wireless product.
std::vector<UsbMatch> default_filter();

// True when `filter` is empty or one of its entries matches.
bool matches(std::span<const UsbMatch> filter, std::uint16_t vendor_id, std::uint16_t product_id);

// "1199:9071".
std::string vid_pid(std::uint16_t vendor_id, std::uint16_t product_id);

// "1-1.3" from a bus number and the port numbers from the root hub down. Empty when `ports`
// is empty (a root hub has no chain).
std::string port_chain(int bus, std::span<const std::uint8_t> ports);

// True when `text` has the shape of a port chain: <bus>-<port>[.<port>]... (at most 7 ports,
// each 1..255, bus 1..255).
bool is_port_chain(std::string_view text);

}  // namespace drivers::usb
