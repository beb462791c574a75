// The shared hand-written fake of the store's roles (station/store/roles.hpp): the run log, the
// unit registry, the outbox, slot health, the RMA and regress records kept in memory, for
// workflow tests that need no SQLite file. One lock guards everything. A SlotWriter's atomic write runs its body under that
// lock and puts everything back when the body fails, as the real store's savepoint does.
//
// Kept simple: the outbox only queues, lists and withdraws (no pusher calls), the registry's
// reports and history are not kept; those calls fail with store_error ("not kept").
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <station/store/roles.hpp>

namespace tests {

namespace st = station::store;
template <class T>
using Result = station::core::Result<T>;

class MemoryStore final : public st::RunLog,
                          public st::UnitRegistry,
                          public st::Outbox,
                          public st::Quarantine,
                          public st::RmaLog,
                          public st::RegressLog {
  public:
    // A regress night as open_night / finish_night left it.
    struct Night {
        std::string rig;
        std::string golden;
        st::TimePoint started;
        std::optional<st::TimePoint> ended;
        std::optional<int> exit_code;  // nullopt while unfinished
    };
    struct Iteration {
        std::int64_t night = 0;
        int iteration = 0;
    };

    // Everything kept, as a test reads it back (data()).
    struct Data {
        std::vector<st::RunRecord> runs;
        std::vector<st::SlotRecord> slots;
        std::map<std::int64_t, std::vector<st::StepRecord>> steps;         // by slot result id
        std::map<std::int64_t, std::string> transcripts;                   // by slot result id
        std::map<std::int64_t, std::vector<st::ManifestMissing>> missing;  // by run id
        std::map<std::string, st::DeviceSighting> devices;  // latest sighting per unit key
        std::vector<st::OutboxRow> outbox;
        std::map<std::string, st::QuarantinedSlot> quarantined;
        std::map<std::string, int> error_streaks;        // by slot: set by tests
        std::vector<std::string> events;                 // "<kind>: <text>"
        std::map<std::string, st::RmaRecord> rmas;       // by id
        std::map<std::int64_t, std::string> rma_of_run;  // by run id
        std::map<std::int64_t, std::vector<station::core::Finding>> findings;  // by slot result
        std::map<std::int64_t, Night> nights;                                   // by night id
        std::map<std::int64_t, Iteration> iterations;                           // by run id
        std::map<std::int64_t, std::vector<station::core::RoundTrip>> round_trips;  // by slot
    };

    Data data() const;
    // Sets a slot's error streak as slot_error_streak reports it.
    void set_error_streak(const std::string& slot, int streak);
    void quarantine_now(const std::string& slot, const std::string& why);
    // Every later call named `call` (e.g. "enqueue_registration") fails with store_error.
    void fail_calls(const std::string& call);
    // Names of the calls made inside a SlotWriter::write body, in order.
    std::vector<std::string> calls_in_writes() const;

    // RunLog
    Result<st::RunId> begin_run(const st::RunInfo& info) override;
    Result<void> finish_run(st::RunId run, station::core::Outcome outcome,
                            st::TimePoint ended) override;
    Result<st::SlotResultId> begin_slot(st::RunId run, const st::SlotStart& start) override;
    Result<void> record_step(st::SlotResultId slot, const st::StepRecord& step) override;
    Result<void> record_transcript(st::SlotResultId slot, std::string_view text) override;
    Result<void> finish_slot(st::SlotResultId slot, const st::SlotFinish& finish) override;
    std::unique_ptr<st::SlotWriter> open_slot(st::RunId run, st::SlotStart start) override;
    Result<void> record_manifest_missing(st::RunId run,
                                         const std::vector<st::ManifestMissing>& lines) override;
    Result<void> record_event(std::optional<st::RunId> run, std::string_view kind,
                              std::string_view text, st::TimePoint at) override;
    Result<st::RunRecord> resume_run(st::RunId run) override;
    Result<std::vector<st::RunId>> interrupt_own_runs() override;
    Result<std::optional<st::RunRecord>> run(st::RunId run) override;
    Result<std::vector<st::RunListing>> list_runs(const st::RunFilter& filter = {}) override;
    Result<std::vector<st::ResultRow>> results_for_run(st::RunId run) override;
    Result<std::vector<st::ResultRow>> results_for_lot(std::string_view lot) override;
    Result<std::vector<st::StepRecord>> steps(st::SlotResultId slot) override;
    Result<std::string> transcript(st::SlotResultId slot) override;
    Result<std::vector<st::ResultRow>> attempts_in_slot(st::RunId run, std::string_view slot,
                                                        std::size_t limit = 1000) override;
    Result<std::vector<st::ManifestMissing>> manifest_missing(st::RunId run) override;

    // UnitRegistry
    Result<st::DeviceChange> upsert_device(const st::DeviceSighting& sighting) override;
    Result<st::IdentityClaim> claim_identity(const st::DeviceSighting& sighting) override;
    Result<std::vector<st::ResultRow>> history(st::UnitKey key, std::string_view value,
                                               std::size_t limit = 1000) override;
    Result<std::vector<std::string>> other_units_with(st::UnitKey key, std::string_view value,
                                                      std::string_view fsn) override;
    Result<std::vector<st::DuplicateIdentifier>> duplicate_iccids() override;
    Result<std::vector<st::DuplicateIdentifier>> duplicate_imeis() override;
    Result<std::vector<st::SimSwap>> sim_swaps() override;

    // Outbox
    Result<st::Enqueued> enqueue_registration(const st::Registration& registration) override;
    Result<std::vector<st::OutboxRow>> claim_pending(station::core::DataCenter data_center, int max,
                                                     const st::Lease& lease) override;
    Result<void> mark_registered(st::OutboxId row, std::string_view owner,
                                 std::string_view remote_id, st::TimePoint now) override;
    Result<void> mark_conflict(st::OutboxId row, std::string_view owner, std::string_view detail,
                               st::TimePoint now) override;
    Result<void> mark_failed(st::OutboxId row, std::string_view owner, std::string_view error,
                             st::Retry retry, st::TimePoint now,
                             st::TimePoint next_attempt) override;
    Result<void> mark_in_doubt(st::OutboxId row, std::string_view owner, std::string_view error,
                               st::TimePoint now, st::TimePoint next_attempt) override;
    Result<void> release(st::OutboxId row, std::string_view owner, st::TimePoint now) override;
    Result<int> recover_dead_claims(station::core::DataCenter data_center, st::TimePoint now,
                                    std::chrono::milliseconds in_doubt_wait) override;
    Result<st::HeldRegistration> withdraw(std::string_view fsn, std::string_view iccid,
                                          std::string_view imei, std::string_view why,
                                          st::TimePoint now) override;
    Result<st::OutboxStatus> outbox_status(std::size_t last_errors = 10) override;
    Result<std::vector<st::OutboxRow>> list_outbox(
        std::optional<st::OutboxState> state = std::nullopt,
        std::optional<station::core::DataCenter> data_center = std::nullopt) override;

    // Quarantine
    Result<int> slot_error_streak(std::string_view slot) override;
    Result<void> quarantine_slot(std::string_view slot, std::string_view why,
                                 st::TimePoint at) override;
    Result<void> release_slot(std::string_view slot, st::TimePoint at) override;
    Result<std::optional<std::string>> slot_quarantine(std::string_view slot) override;
    Result<std::vector<st::QuarantinedSlot>> quarantined_slots() override;

    // RmaLog. provisioning_history: the last PASS of a `provision` run holding the FSN / IMEI,
    // registered when the unit's create row is; retests_of_rma / retests_since: not kept
    // (reports read the SQLite store).
    Result<st::RmaRecord> open_rma(const st::RmaRecord& rma) override;
    Result<std::optional<st::RmaRecord>> rma(std::string_view id) override;
    Result<void> link_run(st::RunId run, std::string_view rma) override;
    Result<station::core::UnitHistory> provisioning_history(std::string_view fsn,
                                                            std::string_view imei) override;
    Result<void> record_findings(st::SlotResultId slot,
                                 const std::vector<station::core::Finding>& findings) override;
    Result<std::vector<station::core::Finding>> findings(st::SlotResultId slot) override;
    Result<std::vector<st::RetestRow>> retests_of_rma(std::string_view rma) override;
    Result<std::vector<st::RetestRow>> retests_since(st::TimePoint since) override;

    // RegressLog (memory_regress.cpp): as the SQLite store, regress_nights computed from the
    // runs and slot results kept here.
    Result<std::int64_t> open_night(std::string_view rig, std::string_view golden,
                                    st::TimePoint started) override;
    Result<void> link_iteration(std::int64_t night, st::RunId run, int iteration) override;
    Result<void> finish_night(std::int64_t night, int exit_code, st::TimePoint ended) override;
    Result<void> record_round_trips(st::SlotResultId slot,
                                    const std::vector<station::core::RoundTrip>& trips) override;
    Result<std::vector<station::core::RoundTrip>> round_trips(st::SlotResultId slot) override;
    Result<std::vector<station::core::NightSlot>> regress_nights(std::string_view rig,
                                                                 st::TimePoint before,
                                                                 int nights) override;

  private:
    class Writer;
    // One night's slots (regress_nights), by label.
    std::vector<station::core::NightSlot> night_slots(std::int64_t night, const Night& n) const;
    // Takes the lock for one call named `call`: fails when the test said so; notes the call
    // when it runs inside an atomic write.
    Result<std::unique_lock<std::recursive_mutex>> enter(const char* call);
    st::SlotRecord* slot_of(st::SlotResultId slot);
    Result<std::vector<st::ResultRow>> rows_where(
        const std::function<bool(const st::SlotRecord&)>& keep) const;
    void hold(st::IdentityHolder& holder, const st::DeviceSighting& claimant);

    mutable std::recursive_mutex m_lock;
    Data m_data;
    std::set<std::string> m_failing;
    int m_writing = 0;  // depth of atomic writes running (under m_lock)
    std::vector<std::string> m_in_writes;
};

}  // namespace tests
