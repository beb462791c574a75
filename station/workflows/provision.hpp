// Pallet provisioning: every slot in parallel, each unit through a flat list of steps
// (slot_steps.cpp), every step's result written to the store as it finishes.
//
// Why it is built this way: one thread per slot (a hung unit only ever holds its own thread;
// every wait is bounded by a deadline), one presence monitor that tells slots when a unit
// arrives or leaves, and the store as the only shared state (its calls are serialised). An
// ERROR is retried once on the same slot; a slot whose last three units ended in ERROR is
// quarantined until released. A stop flag (Ctrl-C, SIGTERM) ends in-flight units ABORTED.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <drivers/serial/port_opener.hpp>
#include <drivers/usb/usb_bus.hpp>
#include <profiles/loader.hpp>
#include <station/core/finding.hpp>
#include <station/core/manifest.hpp>
#include <station/core/result.hpp>
#include <station/store/roles.hpp>
#include <station/workflows/events.hpp>

namespace station::workflows {

class UnitPlan;      // unit_plan.hpp
class CentralCheck;  // central_check.hpp

// One slot of the bench: a fixed tty (`port`), or a USB port chain whose device's AT port is
// found when a unit arrives (`port` empty).
struct SlotTarget {
    std::string label;
    std::string port_chain;
    std::string port;
};

// What a slot in a pipeline is told when its turn comes (ProvisionOptions::slot_turn).
enum class SlotTurn { none, begin, after_error };

struct ProvisionOptions {
    const profiles::ProfileSet* profiles = nullptr;  // every known SKU (for the decision)
    const profiles::Profile* pallet = nullptr;       // what the operator says is on the pallet
    // The pallet's packing list (--manifest): the primary SKU signal. Null: decide on the
    // units' own signals (no_manifest says the operator waived a manifest the profile needs).
    const core::Manifest* manifest = nullptr;
    bool no_manifest = false;
    bool require_complete = false;  // manifest lines no unit matched make the run ERROR
    std::string pallet_id;
    std::string operator_name;
    std::string station_version;  // recorded with the run, with every profile file's SHA-256
    int term_years = 1;
    std::string po;
    std::chrono::milliseconds command_timeout{2000};
    bool no_concat = false;                         // --no-concat: one AT command per line
    std::chrono::milliseconds wait_for_unit{5000};  // without watch: how long an empty slot waits
    std::chrono::milliseconds settle{2000};         // USB: ports stable this long = arrived
    std::chrono::milliseconds poll_interval{200};   // presence checks
    int baud = 115200;
    bool watch = false;                       // keep going for a shift, unit after unit
    std::optional<store::RunId> resume;       // continue this interrupted run
    const std::atomic<bool>* stop = nullptr;  // set by the app on SIGINT/SIGTERM
    drivers::usb::UsbBus* usb = nullptr;      // needed when a slot has no fixed port
    // How each unit's ports are opened (the AT port, and the ttys probed for it).
    drivers::serial::PortOpener open_port = drivers::serial::system_ports();
    std::function<TimePoint()> now = [] { return std::chrono::system_clock::now(); };
    // The central database's duplicate look-up ([central] url in the config; null: local only).
    CentralCheck* central = nullptr;
    // A retest or a regression night sets these (planned_run); provision leaves them. The
    // run's mode; the units' own steps after validate (null: provision's); called once the run
    // is recorded (a failure ends the run ERROR before any unit).
    store::RunMode mode = store::RunMode::provision;
    const UnitPlan* unit_plan = nullptr;
    std::function<core::Result<void>(store::RunId)> run_begun{};
    // A regression night's per-slot pipeline (regress.cpp): before a slot waits for its unit,
    // slot_turn(label) returns once the slot may begin (SlotTurn::none: it does nothing;
    // after_error: its unit before ended in ERROR, so its quarantine is read again), and
    // slot_done(label) is called once slot_turn returned, whatever it said and however the
    // slot's work ends. Null: every slot begins at once. slot_free(label), when set, is called
    // as soon as a unit's AT session ended in a verdict that is not retried (not ERROR): its
    // port is free while its result is written, and such a unit is not retried even when that
    // write fails (the next unit in the pipeline may already hold the port).
    std::function<SlotTurn(const std::string&)> slot_turn{};
    std::function<void(const std::string&)> slot_done{};
    std::function<void(const std::string&)> slot_free{};
};

// One unit's final result in a slot.
struct UnitResult {
    std::string slot;
    std::string fsn;
    std::string port;
    core::Outcome outcome = core::Outcome::error;
    std::optional<core::Reason> reason;
    std::string message;
    std::optional<core::DataCenter> data_center;
    int attempts = 0;
    std::chrono::milliseconds elapsed{};
    std::optional<store::SlotResultId> result{};  // the stored slot result (none: never begun)
    std::vector<core::Finding> findings{};        // a retest's (unit_plan.hpp)
    bool released = false;  // its port was handed on before its result was written (slot_free)
};

struct RunSummary {
    store::RunId run;
    core::Outcome outcome = core::Outcome::pass;  // worst unit's (ABORTED when stopped)
    std::vector<UnitResult> units;                // in slot order, then arrival
    std::vector<std::string> empty_slots;
    std::vector<std::string> skipped_slots;      // resume: already PASS; or quarantined
    std::vector<std::string> quarantined_slots;  // quarantined during this run
    // Units (of this run or earlier ones) found holding the SIM identity of a later unit: their
    // PASS changed to FAIL, their registration withdrawn, or noted when already sent to ALMS.
    std::vector<store::IdentityHolder> held;
    // Manifest lines whose serial and IMEI no unit of the run showed, in file order (with a
    // manifest only).
    std::vector<core::ManifestLine> missing_from_pallet;
    bool no_manifest = false;          // decided on the units' word alone (--no-manifest)
    bool manifest_incomplete = false;  // --require-complete and lines missing: ERROR
    bool stopped = false;
    bool already_ended = false;  // --resume of a run that had ended: nothing done, its outcome
    std::chrono::milliseconds elapsed{};
};

// `base` as a run of another mode on the pallet engine (retest.hpp, regress.hpp): lot `lot`,
// mode `mode`, the units' steps from `plan`; no manifest, no completeness check, no resume.
ProvisionOptions planned_run(const ProvisionOptions& base, std::string lot, store::RunMode mode,
                             const UnitPlan& plan);

// Runs a pallet. Fails only when the run itself cannot start or be recorded (store errors,
// a resume of a run that cannot be resumed, bad options); every unit problem is in the summary.
// Resuming a run that ended (PASS, FAIL or ERROR; not stopped or interrupted) touches nothing
// and returns its stored outcome with already_ended set. Works with the store's roles only (a
// Store converts to them).
core::Result<RunSummary> provision(const store::Roles& store, const std::vector<SlotTarget>& slots,
                                   const ProvisionOptions& options, EventSink& sink);

}  // namespace station::workflows
