#include "master_side.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <stdexcept>

namespace serial_test {

namespace {

using Clock = std::chrono::steady_clock;

int ms_left(Clock::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), INT_MAX));
}

// Waits for `events` on `fd`; false on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    struct pollfd pfd {};
    pfd.fd = fd;
    pfd.events = events;
    for (;;) {
        const int ready = ::poll(&pfd, 1, ms_left(deadline));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        return ready > 0 && (pfd.revents & events) != 0;
    }
}

}  // namespace

Pty::Pty() {
    std::array<char, 128> name{};
    if (::openpty(&master, &slave, name.data(), nullptr, nullptr) != 0) {
        throw std::runtime_error("openpty failed");
    }
    slave_path = name.data();
}

Pty::~Pty() {
    close_master();
    if (slave >= 0) {
        ::close(slave);
    }
}

void Pty::close_master() {
    if (master >= 0) {
        ::close(master);
        master = -1;
    }
}

bool write_all(int fd, std::string_view data, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!data.empty()) {
        const ssize_t written = ::write(fd, data.data(), data.size());
        if (written > 0) {
            data.remove_prefix(static_cast<std::size_t>(written));
        } else if (written < 0 && errno != EAGAIN && errno != EINTR) {
            return false;
        } else if (!wait_for(fd, POLLOUT, deadline)) {
            return false;
        }
    }
    return true;
}

std::string read_some(int fd, std::size_t count, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::string got;
    std::array<char, 4096> buf{};
    while (got.size() < count && wait_for(fd, POLLIN, deadline)) {
        const ssize_t n = ::read(fd, buf.data(), std::min(buf.size(), count - got.size()));
        if (n > 0) {
            got.append(buf.data(), static_cast<std::size_t>(n));
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            break;
        }
    }
    return got;
}

std::string read_port(drivers::serial::SerialPort& port, std::size_t count,
                      std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::string got;
    std::array<char, 4096> buf{};
    while (got.size() < count && Clock::now() < deadline) {
        const std::size_t want = std::min(buf.size(), count - got.size());
        const auto n = port.read(std::span<char>(buf.data(), want), deadline);
        if (!n) {
            break;
        }
        got.append(buf.data(), *n);
    }
    return got;
}

std::string all_byte_values(std::size_t size) {
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        data[i] = static_cast<char>(static_cast<unsigned char>(i % 256));
    }
    return data;
}

}  // namespace serial_test
