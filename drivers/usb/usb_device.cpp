#include <drivers/usb/usb_device.hpp>

#include <algorithm>
#include <cstdio>
#include <station/core/text.hpp>

namespace drivers::usb {
namespace {

// Parses a decimal number 1..255 with no sign or leading zero.
bool is_small_number(std::string_view text) {
    if (text.empty() || text.size() > 3 || text.front() == '0') return false;
    const auto value = station::core::parse_integer<int>(text);
    return value && *value >= 1 && *value <= 255;
}

}  // namespace

std::vector<UsbMatch> default_filter() {
    return {UsbMatch{k_sierra_vendor_id, std::nullopt}};
}

bool matches(std::span<const UsbMatch> filter, std::uint16_t vendor_id, std::uint16_t product_id) {
    if (filter.empty()) return true;
    return std::any_of(filter.begin(), filter.end(), [&](const UsbMatch& m) {
        return m.vendor_id == vendor_id && (!m.product_id || *m.product_id == product_id);
    });
}

std::string vid_pid(std::uint16_t vendor_id, std::uint16_t product_id) {
    char text[10];
    std::snprintf(text, sizeof text, "%04x:%04x", static_cast<unsigned>(vendor_id),
                  static_cast<unsigned>(product_id));
    return text;
}

std::string port_chain(int bus, std::span<const std::uint8_t> ports) {
    if (ports.empty()) return {};
    std::string chain = std::to_string(bus) + "-";
    for (std::size_t i = 0; i < ports.size(); ++i) {
        if (i > 0) chain += '.';
        chain += std::to_string(ports[i]);
    }
    return chain;
}

bool is_port_chain(std::string_view text) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos || !is_small_number(text.substr(0, dash))) return false;
    std::string_view rest = text.substr(dash + 1);
    int ports = 0;
    while (true) {
        const auto dot = rest.find('.');
        if (!is_small_number(rest.substr(0, dot)) || ++ports > 7) return false;
        if (dot == std::string_view::npos) return true;
        rest = rest.substr(dot + 1);
    }
}

}  // namespace drivers::usb
