// One station per port: an advisory lock (flock) taken right after a port is opened, so a
// second station (or a second run of this one) on the same AT port is refused at once with
// port_busy instead of both sending commands and both ending no_response. TIOCEXCL, which the
// backends also set on hardware ports, does not stop root and does not exist for ptys.
#pragma once

#include <string>

#include <drivers/serial/serial_port.hpp>

namespace drivers::serial {

// Takes an exclusive non-blocking flock on `fd` (released when the descriptor closes).
// Fails with port_busy when another open file description holds it, port_unavailable when
// the lock cannot be taken for another reason.
Result<void> lock_port(int fd, const std::string& path);

}  // namespace drivers::serial
