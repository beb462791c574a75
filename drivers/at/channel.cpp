#include <drivers/at/channel.hpp>

#include <algorithm>
#include <array>
#include <utility>

#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>

namespace drivers::at {
namespace {

using station::core::fail;
using station::core::iequals;
using station::core::Reason;

constexpr std::size_t k_read_chunk = 4096;
constexpr std::size_t k_max_urcs_kept = 1000;

bool is_terminator(char c) {
    return c == '\r' || c == '\n';
}

bool has_non_printable(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u >= 0x7f;
    });
}

long long to_ms(Clock::duration d) {
    return std::chrono::duration_cast<milliseconds>(d).count();
}

}  // namespace

Channel::Channel(serial::SerialPort& port, ChannelLimits limits, const std::atomic<bool>* stop)
    : m_port(port), m_limits(limits), m_stop(stop) {}

Result<std::size_t> Channel::read_some(std::span<char> buf, Clock::time_point deadline) {
    if (m_stop == nullptr) return m_port.read(buf, deadline);
    const auto slice = std::max(m_limits.stop_check, milliseconds(1));
    for (;;) {
        if (m_stop->load()) {
            m_transcript.note("stopped by the operator");
            return fail(Reason::aborted, "stopped by the operator");
        }
        auto got = m_port.read(buf, std::min(deadline, Clock::now() + slice));
        if (!got || *got > 0 || Clock::now() >= deadline) return got;
    }
}

std::string Channel::where(std::string_view command) const {
    return m_port.path() + ": " + station::core::sanitize_for_display(command, 64);
}

std::string Channel::port_error(std::string_view command, std::string_view message) const {
    const std::string port_prefix = m_port.path() + ": ";
    if (message.starts_with(port_prefix)) message.remove_prefix(port_prefix.size());
    return where(command) + ": " + std::string(message);
}

void Channel::keep_urc(std::string line, Response* response) {
    if (response != nullptr && response->urcs.size() < k_max_urcs_kept) {
        response->urcs.push_back(line);
    }
    if (m_urcs.size() < k_max_urcs_kept) m_urcs.push_back(std::move(line));
}

// Frames one line out of m_rx if a terminator is there; over-long lines become noise.
bool Channel::take_buffered_line(Line& out) {
    while (!m_rx.empty()) {
        const auto end = std::find_if(m_rx.begin(), m_rx.end(), is_terminator);
        if (end == m_rx.end()) {
            if (m_rx.size() <= m_limits.max_line_bytes) return false;
            if (!m_discarding) {
                out = {m_rx.substr(0, m_limits.max_line_bytes), true};
                m_discarding = true;
                m_rx.clear();
                return true;
            }
            m_rx.clear();
            return false;
        }
        std::string text(m_rx.begin(), end);
        m_rx.erase(m_rx.begin(), end + 1);
        if (m_discarding) {  // the tail of a line already reported as noise
            m_discarding = false;
            continue;
        }
        const std::string_view trimmed = station::core::trim_blanks(text);
        if (trimmed.empty()) continue;
        out = {std::string(trimmed), has_non_printable(trimmed)};
        return true;
    }
    return false;
}

Result<Channel::LineWait> Channel::next_line(Clock::time_point deadline, Line& out) {
    std::array<char, k_read_chunk> buf{};
    while (!take_buffered_line(out)) {
        if (m_response_bytes > m_limits.max_response_bytes) {
            return fail(
                Reason::response_too_large,
                "response exceeds " + std::to_string(m_limits.max_response_bytes) + " bytes");
        }
        auto got = read_some(buf, deadline);
        if (!got) return tl::unexpected(got.error());
        if (*got == 0) return LineWait::timeout;
        const std::string_view chunk(buf.data(), *got);
        m_transcript.add(Direction::rx, chunk);
        m_response_bytes += chunk.size();
        m_rx.append(chunk);
    }
    return LineWait::line;
}

Result<void> Channel::send(std::string_view command, Clock::time_point deadline) {
    std::string wire(command);
    wire += '\r';
    m_transcript.add(Direction::tx, wire);
    return m_port.write(wire, deadline);
}

// Discards input until no answer-like line has arrived for `quiet` (URCs do not count: a
// module may stream them without pause), or fails when `max_time` passes first. Partial
// lines stay buffered so a URC cut in two is not mistaken for an answer later.
Result<void> Channel::drain(milliseconds quiet, milliseconds max_time) {
    const auto give_up = Clock::now() + max_time;
    auto quiet_until = Clock::now() + quiet;
    std::array<char, k_read_chunk> buf{};
    Line buffered;  // whole lines left over from an attempt that stopped reading early
    while (take_buffered_line(buffered)) {
        if (!buffered.noisy && is_unsolicited(buffered.text, "")) {
            keep_urc(std::move(buffered.text), nullptr);
        }
    }
    while (true) {
        auto got = read_some(buf, std::min(quiet_until, give_up));
        if (!got) return tl::unexpected(got.error());
        if (*got == 0 && Clock::now() >= quiet_until) return {};
        if (*got > 0) {
            const std::string_view chunk(buf.data(), *got);
            m_transcript.add(Direction::rx, chunk);
            m_rx.append(chunk);
            Line line;
            while (take_buffered_line(line)) {
                if (!line.noisy && is_unsolicited(line.text, "")) {
                    keep_urc(std::move(line.text), nullptr);
                } else {
                    quiet_until = Clock::now() + quiet;  // a stale answer: keep listening
                }
            }
        }
        if (Clock::now() >= give_up) {
            return fail(Reason::protocol_error, "line never went quiet within " +
                                                    std::to_string(max_time.count()) +
                                                    " ms (module streaming output)");
        }
    }
}

// `settle` is how long the line must stay silent before the AT and after its OK. The first
// attempt uses the short quiet period; after an unclean one the module may still be answering
// commands sent before (a station killed mid-command, a slow module), so the next attempts wait
// as long as a whole sync answer may take: a stale OK then cannot pass for the AT's own.
Result<Channel::SyncAttempt> Channel::try_sync_once(milliseconds settle, bool fast) {
    const auto drain_bound = std::max(m_limits.max_drain, 4 * settle);
    if (auto drained = drain(settle, drain_bound); !drained) {
        return tl::unexpected(drained.error());
    }
    auto deadline = Clock::now() + m_limits.sync_timeout;
    if (auto sent = send("AT", deadline); !sent) return tl::unexpected(sent.error());
    m_response_bytes = 0;
    bool saw_ok = false;
    Line line;
    while (true) {
        auto got = next_line(deadline, line);
        if (!got) return tl::unexpected(got.error());
        if (*got == LineWait::timeout) {
            if (saw_ok) return SyncAttempt::clean;
            return m_response_bytes == 0 ? SyncAttempt::silent : SyncAttempt::unanswered;
        }
        if (line.noisy) continue;  // line noise does not desynchronise; stray answers do
        if (is_unsolicited(line.text, "AT")) {
            keep_urc(line.text, nullptr);
            continue;
        }
        if (iequals(line.text, "AT")) continue;  // echo
        const auto final = parse_final_result(line.text);
        if (!final || final->kind != FinalKind::ok || saw_ok) return SyncAttempt::unclean;
        if (fast) return SyncAttempt::clean;
        // A clean OK is one not followed by anything else within the quiet period.
        saw_ok = true;
        deadline = Clock::now() + settle;
    }
}

Result<void> Channel::synchronize() {
    m_transcript.note("resynchronising");
    milliseconds settle = m_limits.quiet_period;
    SyncAttempt last = SyncAttempt::unclean;
    for (int attempt = 1; attempt <= m_limits.sync_attempts; ++attempt) {
        auto result = try_sync_once(settle);
        if (!result) {
            m_needs_sync = true;
            auto error = result.error();
            error.message = port_error("AT", error.message);
            return tl::unexpected(std::move(error));
        }
        last = *result;
        switch (*result) {
            case SyncAttempt::clean:
                m_needs_sync = false;
                return {};
            case SyncAttempt::silent:
                m_needs_sync = true;
                return fail(Reason::no_response, where("AT") + ": no response after " +
                                                     std::to_string(m_limits.sync_timeout.count()) +
                                                     " ms");
            case SyncAttempt::unclean:
            case SyncAttempt::unanswered:
                settle = std::max(m_limits.quiet_period, m_limits.sync_timeout);
                m_transcript.note("unclean answer; settling " + std::to_string(settle.count()) +
                                  " ms");
                break;
        }
    }
    m_needs_sync = true;
    return fail(Reason::protocol_error,
                where("AT") + ": no clean OK after " + std::to_string(m_limits.sync_attempts) +
                    (last == SyncAttempt::unanswered
                         ? " attempts (the last got no OK within " +
                               std::to_string(m_limits.sync_timeout.count()) +
                               " ms: the module answers late or not at all)"
                         : " attempts (garbage or extra result codes on the line)"));
}

Result<void> Channel::synchronize_fast() {
    m_transcript.note("synchronising (no quiet wait unless the answer is unclean)");
    auto result = try_sync_once(milliseconds(0), true);
    if (!result) {
        m_needs_sync = true;
        auto error = result.error();
        error.message = port_error("AT", error.message);
        return tl::unexpected(std::move(error));
    }
    if (*result == SyncAttempt::clean) {
        m_needs_sync = false;
        return {};
    }
    if (*result == SyncAttempt::silent) {
        m_needs_sync = true;
        return fail(Reason::no_response, where("AT") + ": no response after " +
                                             std::to_string(m_limits.sync_timeout.count()) +
                                             " ms");
    }
    m_transcript.note("unclean first answer; full resynchronisation");
    return synchronize();
}

Result<Response> Channel::command(std::string_view command, milliseconds timeout) {
    if (command.size() > m_limits.max_command_bytes ||
        std::any_of(command.begin(), command.end(), is_terminator)) {
        return fail(Reason::bad_usage, where(command) + ": command too long or has CR/LF");
    }
    if (m_needs_sync) {
        if (auto synced = synchronize(); !synced) return tl::unexpected(synced.error());
    }
    const auto failed = [&](station::core::Error error) {
        m_needs_sync = true;
        error.message = port_error(command, error.message);
        return tl::unexpected(std::move(error));
    };
    if (auto drained = drain(milliseconds(0), m_limits.max_drain); !drained) {
        return failed(drained.error());
    }
    const auto started = Clock::now();
    const auto deadline = started + timeout;
    if (auto sent = send(command, deadline); !sent) return failed(sent.error());
    m_response_bytes = 0;
    Response response;
    response.command = std::string(command);
    Line line;
    while (true) {
        auto got = next_line(deadline, line);
        if (!got) return failed(got.error());
        if (*got == LineWait::timeout) {
            m_needs_sync = true;
            std::string msg =
                where(command) + ": no response after " + std::to_string(to_ms(timeout)) + " ms";
            if (!response.lines.empty() || !response.noise.empty()) {
                msg += " (no final result code; " + std::to_string(response.lines.size()) +
                       " lines received)";
            }
            return fail(Reason::no_response, std::move(msg));
        }
        if (line.noisy) {
            if (response.noise.size() < m_limits.max_response_lines) {
                response.noise.push_back(line.text);
            }
            continue;
        }
        if (!response.echo_seen && response.lines.empty() && iequals(line.text, command)) {
            response.echo_seen = true;
            continue;
        }
        if (auto final = parse_final_result(line.text)) {
            response.final = std::move(*final);
            return response;
        }
        if (is_unsolicited(line.text, command)) {
            keep_urc(line.text, &response);
            continue;
        }
        if (response.lines.size() >= m_limits.max_response_lines) {
            m_needs_sync = true;
            return fail(Reason::response_too_large,
                        where(command) + ": response exceeds " +
                            std::to_string(m_limits.max_response_lines) + " lines");
        }
        response.lines.push_back(std::move(line.text));
    }
}

}  // namespace drivers::at
