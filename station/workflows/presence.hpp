// Which slots hold a unit right now. One monitor thread checks every slot each poll interval
// (a fixed tty: does its path exist; a USB slot: has a device with a tty arrived at its port
// chain, debounced by drivers::usb::Debouncer) and wakes the slot threads waiting for an
// arrival or a departure.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <drivers/usb/debouncer.hpp>
#include <drivers/usb/usb_bus.hpp>
#include <drivers/usb/usb_device.hpp>

namespace station::workflows {

struct SlotTarget;

// A unit in a slot: its fixed tty, or the USB device at the slot's port chain.
struct Arrival {
    std::string port;
    std::optional<drivers::usb::UsbDevice> device;
};

class Presence {
  public:
    using Clock = std::chrono::steady_clock;

    // `usb` may be null when every slot has a fixed port.
    Presence(const std::vector<SlotTarget>& slots, drivers::usb::UsbBus* usb,
             std::vector<drivers::usb::UsbMatch> filter, std::chrono::milliseconds settle,
             std::chrono::milliseconds poll_interval, const std::atomic<bool>* stop);
    ~Presence();
    Presence(const Presence&) = delete;
    Presence& operator=(const Presence&) = delete;

    // The unit in `label` once one is there; nullopt at `deadline` or when stopped.
    std::optional<Arrival> wait_arrival(const std::string& label, Clock::time_point deadline);
    // As wait_arrival, but only after a check of every slot that began after this call: for a
    // unit that hung up, whose port the last check may still have seen.
    std::optional<Arrival> wait_return(const std::string& label, Clock::time_point deadline);
    // Returns once `label` is empty (true) or when stopped (false).
    bool wait_departure(const std::string& label);
    // The unit in `label` right now, settled or not: its fixed tty exists, or a USB device sits
    // at its port chain. For slots that do not test their unit (quarantined) but must say so.
    std::optional<Arrival> occupant(const std::string& label) const;
    // Problems reading the USB bus, for the operator (latest first); empty when fine.
    std::string last_problem() const;

  private:
    void monitor();
    void check_once();
    bool stopped() const { return m_stop && m_stop->load(); }

    struct SlotState {
        std::string port;        // fixed tty; empty for USB slots
        std::string port_chain;  // USB slots
        std::optional<Arrival> present;
    };

    drivers::usb::UsbBus* m_usb;
    std::vector<drivers::usb::UsbMatch> m_filter;
    std::chrono::milliseconds m_poll;
    const std::atomic<bool>* m_stop;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<std::string, SlotState> m_slots;
    drivers::usb::Debouncer m_debouncer;  // USB slots: arrived = settled with a tty
    std::map<std::string, drivers::usb::UsbDevice> m_attached;  // the last listing, by port chain
    std::string m_problem;
    bool m_quit = false;
    bool m_refresh = false;           // a slot asked for a check now
    std::uint64_t m_checks_begun = 0;  // checks by the monitor thread
    std::uint64_t m_checks_done = 0;
    std::thread m_thread;
};

}  // namespace station::workflows
