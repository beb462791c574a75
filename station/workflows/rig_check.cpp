#include <station/workflows/rig_check.hpp>

#include <algorithm>
#include <map>

#include <station/core/sanitize.hpp>

namespace station::workflows {
namespace {

using core::sanitize_for_display;

// The problem a row's state is, if any ("" when none).
std::string state_problem(const ScanRow& row) {
    const std::string who = row.slot.empty() ? "" : "slot " + row.slot + ": ";
    switch (row.state) {
        case SlotState::empty:
            return who + "no device at " + row.port_chain;
        case SlotState::missing:
            return who + sanitize_for_display(row.at_port, 200) + " does not exist";
        case SlotState::unknown:
            return "unknown device " + device_text(*row.device) + " at " + row.port_chain +
                   " (not in the rig)";
        default:
            return "";
    }
}

}  // namespace

std::vector<std::string> check_problems(const std::vector<ScanRow>& rows) {
    std::vector<std::string> problems;
    std::map<std::string, std::string> serials;  // USB serial -> where first seen
    for (const auto& row : rows) {
        if (auto problem = state_problem(row); !problem.empty()) {
            problems.push_back(std::move(problem));
        }
        if (!row.device || row.device->serial.empty()) continue;
        const std::string here = row.slot.empty() ? row.port_chain : "slot " + row.slot;
        if (const auto [it, fresh] = serials.emplace(row.device->serial, here); !fresh) {
            problems.push_back("duplicate USB serial " +
                               sanitize_for_display(row.device->serial, 64) + " at " + it->second +
                               " and " + here);
        }
    }
    return problems;
}

core::Result<RigCheck> check_rig(const fixtures::rig::Rig& rig, const DeviceLister& list) {
    std::vector<drivers::usb::UsbDevice> devices;
    const bool has_usb = std::any_of(rig.slots.begin(), rig.slots.end(), [](const auto& s) {
        return s.kind == fixtures::rig::SlotKind::usb;
    });
    if (has_usb) {
        auto listed = list();
        if (!listed) {
            return core::fail(listed.error().reason,
                              "cannot list USB devices: " + listed.error().message);
        }
        devices = std::move(*listed);
    }
    const auto rows = build_rows(&rig, devices);
    RigCheck check;
    check.problems = check_problems(rows);
    check.slots = rig.slots.size();
    check.devices = devices.size();
    check.simulated =
        static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const ScanRow& row) {
            return row.state == SlotState::simulated;
        }));
    return check;
}

}  // namespace station::workflows
