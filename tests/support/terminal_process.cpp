#include "terminal_process.hpp"

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include <station/core/utf8.hpp>

namespace tests {
namespace {

using Clock = std::chrono::steady_clock;

// Removes CSI (ESC [ ... final byte) and other two-byte escapes.
std::string strip_escapes(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\x1b') {
            out += text[i];
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '[') {
            i += 2;
            while (i < text.size() && (text[i] < 0x40 || text[i] > 0x7e)) ++i;
        } else {
            ++i;
        }
    }
    return out;
}

}  // namespace

TerminalProcess::TerminalProcess(const std::vector<std::string>& argv, int columns, int rows) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    struct winsize size {};
    size.ws_col = static_cast<unsigned short>(columns);
    size.ws_row = static_cast<unsigned short>(rows);
    m_pid = ::forkpty(&m_master, nullptr, nullptr, &size);
    if (m_pid < 0) throw std::runtime_error("forkpty failed");
    if (m_pid == 0) {
        ::setenv("LANG", "C.UTF-8", 1);
        ::unsetenv("LC_ALL");
        ::unsetenv("LC_CTYPE");
        ::unsetenv("NO_COLOR");
        ::setenv("TERM", "xterm", 1);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    m_reader = std::thread([this] { read_loop(); });
}

TerminalProcess::~TerminalProcess() {
    if (!m_exit) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
    }
    if (m_reader.joinable()) m_reader.join();
    ::close(m_master);
}

void TerminalProcess::read_loop() {
    char buf[4096];
    for (;;) {
        struct pollfd pfd {
            m_master, POLLIN, 0
        };
        if (::poll(&pfd, 1, 200) < 0 && errno != EINTR) return;
        const ssize_t n = ::read(m_master, buf, sizeof buf);
        if (n > 0) {
            std::lock_guard lock(m_mutex);
            m_output.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) return;  // EIO: the child is gone
    }
}

std::string TerminalProcess::output() const {
    std::lock_guard lock(m_mutex);
    return m_output;
}

bool TerminalProcess::wait_for_output(const std::string& text,
                                      std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (output().find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

void TerminalProcess::signal(int signal) const {
    ::kill(m_pid, signal);
}

std::optional<int> TerminalProcess::wait(std::chrono::milliseconds timeout) {
    if (m_exit) return m_exit;
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(m_pid, &status, WNOHANG);
        if (done == m_pid) {
            m_exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            if (m_reader.joinable()) m_reader.join();  // the rest of the output
            return m_exit;
        }
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::vector<std::string> last_frame_lines(const std::string& output) {
    // Each frame ends with "clear to the end of the screen"; the one before it starts the frame.
    const std::string clear = "\x1b[J";
    const auto end = output.rfind(clear);
    if (end == std::string::npos) return {};
    const auto before = end == 0 ? std::string::npos : output.rfind(clear, end - 1);
    const std::size_t from = before == std::string::npos ? 0 : before + clear.size();
    const std::string text = strip_escapes(output.substr(from, end - from));
    std::vector<std::string> lines;
    std::string line;
    for (const char c : text) {
        if (c == '\n') {
            lines.push_back(line);
            line.clear();
        } else if (c != '\r') {
            line += c;
        }
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

std::size_t columns_of(const std::string& line) {
    return station::core::display_width(strip_escapes(line));
}

}  // namespace tests
