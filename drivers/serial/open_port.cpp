// open_port() chooses the backend. libserialport is preferred for hardware because it is what
// the field uses; termios takes pseudo-terminals and ttys libserialport does not list.
#include <drivers/serial/serial_port.hpp>

#include <drivers/serial/libserialport_port.hpp>
#include <drivers/serial/posix_io.hpp>
#include <drivers/serial/termios_port.hpp>

namespace drivers::serial {

using station::core::fail;
using station::core::Reason;

namespace {

// The backend `automatic` stands for on `path`.
Backend choose_backend(const std::string& path) {
    if (is_pseudo_terminal(path)) {
        return Backend::termios;  // libserialport cannot open a pty (DOMAIN.md)
    }
    if (LibserialportPort::knows(path)) {
        return Backend::libserialport;
    }
    return Backend::termios;  // e.g. a tty without a /sys/class/tty entry
}

}  // namespace

bool is_supported_baud(int baud) {
    return termios_speed(baud).has_value();
}

Result<std::unique_ptr<SerialPort>> open_port(const std::string& path, const Settings& settings,
                                              Backend backend) {
    if (!is_supported_baud(settings.baud)) {
        return fail(Reason::bad_usage,
                    path + ": unsupported baud rate " + std::to_string(settings.baud));
    }
    if (!is_supported_frame(settings)) {
        return fail(Reason::bad_usage, unsupported_frame_message(path, settings));
    }
    if (backend == Backend::automatic) {
        backend = choose_backend(path);
    }
    if (backend == Backend::libserialport) {
        return LibserialportPort::open(path, settings);
    }
    return TermiosPort::open(path, settings);
}

}  // namespace drivers::serial
