#include <drivers/at/round_trips.hpp>

#include <optional>
#include <string>

#include <drivers/at/result_code.hpp>
#include <station/core/text.hpp>

namespace drivers::at {
namespace {

using station::core::RoundTrip;

constexpr std::size_t k_max_line_bytes = 1024;

bool is_terminator(char c) {
    return c == '\r' || c == '\n';
}

// The command line of a tx entry (up to its first CR or LF), or nullopt when it is not one.
std::optional<std::string> command_of(std::string_view bytes) {
    std::size_t end = 0;
    while (end < bytes.size() && !is_terminator(bytes[end])) ++end;
    const std::string_view line = station::core::trim_blanks(bytes.substr(0, end));
    if (!station::core::istarts_with(line, "AT")) return std::nullopt;
    return std::string(line);
}

// Frames the rx byte stream into lines, as the channel does.
class LineFramer {
  public:
    // Feeds `bytes`; calls `on_line` for every complete, non-blank line of at most the bound.
    template <class OnLine>
    void feed(std::string_view bytes, OnLine on_line) {
        for (const char c : bytes) {
            if (!is_terminator(c)) {
                if (m_line.size() < k_max_line_bytes)
                    m_line += c;
                else
                    m_overlong = true;
                continue;
            }
            const std::string_view line = station::core::trim_blanks(m_line);
            if (!line.empty() && !m_overlong) on_line(line);
            m_line.clear();
            m_overlong = false;
        }
    }

  private:
    std::string m_line;
    bool m_overlong = false;
};

struct Pending {
    std::string command;
    std::chrono::steady_clock::duration sent{};
    bool answered_before = false;  // a line other than the echo came first
};

}  // namespace

std::vector<RoundTrip> round_trips(const Transcript& transcript) {
    std::vector<RoundTrip> trips;
    std::optional<Pending> pending;
    LineFramer framer;
    for (const TranscriptEntry& entry : transcript.entries()) {
        if (trips.size() >= k_max_round_trips) break;
        if (entry.direction == Direction::tx) {
            pending.reset();  // an unanswered command is left out
            if (auto command = command_of(entry.bytes)) pending = Pending{*command, entry.offset};
            continue;
        }
        if (entry.direction != Direction::rx) continue;
        framer.feed(entry.bytes, [&](std::string_view line) {
            if (!pending) return;
            if (!pending->answered_before && station::core::iequals(line, pending->command)) {
                return;  // the echo
            }
            pending->answered_before = true;
            if (!parse_final_result(line)) return;
            const auto took =
                std::chrono::duration_cast<std::chrono::microseconds>(entry.offset - pending->sent);
            trips.push_back({pending->command, took});
            pending.reset();
        });
    }
    return trips;
}

}  // namespace drivers::at
