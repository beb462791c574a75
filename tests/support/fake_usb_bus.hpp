// The UsbBus fake: a device list the test sets, hotplug wake-ups when it changes, and a
// failure to inject. Thread-safe, so a test can plug devices while a watcher waits.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <drivers/usb/usb_bus.hpp>

namespace tests {

class FakeUsbBus final : public drivers::usb::UsbBus {
  public:
    explicit FakeUsbBus(bool hotplug = true) : m_hotplug(hotplug) {}

    // Replaces what is plugged in; wakes a waiting wait_for_change() when hotplug is on.
    void set_devices(std::vector<drivers::usb::UsbDevice> devices);

    // Makes every enumerate() fail with `error` from now on (nullopt: succeed again).
    void set_failure(std::optional<station::core::Error> error);

    // How many times enumerate() ran.
    int enumerations() const;

    station::core::Result<std::vector<drivers::usb::UsbDevice>> enumerate(
        std::span<const drivers::usb::UsbMatch> filter) override;
    station::core::Result<bool> wait_for_change(drivers::usb::Clock::time_point deadline) override;
    bool has_hotplug() const override { return m_hotplug; }

  private:
    mutable std::mutex m_mutex;
    std::condition_variable m_changed_cv;
    std::vector<drivers::usb::UsbDevice> m_devices;
    std::optional<station::core::Error> m_failure;
    bool m_hotplug;
    bool m_changed = false;
    int m_enumerations = 0;
};

}  // namespace tests
