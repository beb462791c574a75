// POSIX pieces both serial backends share: deadlines as poll() timeouts, errno texts that
// name the path, hang-up detection and pseudo-terminal recognition.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <drivers/serial/serial_port.hpp>

namespace drivers::serial {

// "<path>: <what>: <strerror(err)>", the shape of every OS error this layer reports.
std::string os_error(const std::string& path, std::string_view what, int err);

// The error of a call on a port that is closed: bad_usage, "<path>: port is closed".
tl::unexpected<station::core::Error> port_closed(const std::string& path);

// Milliseconds left until `deadline`, rounded up and clamped to [0, INT_MAX], for poll().
int remaining_ms(Clock::time_point deadline);

// True for the errno values a vanished device produces (EIO, ENXIO, ENODEV).
bool is_lost_errno(int err);

// What a bounded wait on a file descriptor ended with.
enum class Readiness { ready, timeout, hangup };

// Polls `fd` for `events` until ready or `deadline`, retrying EINTR with the time left.
// POLLHUP/POLLERR/POLLNVAL give hangup; a failing poll() itself gives port_lost.
Result<Readiness> wait_fd(int fd, short events, Clock::time_point deadline,
                          const std::string& path);

// True when `fd` reports POLLHUP, POLLERR or POLLNVAL right now (a zero-timeout poll).
bool fd_hung_up(int fd);

// True when `path` is a pseudo-terminal slave: it is spelled /dev/pts/N, or it (or what its
// symlinks lead to) is a character device with a Unix98 pty slave major (136..143).
bool is_pseudo_terminal(const std::string& path);

// True when `fd` is a character device with a Unix98 pty slave major (136..143).
bool is_pseudo_terminal_fd(int fd);

}  // namespace drivers::serial
