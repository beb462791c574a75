// libserialport has no deadline-based read, and its sp_wait() returns SP_OK on timeout and
// on hang-up alike (DOMAIN.md). So every read is: what is queued (sp_input_waiting), else a
// hang-up check on the OS handle, else sp_wait() for the time left; repeated until the deadline.
#include <drivers/serial/libserialport_port.hpp>

#include <drivers/serial/port_lock.hpp>

#include <libserialport.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <functional>
#include <utility>

#include <drivers/serial/posix_io.hpp>

namespace drivers::serial {

using station::core::Error;
using station::core::fail;
using station::core::Reason;

namespace {

// The text for a failed sp_* call: the library's message for SP_ERR_FAIL (an OS error),
// otherwise the meaning of the code itself (the last OS message would be stale then).
std::string sp_error_text(sp_return code) {
    switch (code) {
        case SP_ERR_ARG:
            return "invalid argument";
        case SP_ERR_MEM:
            return "out of memory";
        case SP_ERR_SUPP:
            return "not supported";
        case SP_ERR_FAIL:
        case SP_OK:
            break;
    }
    char* message = sp_last_error_message();
    std::string text = message != nullptr ? message : "unknown error";
    sp_free_error_message(message);
    return text;
}

// "<path>: <call>: <library message>" as the error side of a Result.
tl::unexpected<Error> sp_failure(Reason reason, const std::string& path, std::string_view call,
                                 sp_return code) {
    std::string message = path;
    message += ": ";
    message += call;
    message += ": ";
    message += sp_error_text(code);
    return fail(reason, std::move(message));
}

sp_parity to_sp(Parity parity) {
    switch (parity) {
        case Parity::odd:
            return SP_PARITY_ODD;
        case Parity::even:
            return SP_PARITY_EVEN;
        case Parity::none:
            break;
    }
    return SP_PARITY_NONE;
}

sp_flowcontrol to_sp(FlowControl flow) {
    return flow == FlowControl::rts_cts ? SP_FLOWCONTROL_RTSCTS : SP_FLOWCONTROL_NONE;
}

}  // namespace

bool LibserialportPort::knows(const std::string& path) {
    sp_port* port = nullptr;
    if (sp_get_port_by_name(path.c_str(), &port) != SP_OK) {
        return false;
    }
    sp_free_port(port);
    return true;
}

Result<std::unique_ptr<SerialPort>> LibserialportPort::open(const std::string& path,
                                                            const Settings& settings) {
    sp_port* port = nullptr;
    if (const sp_return code = sp_get_port_by_name(path.c_str(), &port); code != SP_OK) {
        return sp_failure(Reason::port_unavailable, path, "sp_get_port_by_name", code);
    }
    // From here the object owns the port and releases it on every failure path.
    std::unique_ptr<LibserialportPort> owner(new LibserialportPort(path, port));
    if (auto started = owner->start(settings); !started) {
        return tl::unexpected(started.error());
    }
    return std::unique_ptr<SerialPort>(std::move(owner));
}

LibserialportPort::LibserialportPort(std::string path, sp_port* port)
    : m_path(std::move(path)), m_port(port) {}

LibserialportPort::~LibserialportPort() {
    close();
}

Result<void> LibserialportPort::start(const Settings& settings) {
    struct Step {
        std::string_view call;
        std::function<sp_return()> run;
    };
    if (const sp_return code = sp_open(m_port, SP_MODE_READ_WRITE); code != SP_OK) {
        return sp_failure(Reason::port_unavailable, m_path, "sp_open", code);
    }
    m_open = true;
    // In order; the first failing call names the error.
    const std::array<Step, 10> steps{{
        {"sp_set_baudrate", [&] { return sp_set_baudrate(m_port, settings.baud); }},
        {"sp_set_bits", [&] { return sp_set_bits(m_port, settings.data_bits); }},
        {"sp_set_parity", [&] { return sp_set_parity(m_port, to_sp(settings.parity)); }},
        {"sp_set_stopbits", [&] { return sp_set_stopbits(m_port, settings.stop_bits); }},
        {"sp_set_flowcontrol", [&] { return sp_set_flowcontrol(m_port, to_sp(settings.flow)); }},
        {"sp_get_port_handle", [&] { return sp_get_port_handle(m_port, &m_fd); }},
        {"sp_new_event_set", [&] { return sp_new_event_set(&m_rx_events); }},
        {"sp_add_port_events",
         [&] { return sp_add_port_events(m_rx_events, m_port, SP_EVENT_RX_READY); }},
        {"sp_new_event_set", [&] { return sp_new_event_set(&m_tx_events); }},
        {"sp_add_port_events",
         [&] { return sp_add_port_events(m_tx_events, m_port, SP_EVENT_TX_READY); }},
    }};
    for (const auto& step : steps) {
        if (const sp_return code = step.run(); code != SP_OK) {
            return sp_failure(Reason::port_unavailable, m_path, step.call, code);
        }
    }
    if (auto locked = lock_port(m_fd, m_path); !locked) return tl::unexpected(locked.error());
    if (const sp_return code = sp_flush(m_port, SP_BUF_BOTH); code != SP_OK) {
        return sp_failure(Reason::port_unavailable, m_path, "sp_flush", code);
    }
    // Keep other programs (ModemManager, a second station) off the port while we hold it.
    if (!is_pseudo_terminal_fd(m_fd) && ::ioctl(m_fd, TIOCEXCL) != 0) {
        return fail(Reason::port_unavailable, os_error(m_path, "TIOCEXCL", errno));
    }
    return {};
}

Result<std::size_t> LibserialportPort::read_available(std::span<char> buf) {
    const sp_return waiting = sp_input_waiting(m_port);
    if (waiting < 0) {
        return sp_failure(Reason::port_lost, m_path, "sp_input_waiting", waiting);
    }
    if (waiting == 0) {
        return 0;
    }
    const std::size_t want = std::min(buf.size(), static_cast<std::size_t>(waiting));
    const sp_return got = sp_nonblocking_read(m_port, buf.data(), want);
    if (got == SP_ERR_FAIL && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return 0;  // queued bytes were taken by a flush in between; wait again
    }
    if (got < 0) {
        return sp_failure(Reason::port_lost, m_path, "sp_nonblocking_read", got);
    }
    return static_cast<std::size_t>(got);
}

Result<std::size_t> LibserialportPort::read(std::span<char> buf, Clock::time_point deadline) {
    if (m_port == nullptr) {
        return port_closed(m_path);
    }
    if (buf.empty()) {
        return 0;
    }
    for (;;) {
        auto got = read_available(buf);
        if (!got || *got > 0) {
            return got;
        }
        if (fd_hung_up(m_fd)) {
            return fail(Reason::port_lost, m_path + ": read: device hung up");
        }
        const int left_ms = remaining_ms(deadline);
        if (left_ms == 0) {
            return 0;  // sp_wait(0) would wait forever
        }
        if (const sp_return code = sp_wait(m_rx_events, static_cast<unsigned>(left_ms));
            code != SP_OK && !(code == SP_ERR_FAIL && errno == EINTR)) {
            return sp_failure(Reason::port_lost, m_path, "sp_wait", code);
        }
    }
}

Result<void> LibserialportPort::write(std::string_view data, Clock::time_point deadline) {
    if (m_port == nullptr) {
        return port_closed(m_path);
    }
    while (!data.empty()) {
        const sp_return sent = sp_nonblocking_write(m_port, data.data(), data.size());
        // 0.1.1 reports a full output buffer as SP_ERR_FAIL with EAGAIN (measured), not as 0.
        const bool full = sent == SP_ERR_FAIL && (errno == EAGAIN || errno == EWOULDBLOCK);
        if (sent < 0 && !full) {
            return sp_failure(Reason::port_lost, m_path, "sp_nonblocking_write", sent);
        }
        if (sent > 0) {
            data.remove_prefix(static_cast<std::size_t>(sent));
            continue;
        }
        if (fd_hung_up(m_fd)) {
            return fail(Reason::port_lost, m_path + ": write: device hung up");
        }
        const int left_ms = remaining_ms(deadline);
        if (left_ms == 0) {
            return fail(Reason::no_response, m_path + ": write: " + std::to_string(data.size()) +
                                                 " bytes still unsent at the deadline");
        }
        if (const sp_return code = sp_wait(m_tx_events, static_cast<unsigned>(left_ms));
            code != SP_OK && !(code == SP_ERR_FAIL && errno == EINTR)) {
            return sp_failure(Reason::port_lost, m_path, "sp_wait", code);
        }
    }
    return {};
}

Result<void> LibserialportPort::flush_input() {
    if (m_port == nullptr) {
        return port_closed(m_path);
    }
    if (const sp_return code = sp_flush(m_port, SP_BUF_INPUT); code != SP_OK) {
        const bool lost = code == SP_ERR_FAIL && is_lost_errno(errno);
        return sp_failure(lost ? Reason::port_lost : Reason::port_unavailable, m_path, "sp_flush",
                          code);
    }
    return {};
}

void LibserialportPort::close() {
    if (m_rx_events != nullptr) {
        sp_free_event_set(m_rx_events);
        m_rx_events = nullptr;
    }
    if (m_tx_events != nullptr) {
        sp_free_event_set(m_tx_events);
        m_tx_events = nullptr;
    }
    if (m_port != nullptr) {
        if (m_open) {
            sp_close(m_port);  // nothing to do about a failing close; the handle is gone anyway
            m_open = false;
        }
        sp_free_port(m_port);
        m_port = nullptr;
    }
    m_fd = -1;
}

}  // namespace drivers::serial
