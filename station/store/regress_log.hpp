// The nightly regression's records as a role of the store (issue 17): each unit attempt's AT
// round trips, and the earlier nights of a rig for the baselines and trends. The SQLite Store
// implements it over its one connection and writer thread; a second backend (a central
// database) implements the same calls.
#pragma once

#include <string_view>
#include <vector>

#include <station/core/regress.hpp>
#include <station/core/result.hpp>
#include <station/store/records.hpp>

namespace station::store {

class RegressLog {
  public:
    virtual ~RegressLog() = default;

    // A night: one `station regress` invocation on rig `rig` (the rig file's id). Each of its
    // iterations is a run of mode `regress` (lot: the rig id) linked to it.
    virtual core::Result<std::int64_t> open_night(std::string_view rig, std::string_view golden,
                                                  TimePoint started) = 0;
    virtual core::Result<void> link_iteration(std::int64_t night, RunId run, int iteration) = 0;
    // The night's exit status (regress_exit_code) once it is judged; a night never finished
    // (killed) is left out of baselines.
    virtual core::Result<void> finish_night(std::int64_t night, int exit_code,
                                            TimePoint ended) = 0;

    // Writes one unit attempt's round trips on its slot result (replacing any written before).
    virtual core::Result<void> record_round_trips(SlotResultId slot,
                                                  const std::vector<core::RoundTrip>& trips) = 0;
    virtual core::Result<std::vector<core::RoundTrip>> round_trips(SlotResultId slot) = 0;
    // The finished nights of rig `rig` started before `before`, newest first, at most `nights`
    // of them, as one NightSlot per night and slot: its unit, its outcome per iteration (the
    // final attempt of each), and its round trips per command over the night. Nights newest
    // first (by start, then id), a night's slots by label; NightSlot::run is the night's id
    // (open_night's); fsn: the last attempt of the night that read one; outcomes: one per
    // iteration the slot ran in, in iteration order, the final attempt's (an ERROR is retried
    // within a run; an attempt never finished counts as ABORTED); round_trip_ms: every sample of
    // those final attempts, in iteration and command order (a retried attempt's are left out).
    // `nights` <= 0: none.
    virtual core::Result<std::vector<core::NightSlot>> regress_nights(std::string_view rig,
                                                                      TimePoint before,
                                                                      int nights) = 0;

  protected:
    RegressLog() = default;
    RegressLog(const RegressLog&) = default;
    RegressLog& operator=(const RegressLog&) = default;
};

}  // namespace station::store
