// The store's roles a workflow works with, handed around as one value: the run log, the unit
// registry, the outbox, slot health, the RMA depot's records and the nightly regression's. One
// backend usually implements all six (the SQLite
// Store over one connection; a central database later), and converts to Roles as it is; tests
// put fakes together. A SlotWriter's atomic write hands its body the Roles to write with.
#pragma once

#include <concepts>

#include <station/store/outbox.hpp>
#include <station/store/quarantine.hpp>
#include <station/store/regress_log.hpp>
#include <station/store/rma_log.hpp>
#include <station/store/run_log.hpp>
#include <station/store/unit_registry.hpp>

namespace station::store {

// A backend that implements every role (the SQLite Store).
template <class T>
concept EveryRole = std::derived_from<T, RunLog> && std::derived_from<T, UnitRegistry> &&
    std::derived_from<T, Outbox> && std::derived_from<T, Quarantine> &&
    std::derived_from<T, RmaLog> && std::derived_from<T, RegressLog>;

struct Roles {
    RunLog& runs;
    UnitRegistry& units;
    Outbox& outbox;
    Quarantine& quarantine;
    RmaLog& rmas;
    RegressLog& regress;

    Roles(RunLog& runs_, UnitRegistry& units_, Outbox& outbox_, Quarantine& quarantine_,
          RmaLog& rmas_, RegressLog& regress_)
        : runs(runs_),
          units(units_),
          outbox(outbox_),
          quarantine(quarantine_),
          rmas(rmas_),
          regress(regress_) {}
    // A backend of every role is its Roles, as a derived class is its base: not explicit.
    template <EveryRole Backend>
    Roles(Backend& backend)  // NOLINT(google-explicit-constructor)
        : Roles(backend, backend, backend, backend, backend, backend) {}
};

}  // namespace station::store
