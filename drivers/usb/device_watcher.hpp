// Watches a UsbBus for debounced arrivals and departures: enumerates on every hotplug event
// and at least every `poll_interval` (ttys appear after their USB device, with no event of
// their own), and feeds the snapshots to a Debouncer.
#pragma once

#include <chrono>
#include <vector>

#include <drivers/usb/debouncer.hpp>
#include <drivers/usb/usb_bus.hpp>

namespace drivers::usb {

struct WatchOptions {
    std::vector<UsbMatch> filter = default_filter();
    std::chrono::milliseconds settle{2000};        // a device must look the same this long
    std::chrono::milliseconds poll_interval{250};  // longest time between two enumerations
};

class DeviceWatcher {
  public:
    DeviceWatcher(UsbBus& bus, WatchOptions options);

    // Waits until at least one event completes or `deadline` passes; returns the events
    // (empty at the deadline). Fails when the bus cannot be read.
    Result<std::vector<UsbEvent>> next(Clock::time_point deadline);

    // Devices that arrived and have not departed.
    std::vector<UsbDevice> present() const { return m_debouncer.present(); }

    const WatchOptions& options() const { return m_options; }

  private:
    UsbBus& m_bus;
    WatchOptions m_options;
    Debouncer m_debouncer;
};

}  // namespace drivers::usb
