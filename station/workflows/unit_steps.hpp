// One unit, one attempt: the flat list of steps of a pallet run (unit_steps.cpp). Internal to
// the provision workflow.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <drivers/router/concat.hpp>
#include <station/workflows/presence.hpp>
#include <station/workflows/provision.hpp>

namespace station::workflows {

// What every unit of a run shares.
struct RunContext {
    store::Roles store;  // the store's roles: the run log, units, outbox, slot health
    const ProvisionOptions& options;
    EventSink& sink;
    store::RunId run;
    std::vector<core::SkuProfile> skus;  // every profile, for the decision
    const core::SkuProfile* pallet_sku;  // points into skus
    // Manifest lines some unit of this run showed (its FSN or its IMEI is on the line), by
    // index, guarded by manifest_lock: the others are missing from the pallet.
    std::mutex manifest_lock{};
    std::vector<bool> manifest_seen{};
    // Each unit's store steps (duplicate check, registration) and result are one write on the
    // store's writer, so a later unit that holds its SIM identity finds it finished, never
    // half-way. They are shown in the order the writer ran them (their turn): a unit held by a
    // later one is shown finished before it is shown changed. next_turn is taken on the writer.
    // No unit waits for its turn: it leaves what it shows in turn_shows, and whichever thread
    // finds the next turn there shows it and every turn after it that is ready.
    std::atomic<std::uint64_t> next_turn{0};
    std::mutex turn_lock{};
    std::map<std::uint64_t, std::function<void()>> turn_shows{};  // guarded by turn_lock
    bool turn_showing = false;                                    // guarded by turn_lock
    std::uint64_t shown_turns = 0;                                // guarded by turn_lock
    std::mutex held_lock{};
    std::vector<store::IdentityHolder> held{};  // guarded by held_lock: units held by later ones
    // Which command-line form each (model, firmware) takes, learnt once for the run's slots.
    drivers::router::ConcatMemory concat_memory{};
};

// Marks the manifest lines holding this FSN or this IMEI as seen on the pallet (no manifest:
// nothing). Thread-safe.
void note_manifest_lines(RunContext& run, std::string_view fsn, std::string_view imei);

// What a claiming unit's FAIL says about one other holder of its SIM identity and what became
// of it (unit_records.cpp).
std::string holder_note(const store::IdentityHolder& h);
// Tells the screen about held units of this run (unit_changed) and keeps every held unit for
// the summary. Thread-safe.
void report_held(RunContext& run, const std::vector<store::IdentityHolder>& holders);

// Runs every step for the unit that arrived in `slot`, writing each to the store and
// emitting events. Never throws; a store failure ends the unit in ERROR store_error.
UnitResult run_unit(RunContext& run, const SlotTarget& slot, const Arrival& arrival, int attempt);

// A unit the station does not test: its slot is quarantined, or its port did not come back for
// the retry. Recorded like any unit (a slot result with the one step `step` ending in `reason`,
// its step_finished and unit_finished events), so the store and the screen list it among the
// units to pull.
struct Untested {
    std::string port;
    std::string fsn;  // when an earlier attempt read it
    int attempt = 1;
    std::string_view step;
    core::Reason reason = core::Reason::slot_quarantined;
    std::string message;
    std::optional<TimePoint> since;  // when the step began (default: now)
};

// Never throws; a store failure ends the unit in ERROR store_error.
UnitResult record_untested(RunContext& run, const SlotTarget& slot, const Untested& unit);

}  // namespace station::workflows
