#include <drivers/usb/debouncer.hpp>

#include <set>

namespace drivers::usb {

std::vector<UsbEvent> Debouncer::update(const std::vector<UsbDevice>& snapshot,
                                        Clock::time_point now) {
    std::map<std::string, const UsbDevice*> seen;
    for (const auto& device : snapshot) {
        if (!m_need_ttys || !device.ttys.empty()) seen.emplace(device.port_chain, &device);
    }

    std::vector<UsbEvent> departures;
    for (auto it = m_present.begin(); it != m_present.end();) {
        const auto found = seen.find(it->first);
        if (found != seen.end() && *found->second == it->second) {
            ++it;
            continue;
        }
        departures.push_back(UsbEvent{UsbEventKind::departed, std::move(it->second)});
        it = m_present.erase(it);
    }

    std::vector<UsbEvent> arrivals;
    for (const auto& [chain, device] : seen) {
        if (m_present.count(chain) != 0) continue;
        auto pending = m_pending.find(chain);
        if (pending == m_pending.end() || !(pending->second.device == *device)) {
            m_pending[chain] = Pending{*device, now};  // new, or changed: start settling again
            pending = m_pending.find(chain);
        }
        if (now - pending->second.since >= m_settle) {
            arrivals.push_back(UsbEvent{UsbEventKind::arrived, *device});
            m_present.emplace(chain, *device);
            m_pending.erase(pending);
        }
    }
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        it = seen.count(it->first) == 0 ? m_pending.erase(it) : std::next(it);
    }

    departures.insert(departures.end(), arrivals.begin(), arrivals.end());
    return departures;
}

std::optional<Debouncer::Clock::time_point> Debouncer::next_due() const {
    std::optional<Clock::time_point> due;
    for (const auto& [chain, pending] : m_pending) {
        const auto at = pending.since + m_settle;
        if (!due || at < *due) due = at;
    }
    return due;
}

std::vector<UsbDevice> Debouncer::present() const {
    std::vector<UsbDevice> out;
    for (const auto& [chain, device] : m_present) out.push_back(device);
    return out;
}

std::vector<std::string> Debouncer::pending() const {
    std::vector<std::string> out;
    for (const auto& [chain, p] : m_pending) out.push_back(chain);
    return out;
}

}  // namespace drivers::usb
