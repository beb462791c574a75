#include "fake_serial_port.hpp"

#include <algorithm>
#include <cstring>

namespace tests {

using station::core::fail;
using station::core::Reason;

std::string FakeSerialPort::reply_for(const std::string& command) {
    auto it = m_script.find(command);
    if (it != m_script.end() && !it->second.replies.empty()) {
        auto& s = it->second;
        const auto& reply = s.replies[std::min(s.next, s.replies.size() - 1)];
        ++s.next;
        return reply;
    }
    if (m_responder) return m_responder(command);
    return "\r\nERROR\r\n";
}

drivers::serial::Result<void> FakeSerialPort::write(std::string_view data,
                                                    drivers::serial::Clock::time_point) {
    if (m_lost) return fail(Reason::port_lost, m_path + ": write: device vanished");
    for (const char c : data) {
        if (c != '\r') {
            m_partial += c;
            continue;
        }
        m_commands.push_back(m_partial);
        std::string reply = m_echo ? m_partial + "\r" : std::string();
        reply += reply_for(m_partial);
        if (!reply.empty()) m_rx.push_back(reply);
        m_partial.clear();
    }
    return {};
}

drivers::serial::Result<std::size_t> FakeSerialPort::read(std::span<char> buf,
                                                          drivers::serial::Clock::time_point) {
    if (m_lost) return fail(Reason::port_lost, m_path + ": read: device vanished");
    if (m_rx.empty()) {
        for (auto it = m_late.begin(); it != m_late.end(); ++it) {
            if (--it->reads <= 0) {
                m_rx.push_back(it->bytes);
                m_late.erase(it);
                break;
            }
        }
        if (m_rx.empty()) return std::size_t{0};
    }
    auto& front = m_rx.front();
    const std::size_t n = std::min(buf.size(), front.size());
    std::memcpy(buf.data(), front.data(), n);
    front.erase(0, n);
    if (front.empty()) m_rx.pop_front();
    return n;
}

}  // namespace tests
