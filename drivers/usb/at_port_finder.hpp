// Finds a USB router's AT port among its ttys: the interface a profile pins, or the first tty
// that answers `AT` with a clean OK (DOMAIN.md: the AT port is often interface 3, but the
// module's layout can be changed, so probing is the default).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <drivers/serial/port_opener.hpp>
#include <drivers/usb/usb_device.hpp>
#include <station/core/result.hpp>

namespace drivers::usb {

struct AtPortRule {
    std::optional<int> pinned_interface;  // nullopt: probe every tty with AT
};

struct ProbeOptions {
    std::chrono::milliseconds timeout{500};  // per tty: how long one AT may go unanswered
    serial::Settings settings;
    serial::PortOpener open = serial::system_ports();  // how each tty is opened
};

struct AtPort {
    std::string path;
    int interface_number = 0;
};

// The AT port of `device`. Probing opens each tty in interface order and synchronises an AT
// channel on it, each bounded by `options.timeout` (two attempts at most). Fails with
// port_unavailable when there is no tty (or none on the pinned interface, or none could be
// opened), port_lost when a tty vanished while probed, no_response when none answered.
station::core::Result<AtPort> find_at_port(const UsbDevice& device, const AtPortRule& rule,
                                           const ProbeOptions& options = {});

// Synchronises an AT channel on `path` once, bounded as find_at_port does.
station::core::Result<void> probe_at(const std::string& path, const ProbeOptions& options);

}  // namespace drivers::usb
