// Time for the ALMS client: a steady clock (token expiry, backoff), the wall clock (HTTP-date
// Retry-After, not_before stamps the outbox stores) and a sleeper. Tests inject a manual clock
// whose sleep only advances time, so backoff and Retry-After are checked without waiting.
#pragma once

#include <chrono>

namespace station::alms {

using Millis = std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

class Clock {
  public:
    virtual ~Clock() = default;
    virtual SteadyTime steady_now() = 0;
    virtual WallTime wall_now() = 0;
    // Waits `duration` (the real clock sleeps; a test clock advances).
    virtual void sleep_for(Millis duration) = 0;
};

// The real clocks and std::this_thread::sleep_for.
class SystemClock final : public Clock {
  public:
    SteadyTime steady_now() override;
    WallTime wall_now() override;
    void sleep_for(Millis duration) override;
};

// A clock that moves only when told to, or when something sleeps on it.
class ManualClock final : public Clock {
  public:
    explicit ManualClock(WallTime wall_start = WallTime{} + std::chrono::hours(24 * 365 * 56))
        : m_wall(wall_start) {}
    SteadyTime steady_now() override { return m_steady; }
    WallTime wall_now() override { return m_wall; }
    void sleep_for(Millis duration) override {
        m_slept += duration;
        advance(duration);
    }
    void advance(Millis duration) {
        m_steady += duration;
        m_wall += duration;
    }
    // Total time slept through sleep_for.
    Millis slept() const { return m_slept; }

  private:
    SteadyTime m_steady{};
    WallTime m_wall;
    Millis m_slept{0};
};

}  // namespace station::alms
