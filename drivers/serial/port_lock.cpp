#include <drivers/serial/port_lock.hpp>

#include <sys/file.h>
#include <cerrno>

#include <drivers/serial/posix_io.hpp>

namespace drivers::serial {

using station::core::fail;
using station::core::Reason;

Result<void> lock_port(int fd, const std::string& path) {
    int rc = 0;
    do {
        rc = ::flock(fd, LOCK_EX | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    if (rc == 0) return {};
    if (errno == EWOULDBLOCK) {
        return fail(Reason::port_busy,
                    path +
                        ": in use by another process (it holds the port's lock: another "
                        "station, or a terminal program on the same port?)");
    }
    return fail(Reason::port_unavailable, os_error(path, "flock", errno));
}

}  // namespace drivers::serial
