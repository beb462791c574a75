// The libserialport backend, for hardware ports the library knows (/dev/ttyUSB*, /dev/ttyACM*,
// anything with a /sys/class/tty entry). It cannot open pseudo-terminals: see termios_port.hpp.
#pragma once

#include <drivers/serial/serial_port.hpp>

struct sp_port;
struct sp_event_set;

namespace drivers::serial {

class LibserialportPort final : public SerialPort {
  public:
    // Opens `path` read-write through libserialport and applies `settings`. Fails with
    // port_unavailable naming the path, the sp_* call and sp_last_error_message().
    static Result<std::unique_ptr<SerialPort>> open(const std::string& path,
                                                    const Settings& settings);

    // True when libserialport recognises `path` as a serial port (sp_get_port_by_name
    // succeeds, which needs a /sys/class/tty entry). Never fails otherwise.
    static bool knows(const std::string& path);

    ~LibserialportPort() override;

    Result<void> write(std::string_view data, Clock::time_point deadline) override;
    Result<std::size_t> read(std::span<char> buf, Clock::time_point deadline) override;
    Result<void> flush_input() override;
    void close() override;
    const std::string& path() const override { return m_path; }
    std::string_view backend_name() const override { return "libserialport"; }

  private:
    LibserialportPort(std::string path, sp_port* port);

    // sp_open, line settings, the OS handle, exclusive use and the wait sets.
    Result<void> start(const Settings& settings);

    // Reads what is already queued; 0 when nothing is, port_lost on errors and hang-ups.
    Result<std::size_t> read_available(std::span<char> buf);

    std::string m_path;
    sp_port* m_port = nullptr;            // owned: sp_free_port
    bool m_open = false;                  // sp_open succeeded, so sp_close is due
    int m_fd = -1;                        // the OS handle, borrowed from m_port
    sp_event_set* m_rx_events = nullptr;  // owned: sp_free_event_set
    sp_event_set* m_tx_events = nullptr;  // owned: sp_free_event_set
};

}  // namespace drivers::serial
