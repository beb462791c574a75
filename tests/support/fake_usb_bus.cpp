#include "fake_usb_bus.hpp"

namespace tests {

void FakeUsbBus::set_devices(std::vector<drivers::usb::UsbDevice> devices) {
    {
        const std::lock_guard lock(m_mutex);
        m_devices = std::move(devices);
        m_changed = true;
    }
    m_changed_cv.notify_all();
}

void FakeUsbBus::set_failure(std::optional<station::core::Error> error) {
    const std::lock_guard lock(m_mutex);
    m_failure = std::move(error);
}

int FakeUsbBus::enumerations() const {
    const std::lock_guard lock(m_mutex);
    return m_enumerations;
}

station::core::Result<std::vector<drivers::usb::UsbDevice>> FakeUsbBus::enumerate(
    std::span<const drivers::usb::UsbMatch> filter) {
    const std::lock_guard lock(m_mutex);
    ++m_enumerations;
    if (m_failure) return tl::unexpected(*m_failure);
    std::vector<drivers::usb::UsbDevice> out;
    for (const auto& device : m_devices) {
        if (drivers::usb::matches(filter, device.vendor_id, device.product_id)) {
            out.push_back(device);
        }
    }
    return out;
}

station::core::Result<bool> FakeUsbBus::wait_for_change(drivers::usb::Clock::time_point deadline) {
    std::unique_lock lock(m_mutex);
    if (!m_hotplug) {
        lock.unlock();
        std::this_thread::sleep_until(deadline);
        return false;
    }
    const bool changed = m_changed_cv.wait_until(lock, deadline, [this] { return m_changed; });
    m_changed = false;
    return changed;
}

}  // namespace tests
