#include <station/workflows/presence.hpp>

#include <algorithm>
#include <filesystem>

#include <station/workflows/provision.hpp>

namespace station::workflows {

Presence::Presence(const std::vector<SlotTarget>& slots, drivers::usb::UsbBus* usb,
                   std::vector<drivers::usb::UsbMatch> filter, std::chrono::milliseconds settle,
                   std::chrono::milliseconds poll_interval, const std::atomic<bool>* stop)
    : m_usb(usb),
      m_filter(std::move(filter)),
      m_poll(poll_interval),
      m_stop(stop),
      m_debouncer(settle, /*need_ttys=*/true) {
    for (const auto& slot : slots) m_slots[slot.label] = SlotState{slot.port, slot.port_chain, {}};
    check_once();  // slots with a unit already in place start at once
    m_thread = std::thread([this] { monitor(); });
}

Presence::~Presence() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void Presence::monitor() {
    std::unique_lock lock(m_mutex);
    while (!m_quit) {
        // Wake when the next USB device is due to have settled, if that comes first.
        auto until = Clock::now() + m_poll;
        if (const auto due = m_debouncer.next_due()) until = std::min(until, *due);
        m_changed.wait_until(lock, until, [this] { return m_quit || m_refresh; });
        if (m_quit) break;
        m_refresh = false;
        ++m_checks_begun;
        lock.unlock();
        check_once();
        lock.lock();
        ++m_checks_done;
        m_changed.notify_all();
    }
}

namespace {

// A fixed tty's unit is there while its path exists.
std::optional<Arrival> fixed_port_unit(const std::string& port) {
    std::error_code ec;
    if (!std::filesystem::exists(port, ec)) return std::nullopt;
    return Arrival{port, {}};
}

}  // namespace

// A USB device counts as arrived once the debouncer has seen it the same (with its ttys) for
// the settle time: a router re-enumerates several times while it boots.
void Presence::check_once() {
    std::vector<drivers::usb::UsbDevice> listed;
    std::string problem;
    if (m_usb != nullptr) {
        if (auto devices = m_usb->enumerate(m_filter)) {
            listed = std::move(*devices);
        } else {
            problem = devices.error().message;
        }
    }
    const auto now = Clock::now();
    std::lock_guard lock(m_mutex);
    if (m_usb != nullptr && problem.empty()) {
        (void)m_debouncer.update(listed, now);  // slots read the present devices below
        m_attached.clear();
        for (auto& device : listed) m_attached.emplace(device.port_chain, std::move(device));
    }
    m_problem = problem;
    std::map<std::string, drivers::usb::UsbDevice> arrived;
    for (auto& device : m_debouncer.present()) arrived.emplace(device.port_chain, device);
    bool changed = false;
    for (auto& [label, state] : m_slots) {
        std::optional<Arrival> now_present;
        if (!state.port.empty()) {
            now_present = fixed_port_unit(state.port);
        } else if (!problem.empty()) {
            now_present = state.present;  // the bus could not be read: keep what we knew
        } else if (const auto found = arrived.find(state.port_chain); found != arrived.end()) {
            now_present = Arrival{"", found->second};
        }
        if (now_present.has_value() != state.present.has_value()) changed = true;
        state.present = std::move(now_present);
    }
    if (changed) m_changed.notify_all();
}

std::optional<Arrival> Presence::wait_arrival(const std::string& label,
                                              Clock::time_point deadline) {
    std::unique_lock lock(m_mutex);
    const auto& state = m_slots.at(label);
    while (!state.present && !stopped() && !m_quit) {
        // Wake at least every poll interval to see the stop flag.
        const auto until = std::min(deadline, Clock::now() + m_poll);
        m_changed.wait_until(lock, until);
        if (Clock::now() >= deadline) break;
    }
    if (stopped()) return std::nullopt;
    return state.present;
}

std::optional<Arrival> Presence::wait_return(const std::string& label, Clock::time_point deadline) {
    {
        std::unique_lock lock(m_mutex);
        const auto fresh = m_checks_begun + 1;
        m_refresh = true;
        m_changed.notify_all();
        // The check itself takes a moment even when the deadline is now (--wait-s 0).
        const auto checked_by = std::max(deadline, Clock::now() + 2 * m_poll);
        m_changed.wait_until(lock, checked_by,
                             [&] { return m_checks_done >= fresh || m_quit || stopped(); });
    }
    return wait_arrival(label, deadline);
}

bool Presence::wait_departure(const std::string& label) {
    std::unique_lock lock(m_mutex);
    const auto& state = m_slots.at(label);
    while (state.present && !stopped() && !m_quit) {
        m_changed.wait_for(lock, m_poll);
    }
    return !state.present;
}

std::optional<Arrival> Presence::occupant(const std::string& label) const {
    std::lock_guard lock(m_mutex);
    const auto& state = m_slots.at(label);
    if (!state.port.empty()) return fixed_port_unit(state.port);
    if (state.present) return state.present;
    const auto attached = m_attached.find(state.port_chain);
    if (attached == m_attached.end()) return std::nullopt;
    return Arrival{"", attached->second};
}

std::string Presence::last_problem() const {
    std::lock_guard lock(m_mutex);
    return m_problem;
}

}  // namespace station::workflows
