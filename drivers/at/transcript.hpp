// The raw transcript of one AT session: every byte in both directions, timestamped.
//
// Kept in memory with a size bound (a module streaming forever must not exhaust memory);
// what is dropped past the bound is counted and said. Rendered with device bytes sanitised.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace drivers::at {

enum class Direction { tx, rx, note };

struct TranscriptEntry {
    std::chrono::steady_clock::duration offset;  // since the transcript started
    Direction direction;
    std::string bytes;
};

class Transcript {
  public:
    // `max_bytes` bounds the stored payload; later entries are counted, not kept.
    explicit Transcript(std::size_t max_bytes = 256 * 1024);

    void add(Direction direction, std::string_view bytes);
    void note(std::string_view text) { add(Direction::note, text); }
    // An entry at a given offset, as it is (never merged; within the same byte bound): for tests
    // and tools that build a transcript of a known timing.
    void add_at(std::chrono::steady_clock::duration offset, Direction direction,
                std::string_view bytes);

    const std::vector<TranscriptEntry>& entries() const { return m_entries; }
    std::chrono::system_clock::time_point started_at() const { return m_wall_start; }
    std::size_t dropped_bytes() const { return m_dropped; }

    // One line per entry: "+0.012345 >> AT+CGSN\r" (tx), "<<" (rx), "--" (note); device
    // bytes escaped so terminal sequences cannot reach the screen.
    std::string render() const;

  private:
    std::chrono::steady_clock::time_point m_start;
    std::chrono::system_clock::time_point m_wall_start;
    std::size_t m_max_bytes;
    std::size_t m_stored = 0;
    std::size_t m_dropped = 0;
    std::vector<TranscriptEntry> m_entries;
};

}  // namespace drivers::at
