// Every wait is a poll() bounded by the caller's deadline and the descriptor stays
// non-blocking, so no call here can hang on a silent or vanished device.
#include <drivers/serial/termios_port.hpp>

#include <drivers/serial/port_lock.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include <drivers/serial/posix_io.hpp>

namespace drivers::serial {

using station::core::fail;
using station::core::Reason;

namespace {

struct SpeedEntry {
    int baud;
    speed_t speed;
};

// The standard rates from 1200 to 4000000 baud.
constexpr std::array k_speeds{
    SpeedEntry{1200, B1200},       SpeedEntry{1800, B1800},       SpeedEntry{2400, B2400},
    SpeedEntry{4800, B4800},       SpeedEntry{9600, B9600},       SpeedEntry{19200, B19200},
    SpeedEntry{38400, B38400},     SpeedEntry{57600, B57600},     SpeedEntry{115200, B115200},
    SpeedEntry{230400, B230400},   SpeedEntry{460800, B460800},   SpeedEntry{500000, B500000},
    SpeedEntry{576000, B576000},   SpeedEntry{921600, B921600},   SpeedEntry{1000000, B1000000},
    SpeedEntry{1152000, B1152000}, SpeedEntry{1500000, B1500000}, SpeedEntry{2000000, B2000000},
    SpeedEntry{2500000, B2500000}, SpeedEntry{3000000, B3000000}, SpeedEntry{3500000, B3500000},
    SpeedEntry{4000000, B4000000},
};

// Clears `mask` in `flags` without mixing signed macro values into unsigned arithmetic.
void clear_bits(tcflag_t& flags, unsigned mask) {
    flags &= ~static_cast<tcflag_t>(mask);
}

std::optional<tcflag_t> char_size(int data_bits) {
    switch (data_bits) {
        case 5:
            return CS5;
        case 6:
            return CS6;
        case 7:
            return CS7;
        case 8:
            return CS8;
        default:
            return std::nullopt;
    }
}

// A read or write error: a vanished device is port_lost, anything else too, with its text.
tl::unexpected<station::core::Error> io_failure(const std::string& path, std::string_view what,
                                                int err) {
    return fail(Reason::port_lost, os_error(path, what, err));
}

}  // namespace

std::optional<speed_t> termios_speed(int baud) {
    for (const auto& entry : k_speeds) {
        if (entry.baud == baud) {
            return entry.speed;
        }
    }
    return std::nullopt;
}

bool is_supported_frame(const Settings& settings) {
    return settings.data_bits >= 5 && settings.data_bits <= 8 &&
           (settings.stop_bits == 1 || settings.stop_bits == 2);
}

std::string unsupported_frame_message(const std::string& path, const Settings& settings) {
    return path + ": unsupported frame " + std::to_string(settings.data_bits) + " data bits, " +
           std::to_string(settings.stop_bits) + " stop bits";
}

Result<std::unique_ptr<SerialPort>> TermiosPort::open(const std::string& path,
                                                      const Settings& settings) {
    const auto speed = termios_speed(settings.baud);
    if (!speed) {
        return fail(Reason::bad_usage,
                    path + ": unsupported baud rate " + std::to_string(settings.baud));
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        // EBUSY: a hardware port another process holds with TIOCEXCL.
        return fail(errno == EBUSY ? Reason::port_busy : Reason::port_unavailable,
                    os_error(path, "open", errno));
    }
    // From here the port owns the descriptor and closes it on every failure path.
    std::unique_ptr<TermiosPort> port(new TermiosPort(path, fd));
    if (::isatty(fd) == 0) {
        return fail(Reason::port_unavailable,
                    path + ": not a serial port (" + std::strerror(errno) + ")");
    }
    if (auto locked = lock_port(fd, path); !locked) return tl::unexpected(locked.error());
    if (!is_pseudo_terminal_fd(fd) && ::ioctl(fd, TIOCEXCL) != 0) {
        return fail(Reason::port_unavailable, os_error(path, "TIOCEXCL", errno));
    }
    if (auto configured = port->configure(settings, *speed); !configured) {
        return tl::unexpected(configured.error());
    }
    return std::unique_ptr<SerialPort>(std::move(port));
}

TermiosPort::TermiosPort(std::string path, int fd) : m_path(std::move(path)), m_fd(fd) {}

TermiosPort::~TermiosPort() {
    close();
}

Result<void> TermiosPort::configure(const Settings& settings, speed_t speed) {
    const auto size = char_size(settings.data_bits);
    if (!size || !is_supported_frame(settings)) {
        return fail(Reason::bad_usage, unsupported_frame_message(m_path, settings));
    }
    struct termios tio {};
    if (::tcgetattr(m_fd, &tio) != 0) {
        return fail(Reason::port_unavailable, os_error(m_path, "tcgetattr", errno));
    }
    ::cfmakeraw(&tio);
    clear_bits(tio.c_cflag, CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
    tio.c_cflag |= *size | CLOCAL | CREAD;
    if (settings.parity != Parity::none) {
        tio.c_cflag |= PARENB;
        if (settings.parity == Parity::odd) {
            tio.c_cflag |= PARODD;
        }
    }
    if (settings.stop_bits == 2) {
        tio.c_cflag |= CSTOPB;
    }
    if (settings.flow == FlowControl::rts_cts) {
        tio.c_cflag |= CRTSCTS;
    }
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    if (::cfsetispeed(&tio, speed) != 0 || ::cfsetospeed(&tio, speed) != 0) {
        return fail(Reason::port_unavailable, os_error(m_path, "cfsetspeed", errno));
    }
    if (::tcsetattr(m_fd, TCSANOW, &tio) != 0) {
        return fail(Reason::port_unavailable, os_error(m_path, "tcsetattr", errno));
    }
    if (::tcflush(m_fd, TCIOFLUSH) != 0) {
        return fail(Reason::port_unavailable, os_error(m_path, "tcflush", errno));
    }
    return {};
}

Result<void> TermiosPort::write(std::string_view data, Clock::time_point deadline) {
    if (m_fd < 0) {
        return port_closed(m_path);
    }
    while (!data.empty()) {
        const ssize_t written = ::write(m_fd, data.data(), data.size());
        if (written > 0) {
            data.remove_prefix(static_cast<std::size_t>(written));
            continue;
        }
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            return io_failure(m_path, "write", errno);
        }
        auto ready = wait_fd(m_fd, POLLOUT, deadline, m_path);
        if (!ready) {
            return tl::unexpected(ready.error());
        }
        if (*ready == Readiness::hangup) {
            return fail(Reason::port_lost, m_path + ": write: device hung up");
        }
        if (*ready == Readiness::timeout) {
            return fail(Reason::no_response, m_path + ": write: " + std::to_string(data.size()) +
                                                 " bytes still unsent at the deadline");
        }
    }
    return {};
}

Result<std::size_t> TermiosPort::read(std::span<char> buf, Clock::time_point deadline) {
    if (m_fd < 0) {
        return port_closed(m_path);
    }
    if (buf.empty()) {
        return 0;
    }
    for (;;) {
        auto ready = wait_fd(m_fd, POLLIN, deadline, m_path);
        if (!ready) {
            return tl::unexpected(ready.error());
        }
        if (*ready == Readiness::timeout) {
            return 0;
        }
        if (*ready == Readiness::hangup) {
            return fail(Reason::port_lost, m_path + ": read: device hung up");
        }
        const ssize_t got = ::read(m_fd, buf.data(), buf.size());
        if (got > 0) {
            return static_cast<std::size_t>(got);
        }
        if (got == 0) {
            return fail(Reason::port_lost, m_path + ": read: end of file (device hung up)");
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            return io_failure(m_path, "read", errno);
        }
    }
}

Result<void> TermiosPort::flush_input() {
    if (m_fd < 0) {
        return port_closed(m_path);
    }
    if (::tcflush(m_fd, TCIFLUSH) != 0) {
        const int err = errno;
        return fail(is_lost_errno(err) ? Reason::port_lost : Reason::port_unavailable,
                    os_error(m_path, "tcflush", err));
    }
    return {};
}

void TermiosPort::close() {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

}  // namespace drivers::serial
