#include <station/workflows/events.hpp>

namespace station::workflows {

std::string_view to_string(EventKind kind) {
    switch (kind) {
        case EventKind::run_started:
            return "run_started";
        case EventKind::slot_waiting:
            return "slot_waiting";
        case EventKind::slot_empty:
            return "slot_empty";
        case EventKind::unit_started:
            return "unit_started";
        case EventKind::step_finished:
            return "step_finished";
        case EventKind::unit_finished:
            return "unit_finished";
        case EventKind::unit_changed:
            return "unit_changed";
        case EventKind::unit_departed:
            return "unit_departed";
        case EventKind::slot_quarantined:
            return "slot_quarantined";
        case EventKind::slot_skipped:
            return "slot_skipped";
        case EventKind::unit_registered:
            return "unit_registered";
        case EventKind::run_finished:
            return "run_finished";
    }
    return "run_started";
}

}  // namespace station::workflows
