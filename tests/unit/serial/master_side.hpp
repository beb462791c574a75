// The far end of a serial line in tests: a pty master (from openpty or umockdev) driven with
// plain POSIX calls, each bounded by a generous timeout so a broken test fails, not hangs.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include <drivers/serial/serial_port.hpp>

namespace serial_test {

using namespace std::chrono_literals;

// A pseudo-terminal pair from openpty(); closes whatever is still open on destruction.
struct Pty {
    Pty();
    ~Pty();
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;

    // Closes the master, which makes the slave hang up.
    void close_master();

    int master = -1;
    int slave = -1;
    std::string slave_path;
};

// Writes all of `data` to `fd`, waiting for room; returns false on error or after `timeout`.
bool write_all(int fd, std::string_view data, std::chrono::milliseconds timeout = 10s);

// Reads until `count` bytes arrived, an error, or `timeout`; returns what arrived.
std::string read_some(int fd, std::size_t count, std::chrono::milliseconds timeout = 10s);

// Reads from `port` until `count` bytes arrived, an error, or `timeout`; returns what arrived.
std::string read_port(drivers::serial::SerialPort& port, std::size_t count,
                      std::chrono::milliseconds timeout = 10s);

// Bytes 0..255 repeated to `size`: every control character a cooked tty would eat.
std::string all_byte_values(std::size_t size);

}  // namespace serial_test
