// How the layers above the drivers open a serial port: through an injected opener, so a
// workflow runs the same over real ports (open_port) and over tests' fakes.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <drivers/serial/serial_port.hpp>

namespace drivers::serial {

// Opens `path` with `settings`; fails as open_port() does (port_unavailable, naming the path).
using PortOpener =
    std::function<Result<std::unique_ptr<SerialPort>>(const std::string& path, const Settings&)>;

// The real ports: open_port() with the automatic backend.
inline PortOpener system_ports() {
    return
        [](const std::string& path, const Settings& settings) { return open_port(path, settings); };
}

}  // namespace drivers::serial
