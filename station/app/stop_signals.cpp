#include <station/app/stop_signals.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>

#include <station/app/exit_codes.hpp>

namespace station::app {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signals{0};
std::atomic<int> g_wake_fd{-1};  // the self-pipe's write end while a watcher listens
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
static_assert(std::atomic<int>::is_always_lock_free, "read from a signal handler");

constexpr char k_wake_signal = 's';
constexpr char k_wake_quit = 'q';

extern "C" void station_on_stop_signal(int /*signal*/) {
    const int saved_errno = errno;
    g_stop.store(true);
    g_signals.fetch_add(1);
    if (const int fd = g_wake_fd.load(); fd >= 0) {
        const char byte = k_wake_signal;
        (void)!::write(fd, &byte, 1);
    }
    errno = saved_errno;
}

}  // namespace

StopSignals::StopSignals(std::function<void()> on_second, std::chrono::milliseconds bound)
    : m_on_second(std::move(on_second)), m_bound(bound) {
    g_stop.store(false);
    g_signals.store(0);
    if (m_on_second && ::pipe2(m_pipe, O_CLOEXEC) == 0) {
        g_wake_fd.store(m_pipe[1]);
        m_watcher = std::thread([this] { watch(); });
    }
    struct sigaction action {};
    action.sa_handler = &station_on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &m_old_int);
    ::sigaction(SIGTERM, &action, &m_old_term);
}

StopSignals::~StopSignals() {
    ::sigaction(SIGINT, &m_old_int, nullptr);
    ::sigaction(SIGTERM, &m_old_term, nullptr);
    if (m_watcher.joinable()) {
        g_wake_fd.store(-1);
        const char byte = k_wake_quit;
        (void)!::write(m_pipe[1], &byte, 1);
        m_watcher.join();
    }
    for (const int fd : m_pipe) {
        if (fd >= 0) ::close(fd);
    }
}

// Sleeps on the self-pipe; on the second signal runs on_second (on a thread of its own, waited
// for at most m_bound: a store stuck on a lock must not keep the process) and exits with 3.
void StopSignals::watch() {
    char byte = 0;
    for (;;) {
        const auto got = ::read(m_pipe[0], &byte, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0 || byte == k_wake_quit) return;
        if (g_signals.load() < 2) continue;
        auto done = std::make_shared<std::promise<void>>();
        auto finished = done->get_future();
        std::thread([action = m_on_second, done] {
            action();
            done->set_value();
        }).detach();
        (void)finished.wait_for(m_bound);
        (void)std::fflush(nullptr);  // event lines already written stay written
        std::_Exit(static_cast<int>(ExitCode::aborted));
    }
}

const std::atomic<bool>& StopSignals::flag() {
    return g_stop;
}

}  // namespace station::app
