// Turns a series of bus snapshots into arrival and departure events, debounced.
//
// Why: a router re-enumerates several times while it boots (its USB address and its set of
// ttys change), so a device counts as arrived only once its port chain has shown the same
// device (vid:pid, serial, address, ttys) for `settle`. A device that was announced and then
// vanishes or changes departs at once: whatever the station had open on it is gone.
// With `need_ttys`, a device that has no tty yet (its serial driver not bound) counts as not
// there: it starts settling when its first tty appears. Provisioning needs a tty to test a
// unit; `rig learn` records a router by its port chain alone.
// Pure: the caller supplies snapshots and the time; no I/O, no clock.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <drivers/usb/usb_device.hpp>

namespace drivers::usb {

enum class UsbEventKind { arrived, departed };

struct UsbEvent {
    UsbEventKind kind = UsbEventKind::arrived;
    UsbDevice device;  // for a departure: the device as it was when it arrived
};

class Debouncer {
  public:
    using Clock = std::chrono::steady_clock;

    explicit Debouncer(std::chrono::milliseconds settle, bool need_ttys = false)
        : m_settle(settle), m_need_ttys(need_ttys) {}

    // Feeds the devices present at `now`. Returns the events this snapshot completes:
    // departures first, then arrivals, each ordered by port chain.
    std::vector<UsbEvent> update(const std::vector<UsbDevice>& snapshot, Clock::time_point now);

    // When the earliest pending device becomes stable if nothing changes; nullopt when none.
    std::optional<Clock::time_point> next_due() const;

    // Devices that arrived and have not departed, ordered by port chain.
    std::vector<UsbDevice> present() const;

    // Port chains seen but not yet stable.
    std::vector<std::string> pending() const;

  private:
    struct Pending {
        UsbDevice device;
        Clock::time_point since;
    };

    std::chrono::milliseconds m_settle;
    bool m_need_ttys = false;
    std::map<std::string, Pending> m_pending;
    std::map<std::string, UsbDevice> m_present;
};

}  // namespace drivers::usb
