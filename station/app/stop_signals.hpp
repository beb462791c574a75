// SIGINT and SIGTERM as an operator's "stop": commands that run for long (provision, rig learn)
// catch both for their lifetime and check one flag between steps (the AT channel checks it while
// it waits, so a unit in flight stops within tens of milliseconds).
//
// A second signal means "stop now": when the command gave an on_second action, a watcher thread
// runs it (bounded, e.g. the store's last writes) and the process exits with status 3 at once,
// without waiting for slot threads. The handler itself only sets atomics and writes one byte to
// a self-pipe, which is all a signal handler may do.
#pragma once

#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <thread>

namespace station::app {

// Catches SIGINT and SIGTERM while it lives (clearing the flag first) and restores the previous
// handlers afterwards. One at a time.
class StopSignals {
  public:
    // `on_second`: run when a second signal arrives, for at most `bound`; then _exit(3).
    // Without it a second signal only keeps the flag set.
    explicit StopSignals(std::function<void()> on_second = {},
                         std::chrono::milliseconds bound = std::chrono::milliseconds(1500));
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Set (async-signal-safely) when either signal arrived.
    static const std::atomic<bool>& flag();
    static bool requested() { return flag().load(); }

  private:
    void watch();

    std::function<void()> m_on_second;
    std::chrono::milliseconds m_bound;
    int m_pipe[2] = {-1, -1};
    std::thread m_watcher;
    struct sigaction m_old_int {};
    struct sigaction m_old_term {};
};

}  // namespace station::app
