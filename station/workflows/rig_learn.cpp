#include <station/workflows/rig_learn.hpp>

#include <map>
#include <set>

#include <drivers/usb/device_watcher.hpp>

namespace station::workflows {
namespace {

using Clock = std::chrono::steady_clock;
using drivers::usb::UsbEvent;
using drivers::usb::UsbEventKind;

struct Learning {
    const LearnOptions& options;
    std::set<std::string> ignored;               // port chains plugged in before learning began
    std::map<std::string, std::string> learned;  // port chain -> label
    fixtures::rig::Rig rig;

    std::string next_label() const {
        const auto& labels = options.labels;
        return rig.slots.size() < labels.size() ? labels[rig.slots.size()] : "";
    }
    bool complete() const { return rig.slots.size() >= options.labels.size(); }

    void take(const UsbEvent& event) {
        const auto& device = event.device;
        if (event.kind == UsbEventKind::departed) {
            ignored.erase(device.port_chain);
            return;
        }
        if (ignored.count(device.port_chain) != 0 || complete()) return;
        if (const auto seen = learned.find(device.port_chain); seen != learned.end()) {
            options.on_event({LearnEvent::Kind::again, 0, seen->second, next_label(), device});
            return;
        }
        const std::string label = next_label();
        rig.slots.push_back(
            {label, fixtures::rig::SlotKind::usb, device.port_chain, "", "", {}, 0});
        learned.emplace(device.port_chain, label);
        options.on_event({LearnEvent::Kind::learned, 0, label, next_label(), device});
    }
};

}  // namespace

core::Result<Learnt> learn_rig(drivers::usb::UsbBus& bus, const LearnOptions& options) {
    drivers::usb::WatchOptions watch;
    watch.settle = options.settle;
    drivers::usb::DeviceWatcher watcher(bus, watch);
    Learning learning{options, {}, {}, {}};
    // Routers already plugged in when learning starts are not new: ignored until unplugged.
    auto already = bus.enumerate(watch.filter);
    if (!already) return tl::unexpected(already.error());
    for (const auto& device : *already) learning.ignored.insert(device.port_chain);
    if (!learning.ignored.empty()) {
        options.on_event({LearnEvent::Kind::ignoring, learning.ignored.size(), "", "", {}});
    }
    options.on_event({LearnEvent::Kind::prompt, 0, "", learning.next_label(), {}});
    while (!learning.complete()) {
        if (options.stop()) return Learnt{std::move(learning.rig), LearnEnd::stopped};
        if (Clock::now() >= options.deadline) {
            return Learnt{std::move(learning.rig), LearnEnd::timed_out};
        }
        auto events =
            watcher.next(std::min(options.deadline, Clock::now() + std::chrono::milliseconds(200)));
        if (!events) return tl::unexpected(events.error());
        for (const auto& event : *events) learning.take(event);
    }
    return Learnt{std::move(learning.rig), LearnEnd::done};
}

}  // namespace station::workflows
