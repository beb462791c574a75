// What a running workflow tells the outside world. Workflows know nothing of terminals: they
// emit Events to an EventSink; the app renders them (live table, plain lines, JSON events).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/finding.hpp>
#include <station/core/reason.hpp>
#include <station/core/region.hpp>
#include <station/core/sku_decision.hpp>

namespace station::workflows {

using TimePoint = std::chrono::system_clock::time_point;

enum class EventKind {
    run_started,       // message: run id, pallet, profile
    slot_waiting,      // the slot waits for a unit
    slot_empty,        // no unit arrived in time (not a result)
    unit_started,      // a unit is being provisioned (attempt in `attempt`)
    step_finished,     // one step ended (step, outcome, reason, message)
    unit_finished,     // the unit's result (outcome, reason, message, fsn, data_center)
    unit_changed,      // a finished unit's result was changed (outcome, reason, message, fsn):
                       // a later unit holds its ICCID/IMEI, so both are held
    unit_departed,     // watch mode: the unit was unplugged
    slot_quarantined,  // the slot errored on too many units in a row
    slot_skipped,      // resume: already PASS in this run, or quarantined
    unit_registered,   // provision --push: ALMS settled (or deferred) a PASS unit's registration;
                       // step = outbox state, outcome PASS/FAIL/ERROR (ERROR: still queued)
    run_finished,      // outcome of the whole run
};

std::string_view to_string(EventKind kind);

struct Event {
    EventKind kind = EventKind::run_started;
    std::int64_t run = 0;  // the run's id on run events (0: not said; sinks keep the last one)
    TimePoint at;
    std::string slot;  // empty for run events
    std::string step;  // for step_finished, and the step in flight for unit events
    std::string fsn;   // raw device data: sanitize before display
    int attempt = 0;
    std::optional<core::Outcome> outcome;
    std::optional<core::Reason> reason;
    std::optional<core::DataCenter> data_center;
    // unit_finished: the SKU decision's profile, basis and votes (empty when not decided)
    std::string profile;
    std::optional<core::DecisionBasis> sku_basis;
    std::vector<core::SignalVote> signals;
    // unit_finished of a retest: every finding (set, maybe empty; none on other runs)
    std::optional<std::vector<core::Finding>> findings{};
    std::string message;                  // composed by the station; device parts sanitized
    std::chrono::milliseconds elapsed{};  // since the unit (or run) started
};

// Receives events from many slot threads at once: implementations serialise themselves.
class EventSink {
  public:
    virtual ~EventSink() = default;
    virtual void on_event(const Event& event) = 0;
};

}  // namespace station::workflows
