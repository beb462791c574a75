// The nightly rig regression (issue 17): one night = `iterations` runs of the pallet engine
// (provision.hpp: every slot in parallel, presence, retries, the same store writes), mode
// `regress`, lot = the rig's id, each linked to the night (store::RegressLog). Per unit, after
// open_port, identify and validate: decide_sku by the two-vote rule (the golden slot's profile
// as the expected profile when the golden file names one), then in the unit's one store write
// its AT round trips. Nothing is ever queued for registration and no duplicate claim is made:
// a regression unit is a lab unit, seen every night.
//
// After the iterations the night is judged (core::evaluate_night against the golden file and
// the earlier nights of the rig), a slot found rig_fault is quarantined as provision does, and
// the night is finished with its exit status. Bounded: at `deadline` no new iteration starts
// and the running one is stopped (its units ABORTED, exit 2).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <station/core/regress.hpp>
#include <station/core/result.hpp>
#include <station/store/roles.hpp>
#include <station/workflows/provision.hpp>

namespace station::workflows {

struct RegressOptions {
    // The pallet engine's options. pallet: the profile whose identify plan the units are read
    // with; pallet_id, mode, unit_plan, run_begun and stop are set by regress().
    ProvisionOptions run;
    std::string rig;            // the rig's id: the runs' lot and the night's rig
    const core::Golden* golden = nullptr;  // record_golden: may be empty (no expectations)
    int iterations = 1;
    core::SlowerThreshold threshold{};
    core::Clock::time_point started{};  // the night's start (injected by tests: --now)
    // Wall time (steady) after which no iteration starts and the running one is stopped.
    std::optional<std::chrono::steady_clock::time_point> deadline{};
    // The operator's stop flag (SIGINT/SIGTERM); the deadline sets the engine's own.
    const std::atomic<bool>* stop = nullptr;
    // --record-golden: one night that is not a night (no open_night, no judgement): only the
    // observations, for golden_from().
    bool record_only = false;
};

struct RegressNight {
    core::RegressReport report;
    int exit_code = 0;
    std::optional<std::int64_t> night;  // the store's night id (none: record_only)
    std::vector<RunSummary> runs;       // one per iteration run
    bool deadline_reached = false;
    bool stopped = false;
};

// Runs and judges one night. Fails only when the night cannot start or be recorded (bad
// options, store errors); every unit problem is in the report.
core::Result<RegressNight> regress(const store::Roles& store, const std::vector<SlotTarget>& slots,
                                   const RegressOptions& options, EventSink& sink);

// The golden file's content from one iteration's observations (--record-golden): every field
// each slot read, its decided profile, region and data center, and its verdict.
core::Golden golden_from(const std::vector<core::SlotObservation>& observations,
                         const std::vector<SlotTarget>& slots, std::string path);

// The last `lines` lines of a rendered transcript.
std::string transcript_tail(const std::string& rendered, std::size_t lines = 20);

}  // namespace station::workflows
