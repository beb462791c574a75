// The records the store writes and reads back. Times are passed in by the caller (the store never
// reads the clock); strings from devices are kept as raw data and sanitized only on display.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/identity.hpp>
#include <station/core/reason.hpp>
#include <station/core/region.hpp>

namespace station::store {

using TimePoint = std::chrono::system_clock::time_point;

// Milliseconds since the Unix epoch, as stored. from_ms clamps a value beyond the clock's range
// (about +-292 years) to TimePoint's max / min.
std::int64_t to_ms(TimePoint time);
TimePoint from_ms(std::int64_t ms);

// Text forms as the store keeps them (the central database holds the same): an outcome
// ("PASS" ...; nullopt for anything else), a SIM status (unknown for anything else), and the
// carrier images, one per line with '\' escapes.
std::optional<core::Outcome> outcome_from_text(std::string_view text);
core::SimStatus sim_status_from_text(std::string_view text);
std::vector<std::string> carrier_images_from_text(const std::string& text);

// Row ids, typed so a run id cannot be passed where a slot result id is due.
struct RunId {
    std::int64_t value = 0;
    friend auto operator<=>(const RunId&, const RunId&) = default;
};
struct SlotResultId {
    std::int64_t value = 0;
    friend auto operator<=>(const SlotResultId&, const SlotResultId&) = default;
};
struct OutboxId {
    std::int64_t value = 0;
    friend auto operator<=>(const OutboxId&, const OutboxId&) = default;
};

// What kind of session a run is.
enum class RunMode { provision, retest, regress };
std::string_view to_string(RunMode mode);  // "provision" | "retest" | "regress"
std::optional<RunMode> run_mode_from_string(std::string_view text);

// A profile file a run used: its name, where it was read and the SHA-256 of the bytes loaded.
struct RunProfile {
    std::string name;
    std::string path;
    std::string sha256;  // 64 lowercase hex digits
    friend bool operator==(const RunProfile&, const RunProfile&) = default;
};

// A run as it begins: one pallet (provision), one RMA case (retest) or one rig session (regress).
// The pallet manifest a run decided with (issue 13): the file as given, its bytes' SHA-256 and
// how many unit lines it holds.
struct RunManifest {
    std::string path;
    std::string sha256;
    std::int64_t lines = 0;
};

struct RunInfo {
    RunMode mode = RunMode::provision;
    std::string operator_name;
    std::string lot;  // pallet id (provision), RMA number (retest) or rig id (regress)
    std::string profile;
    TimePoint started;
    std::string station_version{};          // "0.1.0 (v0.1.0-12-gabc1234)"; empty: not recorded
    std::vector<RunProfile> profiles{};     // every profile file the run decided with
    std::optional<RunManifest> manifest{};  // --manifest; none: decided without one
    bool no_manifest = false;  // --no-manifest: the operator waived a required manifest
};

// One unit in one slot, as its test begins. `attempt` counts retests of the slot in this run.
struct SlotStart {
    std::string slot;        // label from the rig map or the port chain, e.g. "A3"
    std::string port_chain;  // physical USB port chain, e.g. "1-1.3"
    std::string port_path;   // AT port used, e.g. "/dev/ttyUSB2"
    int attempt = 1;
    TimePoint started;
};

// One step of a slot's workflow, written as it finishes.
struct StepRecord {
    std::string name;
    core::Outcome outcome = core::Outcome::pass;
    std::optional<core::Reason> reason;
    std::string message;
    TimePoint started;
    TimePoint ended;
};

// How a slot's test ended, with what the station learnt about the unit.
// One signal of a unit's SKU decision as stored (core::SignalVote): where it comes from
// ("manifest" | "imsi" | "iccid_issuer" | "carrier_image" | "module_model"), the value, the
// region it voted for (none: neutral) and why.
struct StoredSignal {
    std::string source;
    std::string value;
    std::optional<core::Region> vote;
    std::string basis;
};

struct SlotFinish {
    core::Identity identity;
    std::optional<core::Region> region;
    std::optional<core::DataCenter> data_center;
    core::Outcome outcome = core::Outcome::error;
    std::optional<core::Reason> reason;
    std::string message;
    TimePoint ended;
    std::string profile{};                   // the decided profile; empty when none
    std::optional<std::string> sku_basis{};  // "manifest" | "unit_signals"; none: undecided
    std::vector<StoredSignal> signals{};     // the decision's votes, in order
};

// A manifest line no unit of the run matched ("missing from the pallet").
struct ManifestMissing {
    std::int64_t line = 0;  // in the manifest file
    std::string serial;
    std::string imei;
    std::string part_number;
};

// A unit seen on the bench: keyed by FSN; the ICCID history is kept so SIM swaps show.
struct DeviceSighting {
    std::string fsn;
    std::string imei;
    std::string iccid;
    TimePoint seen;
    std::optional<SlotResultId> slot_result;
};

// What upsert_device found compared with the last sighting of the same FSN.
struct DeviceChange {
    bool new_unit = false;
    std::optional<std::string> previous_iccid;  // set when the ICCID differs from last time
    std::optional<std::string> previous_imei;   // set when the IMEI differs from last time
};

// A unit to pre-register in one ALMS data center.
// What an outbox row asks of ALMS: create the unit's system (now), or update it (SIM swaps,
// later). One live create per unit and data center.
enum class OutboxAction { create, update };
std::string_view to_string(OutboxAction action);  // "create" | "update"
std::optional<OutboxAction> outbox_action_from_string(std::string_view text);

struct Registration {
    std::string fsn;
    std::string serial;
    std::string imei;
    std::string iccid;
    std::string imsi;
    core::DataCenter data_center = core::DataCenter::na;
    int term_years = 1;
    std::string po;       // purchase order
    std::string company;  // ALMS company uid to register into (manifest); empty: the config's
    std::optional<SlotResultId> slot_result;
    TimePoint queued;
    // The unit's decided region. Queued without one: its slot result's, else the region that
    // routes to `data_center` (na -> na, eu -> global). Always set on rows read back.
    std::optional<core::Region> region{};
    OutboxAction action = OutboxAction::create;
};

// What enqueue_registration did. A unit is never queued twice for one data center, and never
// queued for a second data center while a row for another one exists (nothing is written then):
// per unit for a create, per unit and ICCID for an update (each SIM swap is its own update).
enum class Enqueued { queued, already_queued, queued_for_other_data_center };

// Outbox row life: pending -> claimed (leased by one pusher) -> registered | conflict | failed,
// or back to pending (retry later). in_doubt: a create may have reached ALMS without its answer
// reaching the station (it timed out, or the row was taken back from a pusher that died or
// whose lease expired); claimable again only once due, and then looked up before anything is
// created. A row not yet sent whose unit turned out to share its SIM identity is withdrawn:
// kept for the record, never sent.
enum class OutboxState { pending, claimed, registered, conflict, failed, withdrawn, in_doubt };
std::string_view to_string(OutboxState state);
std::optional<OutboxState> outbox_state_from_string(std::string_view text);

struct OutboxRow {
    OutboxId id;
    Registration registration;
    OutboxState state = OutboxState::pending;
    int attempts = 0;
    std::string last_error;
    std::string remote_id;
    std::string lease_owner;
    std::optional<TimePoint> lease_until;
    TimePoint next_attempt;
    TimePoint updated;
    std::string hold;  // why the unit is held (shared SIM identity); empty for most rows
    std::string station{};  // the station that queued it: rows of the central outbox only
};

// A pusher's claim: who it is, its clock now, and until when its claim holds.
struct Lease {
    std::string owner;
    TimePoint now;
    TimePoint until;
};

// Whether a failed push is tried again (row back to pending) or given up (state failed).
enum class Retry { later, never };

struct OutboxCount {
    core::DataCenter data_center = core::DataCenter::na;
    OutboxState state = OutboxState::pending;
    std::int64_t count = 0;
};

struct OutboxStatus {
    std::vector<OutboxCount> counts;          // per data center and state, non-zero only
    std::optional<TimePoint> oldest_pending;  // queued time of the oldest pending row
    std::vector<OutboxRow> last_errors;       // newest first
    std::vector<OutboxRow> held;  // rows whose unit shares its SIM identity, newest first
    // Rows still to be sent (pending, in_doubt, claimed), next attempt first.
    std::vector<OutboxRow> waiting_rows;

    // Rows of `data_center` still to be sent: pending, in doubt or claimed by a pusher.
    std::int64_t waiting(core::DataCenter data_center) const {
        std::int64_t n = 0;
        for (const auto& count : counts) {
            if (count.data_center == data_center &&
                (count.state == OutboxState::pending || count.state == OutboxState::claimed ||
                 count.state == OutboxState::in_doubt)) {
                n += count.count;
            }
        }
        return n;
    }
};

// A slot taken out of service after ERROR on several units in a row.
struct QuarantinedSlot {
    std::string slot;
    std::string why;
    TimePoint since;
};

// A run as stored.
struct RunRecord {
    RunId id;
    RunInfo info;
    std::string hostname;
    std::optional<TimePoint> ended;
    std::optional<core::Outcome> outcome;
    bool interrupted = false;
    std::string station{};  // its station's id in the central database (--central); else empty
};

// Which runs list_runs returns: of one lot (pallet), started at or after `since`; empty = all.
struct RunFilter {
    std::optional<std::string> lot;
    std::optional<TimePoint> since;
};

// Units of a run per outcome: each unit's final attempt (a retried ERROR counts once, by its
// retry; an ABORTED slot that a resume redid counts by the redo). `in_flight`: no outcome yet.
struct OutcomeCounts {
    std::int64_t pass = 0;
    std::int64_t fail = 0;
    std::int64_t error = 0;
    std::int64_t aborted = 0;
    std::int64_t in_flight = 0;
};

struct RunListing {
    RunRecord run;
    OutcomeCounts counts;
};

// A slot result as stored. `outcome` is empty while the slot is still in flight.
struct SlotRecord {
    SlotResultId id;
    RunId run;
    SlotStart start;
    core::Identity identity;
    std::optional<core::Region> region;
    std::optional<core::DataCenter> data_center;
    std::optional<core::Outcome> outcome;
    std::optional<core::Reason> reason;
    std::string message;
    std::optional<TimePoint> ended;
    std::string profile{};                   // the decided profile (empty before schema 6)
    std::optional<std::string> sku_basis{};  // "manifest" | "unit_signals"
    std::vector<StoredSignal> signals{};     // filled by history / results_for_* (schema 6)
};

// One line of a history or a report: a slot result with the run it belongs to.
struct ResultRow {
    RunRecord run;
    SlotRecord slot;
};

// Which identifier a look-up uses.
enum class UnitKey { fsn, imei, iccid };
std::string_view to_string(UnitKey key);  // "fsn" | "imei" | "iccid"

// One identifier (ICCID or IMEI) held by more than one unit (FSN), by their latest sightings.
struct DuplicateIdentifier {
    std::string value;
    std::vector<std::string> fsns;
};

// What became of the outbox rows of a unit found to share its SIM identity with another.
enum class HeldRegistration {
    none,       // it had no row for this identity
    withdrawn,  // its unsent rows were withdrawn
    sent,       // a row was already sent to ALMS (or being sent): it cannot be withdrawn
};

// How messages name a unit: "unit FSN (slot S, run N)", the parts that are known; the FSN and
// slot sanitized (the FSN to at most `fsn_max` bytes).
std::string describe_unit(std::string_view fsn, std::string_view slot, std::optional<RunId> run,
                          std::size_t fsn_max);

// Another unit that holds the same ICCID or IMEI (by its latest sighting), found by
// claim_identity, and what the claim did to it.
struct IdentityHolder {
    std::string fsn;                                      // its unit key
    core::Reason reason = core::Reason::duplicate_iccid;  // or duplicate_imei
    std::string value;                                    // the shared ICCID or IMEI
    std::optional<SlotResultId> slot_result;              // its latest slot result
    std::optional<RunId> run;
    std::string slot;
    std::optional<core::Outcome> outcome;  // of that result before the claim (empty: in flight)
    bool changed = false;                  // its PASS was changed to FAIL by the claim
    std::string message;                   // what was written on it (result and outbox rows)
    HeldRegistration registration = HeldRegistration::none;
};

// What claim_identity found: the claiming unit's own change since last seen, and every other
// unit that holds its ICCID or IMEI (none: the claim is clean).
struct IdentityClaim {
    DeviceChange change;
    std::vector<IdentityHolder> holders;
};

// A unit seen with a different ICCID than before.
struct SimSwap {
    std::string fsn;
    std::string previous_iccid;
    std::string current_iccid;
    TimePoint seen;  // when the current ICCID was first seen on this unit
};

// `station db check`: the integrity check's findings ("ok" alone when healthy).
struct CheckReport {
    int schema_version = 0;
    int supported_version = 0;
    std::vector<std::string> integrity;
    bool ok() const { return integrity.size() == 1 && integrity.front() == "ok"; }
};

}  // namespace station::store
