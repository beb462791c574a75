#include <drivers/at/transcript.hpp>

#include <array>
#include <cstdio>

#include <station/core/sanitize.hpp>

namespace drivers::at {

Transcript::Transcript(std::size_t max_bytes)
    : m_start(std::chrono::steady_clock::now()),
      m_wall_start(std::chrono::system_clock::now()),
      m_max_bytes(max_bytes) {}

void Transcript::add(Direction direction, std::string_view bytes) {
    if (bytes.empty()) return;
    if (m_stored + bytes.size() > m_max_bytes) {
        if (m_dropped == 0) {
            m_entries.push_back({std::chrono::steady_clock::now() - m_start, Direction::note,
                                 "transcript full: further bytes are counted, not kept"});
        }
        m_dropped += bytes.size();
        return;
    }
    m_stored += bytes.size();
    // Consecutive reads of one burst are merged so the transcript reads as lines, not chunks.
    const auto now = std::chrono::steady_clock::now() - m_start;
    if (!m_entries.empty() && m_entries.back().direction == direction &&
        direction == Direction::rx &&
        now - m_entries.back().offset < std::chrono::milliseconds(2)) {
        m_entries.back().bytes.append(bytes);
        return;
    }
    m_entries.push_back({now, direction, std::string(bytes)});
}

void Transcript::add_at(std::chrono::steady_clock::duration offset, Direction direction,
                        std::string_view bytes) {
    if (bytes.empty()) return;
    if (m_stored + bytes.size() > m_max_bytes) {
        m_dropped += bytes.size();
        return;
    }
    m_stored += bytes.size();
    m_entries.push_back({offset, direction, std::string(bytes)});
}

std::string Transcript::render() const {
    std::string out;
    for (const auto& entry : m_entries) {
        const double seconds = std::chrono::duration<double>(entry.offset).count();
        std::array<char, 32> stamp{};
        std::snprintf(stamp.data(), stamp.size(), "+%.6f ", seconds);
        out += stamp.data();
        switch (entry.direction) {
            case Direction::tx:
                out += ">> ";
                break;
            case Direction::rx:
                out += "<< ";
                break;
            case Direction::note:
                out += "-- ";
                break;
        }
        out += station::core::sanitize_for_display(entry.bytes, 4096);
        out += '\n';
    }
    if (m_dropped > 0) {
        out += "-- " + std::to_string(m_dropped) + " bytes not kept (transcript bound)\n";
    }
    return out;
}

}  // namespace drivers::at
