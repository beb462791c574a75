// One unit, one attempt: the flat list of steps of a pallet run (unit_steps.cpp). Internal to
// the provision workflow.
#pragma once

#include <mutex>
#include <string>

#include <station/workflows/presence.hpp>
#include <station/workflows/provision.hpp>

namespace station::workflows {

// What every unit of a run shares.
struct RunContext {
    store::Store& store;
    const ProvisionOptions& options;
    EventSink& sink;
    store::RunId run;
    std::vector<core::SkuProfile> skus;  // every profile, for the decision
    const core::SkuProfile* pallet_sku;  // points into skus
    // Held by a unit from its duplicate check until its result is out (stored and shown), so a
    // later unit of this run that holds its SIM identity finds it finished, never half-way.
    std::mutex identity_lock{};
    std::mutex held_lock{};
    std::vector<store::IdentityHolder> held{};  // guarded by held_lock: units held by later ones
};

// Runs every step for the unit that arrived in `slot`, writing each to the store and
// emitting events. Never throws; a store failure ends the unit in ERROR store_error.
UnitResult run_unit(RunContext& run, const SlotTarget& slot, const Arrival& arrival, int attempt);

}  // namespace station::workflows
