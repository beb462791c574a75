// The termios backend: plain POSIX calls on a tty file descriptor. It serves pseudo-terminals
// (routersim, umockdev-less tests) and any tty that libserialport refuses to open.
#pragma once

#include <termios.h>

#include <optional>
#include <string>

#include <drivers/serial/serial_port.hpp>

namespace drivers::serial {

// The termios speed constant for `baud`, or nothing when `baud` is not a standard rate
// between 1200 and 4000000. This table is also what is_supported_baud() accepts.
std::optional<speed_t> termios_speed(int baud);

// True when `settings` has 5..8 data bits and 1 or 2 stop bits, the frames both backends take.
bool is_supported_frame(const Settings& settings);

// "<path>: unsupported frame 9 data bits, 1 stop bits", the bad_usage text for such settings.
std::string unsupported_frame_message(const std::string& path, const Settings& settings);

class TermiosPort final : public SerialPort {
  public:
    // Opens `path` non-blocking and without becoming its controlling tty, puts it in raw mode
    // with `settings`, and takes exclusive use (TIOCEXCL) unless it is a pseudo-terminal.
    // Fails with port_unavailable (path plus OS message) or bad_usage for an unsupported baud.
    static Result<std::unique_ptr<SerialPort>> open(const std::string& path,
                                                    const Settings& settings);

    ~TermiosPort() override;

    Result<void> write(std::string_view data, Clock::time_point deadline) override;
    Result<std::size_t> read(std::span<char> buf, Clock::time_point deadline) override;
    Result<void> flush_input() override;
    void close() override;
    const std::string& path() const override { return m_path; }
    std::string_view backend_name() const override { return "termios"; }

  private:
    TermiosPort(std::string path, int fd);

    // Raw mode, `settings` and `speed` on the open descriptor; port_unavailable on failure.
    Result<void> configure(const Settings& settings, speed_t speed);

    std::string m_path;
    int m_fd = -1;
};

}  // namespace drivers::serial
