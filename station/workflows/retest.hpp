// The RMA depot's retest (issue 16): returned units through the pallet engine (provision.hpp:
// slots in parallel, presence, retries, quarantine, the same store writes), each compared with
// its provisioning record, optionally looked up in ALMS, and given a verdict: PASS = ready to
// ship back, FAIL = the first blocking finding, ERROR = the station, port or ALMS could not
// answer. A run of mode `retest` whose lot is the RMA id, linked to the RMA.
//
// Per unit, after open_port, identify and validate: decide_sku (from the provisioning record,
// else the label's part number, else the two-vote rule; the unit's signals veto), then
// compare_history, check_alms (with a hook), and in the unit's one store write
// record_findings, queue_update (--reregister) and verdict. No duplicate claims and no create
// registration: a retest changes nothing of the unit's provisioning.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <station/core/finding.hpp>
#include <station/core/identity.hpp>
#include <station/core/region.hpp>
#include <station/core/result.hpp>
#include <station/store/outbox.hpp>
#include <station/store/rma_log.hpp>
#include <station/store/roles.hpp>
#include <station/workflows/alms_check.hpp>
#include <station/workflows/provision.hpp>

namespace station::workflows {

struct RetestOptions {
    // The pallet engine's options. pallet: the profile whose identify plan (and USB filter) the
    // units are read with; pallet_id, mode, unit_plan and run_begun are set by retest().
    ProvisionOptions run;
    std::string rma;  // the RMA id: the run's lot
    std::string customer;
    std::string note;
    // Units with neither a record nor a part number are decided by the two-vote rule and must
    // be this profile (--profile); null: any profile.
    const profiles::Profile* expected = nullptr;
    std::string part_number;  // --part-number: the label's, for units without a record
    // Read-only ALMS look-ups of each unit (alms_check.hpp): the alms_* findings; a failure
    // (ALMS down, refused) ends the unit ERROR with its reason. Unset: no ALMS look-ups.
    AlmsCheckHook alms_check{};
    bool reregister = false;  // sim_swapped / alms_iccid_stale: queue an outbox `update` row
};

// Opens (or reuses) the RMA, runs the units and links the run to the RMA. Fails only when the
// run cannot start (bad options, store errors); every unit problem is in the summary, whose
// units carry their findings.
core::Result<RunSummary> retest(const store::Roles& store, const std::vector<SlotTarget>& slots,
                                const RetestOptions& options, EventSink& sink);

// The verdict of a unit with these findings (its store step `verdict`): PASS listing the
// informational ones, or FAIL with the first blocking finding's reason listing every one.
struct RetestVerdict {
    core::Outcome outcome = core::Outcome::pass;
    std::optional<core::Reason> reason;
    std::string message;
};
RetestVerdict retest_verdict(const std::vector<core::Finding>& findings);

// The action shown for a retested unit: its findings' depot action (core::action_for: "ship
// back", "replace SIM", "re-register", "scrap") for a PASS or a FAIL with findings; "inspect"
// for a FAIL without any (its identity or SKU failed before the comparison); empty for ERROR
// and ABORTED (nothing was decided: retest it).
std::string retest_action(core::Outcome outcome, const std::vector<core::Finding>& findings);

// "sim_swapped (89014... -> 89332..., run 3, pallet P1, 2026-11-02)", sanitised.
std::string describe_finding(const core::Finding& finding);

}  // namespace station::workflows
