#include <station/app/stop_signals.hpp>

namespace station::app {
namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void station_on_stop_signal(int /*signal*/) {
    g_stop.store(true);
}

}  // namespace

StopSignals::StopSignals() {
    g_stop.store(false);
    struct sigaction action {};
    action.sa_handler = &station_on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &m_old_int);
    ::sigaction(SIGTERM, &action, &m_old_term);
}

StopSignals::~StopSignals() {
    ::sigaction(SIGINT, &m_old_int, nullptr);
    ::sigaction(SIGTERM, &m_old_term, nullptr);
}

const std::atomic<bool>& StopSignals::flag() {
    return g_stop;
}

}  // namespace station::app
