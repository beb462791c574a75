#include <station/app/label_output.hpp>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>

namespace station::app {
namespace {

using core::fail;
using core::Reason;
using Millis = std::chrono::milliseconds;

// Label errors are never a unit's reason; the message names the target.
constexpr Reason k_label_error = Reason::port_unavailable;

struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

std::string errno_text(int err) { return std::strerror(err); }

bool wait_for(int fd, short events, Millis timeout) {
    pollfd p{fd, events, 0};
    int rc = 0;
    do {
        rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (rc < 0 && errno == EINTR);
    return rc > 0;
}

core::Result<void> write_all(int fd, std::string_view data, Millis timeout, const std::string& who) {
    while (!data.empty()) {
        if (!wait_for(fd, POLLOUT, timeout)) return fail(k_label_error, who + ": write timed out");
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n < 0 && errno == ENOTSOCK) {
            const ssize_t w = ::write(fd, data.data(), data.size());
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return fail(k_label_error, who + ": " + errno_text(errno));
            data.remove_prefix(static_cast<std::size_t>(w));
            continue;
        }
        if (n < 0) return fail(k_label_error, who + ": " + errno_text(errno));
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// A non-blocking TCP connection to the printer, within `timeout`.
core::Result<int> connect_to(const LabelTarget& t, Millis timeout, const std::string& who) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(t.port);
    if (const int rc = ::getaddrinfo(t.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        return fail(k_label_error, who + ": " + ::gai_strerror(rc));
    }
    std::string last = "no address";
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            int err = ETIMEDOUT;
            socklen_t len = sizeof err;
            if (wait_for(fd, POLLOUT, timeout)) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            rc = err == 0 ? 0 : -1;
            errno = err;
        }
        if (rc == 0) {
            ::freeaddrinfo(found);
            return fd;
        }
        last = errno_text(errno);
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return fail(k_label_error, who + ": cannot connect: " + last);
}

core::Result<void> send_network(const LabelTarget& t, std::string_view zpl, Millis timeout) {
    const std::string who = t.shown();
    auto fd = connect_to(t, timeout, who);
    if (!fd) return tl::unexpected(fd.error());
    Fd sock(*fd);
    if (auto w = write_all(sock.fd, zpl, timeout, who); !w) return w;
    ::shutdown(sock.fd, SHUT_WR);
    // Wait for the printer to close its side; a reset means it dropped the job.
    char buf[256];
    while (wait_for(sock.fd, POLLIN, timeout)) {
        const ssize_t n = ::recv(sock.fd, buf, sizeof buf, 0);
        if (n > 0 || (n < 0 && errno == EINTR)) continue;
        if (n == 0) return {};
        return fail(k_label_error, who + ": connection dropped: " + errno_text(errno));
    }
    return {};
}

core::Result<void> write_file(const std::string& path, std::string_view zpl, int flags,
                              Millis timeout, const std::string& who) {
    const int fd = ::open(path.c_str(), flags | O_WRONLY | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0) return fail(k_label_error, who + ": " + errno_text(errno));
    Fd file(fd);
    if (auto w = write_all(file.fd, zpl, timeout, who); !w) return w;
    if (::close(file.fd) != 0) {
        file.fd = -1;
        return fail(k_label_error, who + ": " + errno_text(errno));
    }
    file.fd = -1;
    return {};
}

core::Result<void> send_dir(const LabelTarget& t, std::string_view fsn, std::string_view zpl,
                            Millis timeout) {
    const std::string final_path = t.path + "/" + label_file_name(fsn);
    const std::string temp = final_path + ".tmp";
    const std::string who = "label file " + core::sanitize_for_display(final_path, 300);
    if (auto w = write_file(temp, zpl, O_CREAT | O_TRUNC, timeout, who); !w) {
        ::unlink(temp.c_str());
        return w;
    }
    if (::rename(temp.c_str(), final_path.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        return fail(k_label_error, who + ": " + errno_text(err));
    }
    return {};
}

}  // namespace

std::string LabelTarget::stored() const {
    switch (kind) {
        case Kind::dir:
            return "dir:" + path;
        case Kind::device:
            return "device:" + path;
        case Kind::network:
            return "net:" + host + ":" + std::to_string(port);
    }
    return {};
}

std::string LabelTarget::shown() const {
    switch (kind) {
        case Kind::dir:
            return "folder " + core::sanitize_for_display(path, 300);
        case Kind::device:
            return "device " + core::sanitize_for_display(path, 300);
        case Kind::network:
            return "printer " + core::sanitize_for_display(host, 255) + ":" + std::to_string(port);
    }
    return {};
}

core::Result<LabelTarget> parse_printer(std::string_view text) {
    LabelTarget t;
    if (!text.empty() && text.front() == '/') {
        t.kind = LabelTarget::Kind::device;
        t.path = std::string(text);
        return t;
    }
    const auto colon = text.rfind(':');
    const std::string shown = core::sanitize_for_display(text, 300);
    if (colon == std::string_view::npos || colon == 0) {
        return fail(Reason::bad_usage, "--printer " + shown + ": give HOST:PORT or a device path");
    }
    std::string_view host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const auto port = core::parse_integer<int>(text.substr(colon + 1));
    if (!port || *port < 1 || *port > 65535 || host.empty()) {
        return fail(Reason::bad_usage, "--printer " + shown + ": port must be 1..65535");
    }
    t.kind = LabelTarget::Kind::network;
    t.host = std::string(host);
    t.port = *port;
    return t;
}

LabelTarget label_dir(std::string_view dir) {
    LabelTarget t;
    t.kind = LabelTarget::Kind::dir;
    t.path = std::string(dir);
    return t;
}

core::Result<LabelTarget> parse_stored_target(std::string_view stored) {
    if (stored.rfind("dir:", 0) == 0) return label_dir(stored.substr(4));
    if (stored.rfind("device:", 0) == 0 || stored.rfind("net:", 0) == 0) {
        return parse_printer(stored.substr(stored.find(':') + 1));
    }
    return fail(Reason::store_error, "unknown label target '" +
                                         core::sanitize_for_display(stored, 64) + "'");
}

std::string label_file_name(std::string_view fsn) {
    std::string name;
    for (const char c : fsn.substr(0, 64)) {
        const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        name += keep ? c : '_';
    }
    if (name.empty() || name.front() == '.') name.insert(0, "_");
    return name + ".zpl";
}

core::Result<void> send_label(const LabelTarget& target, std::string_view fsn, std::string_view zpl,
                              std::chrono::milliseconds timeout) {
    switch (target.kind) {
        case LabelTarget::Kind::dir:
            return send_dir(target, fsn, zpl, timeout);
        case LabelTarget::Kind::device:
            return write_file(target.path, zpl, O_NONBLOCK, timeout, target.shown());
        case LabelTarget::Kind::network:
            return send_network(target, zpl, timeout);
    }
    return {};
}

}  // namespace station::app
