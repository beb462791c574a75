// SIGINT and SIGTERM as an operator's "stop": commands that run for long (provision, rig learn)
// catch both for their lifetime and check one flag between steps.
#pragma once

#include <atomic>
#include <csignal>

namespace station::app {

// Catches SIGINT and SIGTERM while it lives (clearing the flag first) and restores the previous
// handlers afterwards. One at a time.
class StopSignals {
  public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Set (async-signal-safely) when either signal arrived.
    static const std::atomic<bool>& flag();
    static bool requested() { return flag().load(); }

  private:
    struct sigaction m_old_int {};
    struct sigaction m_old_term {};
};

}  // namespace station::app
