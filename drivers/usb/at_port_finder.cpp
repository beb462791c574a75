#include <drivers/usb/at_port_finder.hpp>

#include <algorithm>

#include <drivers/at/channel.hpp>
#include <station/core/sanitize.hpp>

namespace drivers::usb {
namespace {

using station::core::Error;
using station::core::fail;
using station::core::Reason;
using station::core::sanitize_for_display;

std::string where(const UsbDevice& device) {
    return device.port_chain + " (" + vid_pid(device.vendor_id, device.product_id) + ")";
}

std::string interface_list(const UsbDevice& device) {
    std::string list;
    for (const auto& tty : device.ttys) {
        list += (list.empty() ? "" : ", ") + std::to_string(tty.interface_number);
    }
    return list.empty() ? "none" : list;
}

// The reason for "no tty answered": a vanished port explains the rest, then "none opened".
Reason summarise(const std::vector<Error>& errors) {
    const auto has = [&](Reason r) {
        return std::any_of(errors.begin(), errors.end(),
                           [r](const Error& e) { return e.reason == r; });
    };
    if (has(Reason::port_lost)) return Reason::port_lost;
    const bool all_unavailable = std::all_of(errors.begin(), errors.end(), [](const Error& e) {
        return e.reason == Reason::port_unavailable;
    });
    return all_unavailable ? Reason::port_unavailable : Reason::no_response;
}

}  // namespace

station::core::Result<void> probe_at(const std::string& path, const ProbeOptions& options) {
    auto port = options.open(path, options.settings);
    if (!port) return tl::unexpected(port.error());
    at::ChannelLimits limits;
    limits.sync_attempts = 2;
    limits.sync_timeout = options.timeout;
    limits.max_drain = options.timeout;
    at::Channel channel(**port, limits);
    return channel.synchronize();
}

station::core::Result<AtPort> find_at_port(const UsbDevice& device, const AtPortRule& rule,
                                           const ProbeOptions& options) {
    if (device.ttys.empty()) {
        return fail(Reason::port_unavailable,
                    where(device) + ": no tty interfaces (driver not bound, or still booting)");
    }
    if (rule.pinned_interface) {
        for (const auto& tty : device.ttys) {
            if (tty.interface_number == *rule.pinned_interface) {
                return AtPort{tty.path, tty.interface_number};
            }
        }
        return fail(Reason::port_unavailable, where(device) + ": no tty on interface " +
                                                  std::to_string(*rule.pinned_interface) +
                                                  " (ttys on interfaces " + interface_list(device) +
                                                  ")");
    }
    std::vector<Error> errors;
    std::string details;
    for (const auto& tty : device.ttys) {
        auto probed = probe_at(tty.path, options);
        if (probed) return AtPort{tty.path, tty.interface_number};
        details += (details.empty() ? "" : "; ") + std::string("interface ") +
                   std::to_string(tty.interface_number) + ": " +
                   sanitize_for_display(probed.error().message, 200);
        errors.push_back(probed.error());
    }
    return fail(summarise(errors), where(device) + ": no tty answered AT (" + details + ")");
}

}  // namespace drivers::usb
