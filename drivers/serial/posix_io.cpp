#include <drivers/serial/posix_io.hpp>

#include <poll.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace drivers::serial {

using station::core::fail;
using station::core::Reason;

namespace {

// Unix98 pty slaves use majors 136..143 (Documentation/admin-guide/devices.txt).
constexpr unsigned k_pty_slave_major_first = 136;
constexpr unsigned k_pty_slave_major_last = 143;
constexpr short k_hangup_events = POLLHUP | POLLERR | POLLNVAL;

bool is_pty_major(const struct stat& st) {
    if (!S_ISCHR(st.st_mode)) {
        return false;
    }
    const unsigned major_number = major(st.st_rdev);
    return major_number >= k_pty_slave_major_first && major_number <= k_pty_slave_major_last;
}

}  // namespace

tl::unexpected<station::core::Error> port_closed(const std::string& path) {
    return fail(Reason::bad_usage, path + ": port is closed");
}

std::string os_error(const std::string& path, std::string_view what, int err) {
    std::string message = path;
    message += ": ";
    message += what;
    message += ": ";
    message += std::strerror(err);
    return message;
}

int remaining_ms(Clock::time_point deadline) {
    const auto left = deadline - Clock::now();
    if (left <= Clock::duration::zero()) {
        return 0;
    }
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

bool is_lost_errno(int err) {
    return err == EIO || err == ENXIO || err == ENODEV;
}

Result<Readiness> wait_fd(int fd, short events, Clock::time_point deadline,
                          const std::string& path) {
    for (;;) {
        struct pollfd pfd {};
        pfd.fd = fd;
        pfd.events = events;
        const int ready = ::poll(&pfd, 1, remaining_ms(deadline));
        if (ready < 0) {
            if (errno == EINTR) {
                continue;  // the next round polls with the time left
            }
            return fail(Reason::port_lost, os_error(path, "poll", errno));
        }
        if (ready == 0) {
            return Readiness::timeout;
        }
        if ((pfd.revents & events) != 0) {
            return Readiness::ready;  // data first: bytes queued before a hang-up still count
        }
        if ((pfd.revents & k_hangup_events) != 0) {
            return Readiness::hangup;
        }
    }
}

bool fd_hung_up(int fd) {
    struct pollfd pfd {};
    pfd.fd = fd;
    pfd.events = 0;  // POLLHUP/POLLERR/POLLNVAL are reported whatever is asked for
    const int ready = ::poll(&pfd, 1, 0);
    return ready > 0 && (pfd.revents & k_hangup_events) != 0;
}

bool is_pseudo_terminal(const std::string& path) {
    // stat() follows symlinks itself. realpath() is avoided on purpose: under umockdev 0.17.16
    // its wrapper overruns the caller's buffer when a /dev link points out of the testbed.
    if (path.starts_with("/dev/pts/")) {
        return true;
    }
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && is_pty_major(st);
}

bool is_pseudo_terminal_fd(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && is_pty_major(st);
}

}  // namespace drivers::serial
