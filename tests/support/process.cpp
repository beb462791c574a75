#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace tests {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
    std::vector<char*> out;
    out.reserve(argv.size() + 1);
    for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
    out.push_back(nullptr);
    return out;
}

pid_t spawn(const std::vector<std::string>& argv, int out_fd, int err_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (out_fd >= 0) posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    if (err_fd >= 0) posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    pid_t pid = -1;
    auto args = c_argv(argv);
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("posix_spawn " + argv[0] + " failed");
    return pid;
}

void fill_status(ProcessResult& result, int status) {
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    std::array<int, 2> out{};
    std::array<int, 2> err{};
    if (pipe2(out.data(), O_CLOEXEC) != 0 || pipe2(err.data(), O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t pid = spawn(argv, out[1], err[1]);
    ::close(out[1]);
    ::close(err[1]);
    ProcessResult result;
    const auto deadline = Clock::now() + timeout;
    std::array<pollfd, 2> fds{pollfd{out[0], POLLIN, 0}, pollfd{err[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR)
            break;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            std::array<char, 4096> buf{};
            const ssize_t n = ::read(fds[i].fd, buf.data(), buf.size());
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
                continue;
            }
            (i == 0 ? result.out : result.err).append(buf.data(), static_cast<std::size_t>(n));
        }
    }
    for (auto& f : fds) {
        if (f.fd >= 0) ::close(f.fd);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    fill_status(result, status);
    if (result.timed_out) result.exit_code = -1;
    return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::string& stdout_path) {
    const int out_fd = stdout_path.empty() ? ::open("/dev/null", O_WRONLY | O_CLOEXEC)
                                           : ::open(stdout_path.c_str(),
                                                    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    m_pid = spawn(argv, out_fd, -1);  // stderr still reaches the test log
    if (out_fd >= 0) ::close(out_fd);
}

void BackgroundProcess::signal(int signal) const {
    if (m_pid > 0) ::kill(m_pid, signal);
}

std::optional<int> BackgroundProcess::wait(std::chrono::milliseconds timeout) {
    if (m_pid <= 0) return m_status;
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (::waitpid(m_pid, &m_status, WNOHANG) == m_pid) {
            m_pid = -1;
            return m_status;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
}

BackgroundProcess::~BackgroundProcess() {
    stop();
}

int BackgroundProcess::stop(std::chrono::milliseconds grace) {
    if (m_pid <= 0) return m_status;
    ::kill(m_pid, SIGTERM);
    const auto deadline = Clock::now() + grace;
    while (Clock::now() < deadline) {
        if (::waitpid(m_pid, &m_status, WNOHANG) == m_pid) {
            m_pid = -1;
            return m_status;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, &m_status, 0);
    m_pid = -1;
    return m_status;
}

bool wait_for_file(const std::string& path, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        std::error_code ec;
        if (std::filesystem::file_size(path, ec) > 0 && !ec) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

namespace {

bool has_line_with(const std::string& path, const std::string& text) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (!in.eof() && line.find(text) != std::string::npos) return true;  // complete lines
    }
    return false;
}

}  // namespace

bool wait_for_line(const std::string& path, const std::string& text,
                   std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (has_line_with(path, text)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return has_line_with(path, text);
}

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "station-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

}  // namespace tests
