// The AT channel: one command in flight over a serial port, framed into responses.
//
// Why it is built this way: modules echo or not whatever ATE0 says, URCs arrive at any time
// (also between a response's lines), lines can carry garbage, a late answer to a timed-out
// command turns into a stale OK for the next one, and a broken module may stream forever.
// So the channel frames lines itself, removes the echo by comparing with the command, sets
// URCs and noise aside, bounds every line, response and wait, and after any timeout or
// overflow resynchronises (send AT until a clean OK, bounded) before the next command.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <drivers/at/result_code.hpp>
#include <drivers/at/transcript.hpp>
#include <drivers/serial/serial_port.hpp>
#include <station/core/result.hpp>

namespace drivers::at {

using station::core::Result;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// One command's response. An ERROR or CME error is a Response (final says which), not a
// failed Result: a failed Result means the line itself failed (timeout, port lost, overflow).
struct Response {
    std::string command;
    std::vector<std::string> lines;  // information lines, in order
    FinalResult final;
    std::vector<std::string> urcs;   // unsolicited lines that arrived during the command
    std::vector<std::string> noise;  // lines with non-printable bytes or over-long lines
    bool echo_seen = false;

    bool ok() const { return final.kind == FinalKind::ok; }
};

struct ChannelLimits {
    std::size_t max_line_bytes = 1024;  // longer lines are cut and kept as noise
    std::size_t max_response_bytes = 64 * 1024;
    std::size_t max_response_lines = 256;
    std::size_t max_command_bytes = 256;
    int sync_attempts = 4;
    milliseconds sync_timeout{1000};  // per AT of a resync
    milliseconds quiet_period{60};    // silence that makes an OK "clean"
    milliseconds max_drain{1500};     // longest a resync spends discarding input
    milliseconds stop_check{50};      // with a stop flag: longest a wait goes without looking
};

// The interface workflows use; one real implementation (Channel) over a SerialPort.
class AtChannel {
  public:
    virtual ~AtChannel() = default;
    AtChannel() = default;
    AtChannel(const AtChannel&) = delete;
    AtChannel& operator=(const AtChannel&) = delete;

    // Sends `command` (without CR) and waits for its final result until `timeout`.
    // Fails with no_response (names port, command and timeout), port_lost,
    // response_too_large or bad_usage (command too long or containing CR/LF).
    virtual Result<Response> command(std::string_view command, milliseconds timeout) = 0;

    // Brings the line to a known state: sends AT until a clean OK (an OK followed by a quiet
    // period), bounded by ChannelLimits. Fails with no_response when the module is silent,
    // protocol_error when it never answers cleanly, port_lost when the port vanished.
    virtual Result<void> synchronize() = 0;

    // The first sync of a session, without quiet periods: discards what is already buffered,
    // sends AT and returns as soon as its OK comes when nothing but the OK (its echo and URCs
    // aside) was on the line; any other answer runs synchronize() in full. A stale OK taken for
    // the AT's own leaves the AT's OK on the line to be read as the next command's answer: the
    // next command must expect information lines, so an empty answer exposes it (see
    // drivers/router/identifier.cpp).
    virtual Result<void> synchronize_fast() = 0;

    virtual const Transcript& transcript() const = 0;
    virtual const std::vector<std::string>& unsolicited() const = 0;
    virtual const std::string& port_path() const = 0;
};

class Channel final : public AtChannel {
  public:
    // `stop` (may be null): when it reads true every wait ends within limits.stop_check and the
    // command fails with Reason::aborted, so an operator's Ctrl-C never waits for a deadline.
    Channel(serial::SerialPort& port, ChannelLimits limits = {},
            const std::atomic<bool>* stop = nullptr);

    Result<Response> command(std::string_view command, milliseconds timeout) override;
    Result<void> synchronize() override;
    Result<void> synchronize_fast() override;
    const Transcript& transcript() const override { return m_transcript; }
    const std::vector<std::string>& unsolicited() const override { return m_urcs; }
    const std::string& port_path() const override { return m_port.path(); }

  private:
    struct Line {
        std::string text;
        bool noisy = false;
    };
    enum class LineWait { line, timeout };
    // unanswered: bytes came (an echo, a stray line) but no OK within the sync timeout;
    // unclean: a result code other than one OK (an error, a stale OK, a second OK).
    enum class SyncAttempt { clean, unclean, unanswered, silent };

    // The port's read, in slices of limits.stop_check while a stop flag is watched.
    Result<std::size_t> read_some(std::span<char> buf, Clock::time_point deadline);
    Result<LineWait> next_line(Clock::time_point deadline, Line& out);
    bool take_buffered_line(Line& out);
    Result<void> send(std::string_view command, Clock::time_point deadline);
    Result<void> drain(milliseconds quiet, milliseconds max_time);
    // `fast`: return at the first clean OK, without waiting `settle` after it.
    Result<SyncAttempt> try_sync_once(milliseconds settle, bool fast = false);
    void keep_urc(std::string line, Response* response);
    std::string where(std::string_view command) const;
    // where(command) + ": " + a serial-layer message, which names the port itself already.
    std::string port_error(std::string_view command, std::string_view message) const;

    serial::SerialPort& m_port;
    ChannelLimits m_limits;
    const std::atomic<bool>* m_stop;
    Transcript m_transcript;
    std::vector<std::string> m_urcs;
    std::string m_rx;           // bytes received, not yet framed into lines
    bool m_discarding = false;  // inside an over-long line, dropping until its end
    bool m_needs_sync = false;
    std::size_t m_response_bytes = 0;
};

}  // namespace drivers::at
