#include <drivers/usb/device_watcher.hpp>

#include <algorithm>

namespace drivers::usb {

DeviceWatcher::DeviceWatcher(UsbBus& bus, WatchOptions options)
    : m_bus(bus), m_options(std::move(options)), m_debouncer(m_options.settle) {}

Result<std::vector<UsbEvent>> DeviceWatcher::next(Clock::time_point deadline) {
    while (true) {
        auto snapshot = m_bus.enumerate(m_options.filter);
        if (!snapshot) return tl::unexpected(snapshot.error());
        const auto now = Clock::now();
        auto events = m_debouncer.update(*snapshot, now);
        if (!events.empty() || now >= deadline) return events;

        auto wake = std::min(deadline, now + m_options.poll_interval);
        if (const auto due = m_debouncer.next_due()) wake = std::min(wake, std::max(*due, now));
        if (auto waited = m_bus.wait_for_change(wake); !waited) {
            return tl::unexpected(waited.error());
        }
    }
}

}  // namespace drivers::usb
