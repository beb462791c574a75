#include <station/workflows/scan_rows.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include <drivers/usb/libusb_bus.hpp>
#include <station/core/sanitize.hpp>
#include <station/workflows/at_line.hpp>

namespace station::workflows {
namespace {

using drivers::usb::UsbDevice;
using fixtures::rig::SlotKind;

bool path_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

ScanRow device_row(std::string slot, const UsbDevice& device) {
    ScanRow row;
    row.slot = std::move(slot);
    row.port_chain = device.port_chain;
    row.device = device;
    row.state = SlotState::pending;
    return row;
}

ScanRow rig_row(const fixtures::rig::Slot& slot, const std::vector<UsbDevice>& devices) {
    ScanRow row;
    row.slot = slot.label;
    switch (slot.kind) {
        case SlotKind::usb: {
            const auto it = std::find_if(devices.begin(), devices.end(), [&](const UsbDevice& d) {
                return d.port_chain == slot.usb;
            });
            if (it != devices.end()) return device_row(slot.label, *it);
            row.port_chain = slot.usb;
            row.state = SlotState::empty;
            break;
        }
        case SlotKind::port:
            row.at_port = slot.port;
            row.state = path_exists(slot.port) ? SlotState::ready : SlotState::missing;
            break;
        case SlotKind::sim:
            row.state = SlotState::simulated;
            break;
    }
    return row;
}

void resolve_row(ScanRow& row, const ResolveOptions& options) {
    if (row.state == SlotState::pending && row.device) {
        auto probe = options.probe;
        probe.open = options.open;
        auto found = drivers::usb::find_at_port(*row.device, options.at_rule, probe);
        if (found) {
            row.at_port = found->path;
            row.at_interface = found->interface_number;
            row.state = SlotState::ready;
        } else {
            row.problem = found.error();
            row.state = SlotState::no_at_port;
        }
    }
    if (options.identify && row.state == SlotState::ready) {
        LineOptions line;
        line.sync_timeout = options.command_timeout;
        record_identity(row,
                        identify_at(options.open, row.at_port, drivers::router::default_plan(),
                                    line,
                                    {options.command_timeout, nullptr, options.concat,
                                     options.concat_memory}),
                        &options.sku);
    }
}

}  // namespace

std::string_view to_string(SlotState state) {
    switch (state) {
        case SlotState::ready:
            return "ready";
        case SlotState::pending:
            return "pending";
        case SlotState::empty:
            return "empty";
        case SlotState::missing:
            return "missing";
        case SlotState::no_at_port:
            return "no_at_port";
        case SlotState::unknown:
            return "unknown";
        case SlotState::simulated:
            return "simulated";
    }
    return "unknown";
}

std::string device_text(const UsbDevice& device) {
    std::string text = drivers::usb::vid_pid(device.vendor_id, device.product_id);
    if (!device.serial.empty()) {
        text += " serial " + core::sanitize_for_display(device.serial, 64);
    }
    return text;
}

core::Result<std::vector<UsbDevice>> list_usb_devices(
    const std::vector<drivers::usb::UsbMatch>& filter) {
    auto bus = drivers::usb::open_libusb_bus({drivers::usb::HotplugMode::polling, {}});
    if (!bus) return tl::unexpected(bus.error());
    return (*bus)->enumerate(filter);
}

std::vector<ScanRow> build_rows(const fixtures::rig::Rig* rig,
                                const std::vector<UsbDevice>& devices) {
    std::vector<ScanRow> rows;
    if (rig == nullptr) {
        for (const auto& device : devices) rows.push_back(device_row("", device));
        return rows;
    }
    std::set<std::string> listed;
    for (const auto& slot : rig->slots) {
        rows.push_back(rig_row(slot, devices));
        if (slot.kind == SlotKind::usb) listed.insert(slot.usb);
    }
    for (const auto& device : devices) {
        if (listed.count(device.port_chain) != 0) continue;
        ScanRow row = device_row("", device);
        row.state = SlotState::unknown;
        rows.push_back(std::move(row));
    }
    return rows;
}

void resolve_rows(std::vector<ScanRow>& rows, const ResolveOptions& options) {
    if (rows.empty()) return;
    const std::size_t workers = std::clamp<std::size_t>(options.max_parallel, 1, rows.size());
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i) {
        threads.emplace_back([&] {
            for (std::size_t at = next++; at < rows.size(); at = next++) {
                resolve_row(rows[at], options);
            }
        });
    }
    for (auto& thread : threads) thread.join();
}

void record_identity(ScanRow& row, drivers::router::IdentifyReport report, const SkuRules* rules) {
    if (rules && !rules->skus.empty() && report.verdict.outcome == core::Outcome::pass) {
        const auto& skus = rules->skus;
        const auto expected = std::find_if(
            skus.begin(), skus.end(), [&](const auto& sku) { return sku.name == rules->expect; });
        const auto& manifest = rules->manifest;
        row.sku = core::decide_sku(
            report.identity, {skus, &rules->tables, expected == skus.end() ? nullptr : &*expected,
                              manifest ? &*manifest : nullptr});
        report.verdict = {row.sku->outcome, row.sku->reason, row.sku->message};
    }
    row.identify = std::move(report);
}

}  // namespace station::workflows
