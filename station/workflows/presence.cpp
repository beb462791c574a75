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
      m_settle(settle),
      m_poll(poll_interval),
      m_stop(stop) {
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
        m_changed.wait_for(lock, m_poll, [this] { return m_quit || m_refresh; });
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

// A USB device counts as arrived once it has looked the same (same ttys) for `settle`: a
// router re-enumerates several times while it boots.
void Presence::check_once() {
    std::map<std::string, drivers::usb::UsbDevice> devices;
    std::string problem;
    if (m_usb != nullptr) {
        auto listed = m_usb->enumerate(m_filter);
        if (listed) {
            for (auto& d : *listed) devices.emplace(d.port_chain, std::move(d));
        } else {
            problem = listed.error().message;
        }
    }
    const auto now = Clock::now();
    std::lock_guard lock(m_mutex);
    if (m_usb != nullptr && problem.empty()) {
        for (auto it = m_seen.begin(); it != m_seen.end();) {
            it = devices.count(it->first) ? std::next(it) : m_seen.erase(it);
        }
        for (const auto& [chain, device] : devices) {
            auto seen = m_seen.find(chain);
            if (seen == m_seen.end() || !(seen->second.first == device)) {
                m_seen[chain] = {device, now};
            }
        }
    }
    m_problem = problem;
    bool changed = false;
    for (auto& [label, state] : m_slots) {
        std::optional<Arrival> now_present;
        if (!state.port.empty()) {
            now_present = fixed_port_unit(state.port);
        } else if (!problem.empty()) {
            now_present = state.present;  // the bus could not be read: keep what we knew
        } else if (auto seen = m_seen.find(state.port_chain);
                   seen != m_seen.end() && now - seen->second.second >= m_settle &&
                   !seen->second.first.ttys.empty()) {
            now_present = Arrival{"", seen->second.first};
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
    const auto seen = m_seen.find(state.port_chain);
    if (seen == m_seen.end()) return std::nullopt;
    return Arrival{"", seen->second.first};
}

std::string Presence::last_problem() const {
    std::lock_guard lock(m_mutex);
    return m_problem;
}

}  // namespace station::workflows
