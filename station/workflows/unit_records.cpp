// What a pallet run records besides a tested unit's steps: the units it does not test
// (quarantined slot, port gone), the manifest lines its units showed, and the units a later
// unit found holding their SIM identity. Internal to the provision workflow.
#include <station/core/sanitize.hpp>
#include <station/workflows/unit_steps.hpp>

namespace station::workflows {

using core::Outcome;

// What the claiming unit's FAIL says about one other holder and what became of it.
std::string holder_note(const store::IdentityHolder& h) {
    std::string note = store::describe_unit(h.fsn, h.slot, h.run, 40);
    if (h.changed) note += ", whose PASS is now FAIL too";
    switch (h.registration) {
        case store::HeldRegistration::withdrawn:
            return note + ", its registration withdrawn";
        case store::HeldRegistration::sent:
            return note + ", already sent to ALMS: inspect it there";
        case store::HeldRegistration::none:
            break;
    }
    return note;
}

// Tells the screen about held units of this run and keeps every held unit for the summary.
void report_held(RunContext& run, const std::vector<store::IdentityHolder>& holders) {
    for (const auto& h : holders) {
        if (h.changed && h.run == run.run) {
            Event e;
            e.kind = EventKind::unit_changed;
            e.at = run.options.now();
            e.slot = h.slot;
            e.step = "duplicate_held";
            e.fsn = h.fsn;
            e.outcome = Outcome::fail;
            e.reason = h.reason;
            e.message = h.message;
            run.sink.on_event(e);
        }
    }
    std::lock_guard lock(run.held_lock);
    for (const auto& h : holders) {
        if (h.changed || h.registration != store::HeldRegistration::none) run.held.push_back(h);
    }
}

void note_manifest_lines(RunContext& run, std::string_view fsn, std::string_view imei) {
    const auto* manifest = run.options.manifest;
    if (!manifest) return;
    std::lock_guard lock(run.manifest_lock);
    for (const auto line : {fsn.empty() ? std::nullopt : manifest->find_serial(fsn),
                            imei.empty() ? std::nullopt : manifest->find_imei(imei)}) {
        if (line && *line < run.manifest_seen.size()) run.manifest_seen[*line] = true;
    }
}

UnitResult record_untested(RunContext& run, const SlotTarget& slot, const Untested& unit) {
    const TimePoint started = unit.since.value_or(run.options.now());
    const Outcome outcome = core::outcome_of(unit.reason);
    UnitResult result{slot.label,   unit.fsn, unit.port,    outcome, unit.reason,
                      unit.message, {},       unit.attempt, {}};
    note_manifest_lines(run, unit.fsn, {});
    const auto event = [&](EventKind kind) {
        Event e;
        e.kind = kind;
        e.at = run.options.now();
        e.slot = slot.label;
        e.fsn = unit.fsn;
        e.attempt = unit.attempt;
        e.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(e.at - started);
        e.outcome = outcome;
        e.reason = unit.reason;
        e.message = unit.message;
        return e;
    };
    core::Result<void> saved;
    if (auto id = run.store.runs.begin_slot(
            run.run, {slot.label, slot.port_chain, unit.port, unit.attempt, started});
        !id) {
        saved = tl::unexpected(id.error());
    } else {  // no unit_started: nothing is started on the unit
        Event step = event(EventKind::step_finished);
        step.step = std::string(unit.step);
        saved = run.store.runs.record_step(
            *id, {step.step, outcome, unit.reason, unit.message, started, step.at});
        run.sink.on_event(step);
        core::Identity identity;
        identity.fsn = unit.fsn;
        if (saved) {
            saved = run.store.runs.finish_slot(*id, {identity, std::nullopt, std::nullopt, outcome,
                                                     unit.reason, unit.message, run.options.now()});
        }
    }
    if (!saved) {
        result.outcome = Outcome::error;
        result.reason = saved.error().reason;
        result.message = saved.error().message;
    }
    Event done = event(EventKind::unit_finished);
    done.outcome = result.outcome;
    done.reason = result.reason;
    done.message = result.message;
    result.elapsed = done.elapsed;
    run.sink.on_event(done);
    return result;
}

}  // namespace station::workflows
