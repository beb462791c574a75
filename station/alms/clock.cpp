#include <station/alms/clock.hpp>

#include <thread>

namespace station::alms {

SteadyTime SystemClock::steady_now() {
    return std::chrono::steady_clock::now();
}

WallTime SystemClock::wall_now() {
    return std::chrono::system_clock::now();
}

void SystemClock::sleep_for(Millis duration) {
    if (duration.count() > 0) std::this_thread::sleep_for(duration);
}

}  // namespace station::alms
