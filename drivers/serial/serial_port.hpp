// A serial port as the AT channel sees it: bytes in, bytes out, every wait bounded.
//
// Two backends sit behind this interface (DOMAIN.md, "Facts about the tools"):
// libserialport for hardware ports it knows (/dev/ttyUSB*, /dev/ttyACM*, ...), and plain
// termios for pseudo-terminals and other ttys libserialport refuses (it cannot open a pty).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <station/core/result.hpp>

namespace drivers::serial {

using Clock = std::chrono::steady_clock;
using station::core::Result;

enum class Parity { none, odd, even };
enum class FlowControl { none, rts_cts };

// Line settings; the default is 115200 8N1 without flow control.
struct Settings {
    int baud = 115200;
    int data_bits = 8;
    Parity parity = Parity::none;
    int stop_bits = 1;
    FlowControl flow = FlowControl::none;
};

// Which implementation opens a path. `automatic` picks termios for ptys (/dev/pts/*, /dev/ptmx
// slaves, anything libserialport does not list) and libserialport otherwise.
enum class Backend { automatic, libserialport, termios };

class SerialPort {
  public:
    virtual ~SerialPort() = default;
    SerialPort() = default;
    SerialPort(const SerialPort&) = delete;
    SerialPort& operator=(const SerialPort&) = delete;

    // Writes all of `data` before `deadline`. Fails with port_lost when the device vanished,
    // no_response when the deadline passes with bytes still unsent.
    virtual Result<void> write(std::string_view data, Clock::time_point deadline) = 0;

    // Waits until at least one byte is available or `deadline` passes, then reads what is
    // available (at most buf.size()). Returns 0 on timeout (not an error); fails with
    // port_lost on hang-up, EOF or EIO (the device vanished).
    virtual Result<std::size_t> read(std::span<char> buf, Clock::time_point deadline) = 0;

    // Discards bytes received but not yet read.
    virtual Result<void> flush_input() = 0;

    // Closes the port; idempotent. The destructor closes too.
    virtual void close() = 0;

    // The path the port was opened with.
    virtual const std::string& path() const = 0;

    // Human name of the implementation: "libserialport" or "termios".
    virtual std::string_view backend_name() const = 0;
};

// Opens and configures `path`. Fails with port_unavailable (naming the path and the OS or
// library message) when the path does not exist, is not a tty, is busy or cannot be configured.
Result<std::unique_ptr<SerialPort>> open_port(const std::string& path, const Settings& settings,
                                              Backend backend = Backend::automatic);

// True when `baud` is one of the standard rates both backends support.
bool is_supported_baud(int baud);

}  // namespace drivers::serial
