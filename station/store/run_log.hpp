// Runs and their slot results as a role of the store: what the pallet workflow writes as it
// goes, and what reports, history and resume read back. The SQLite Store implements it
// (writes.cpp, queries.cpp, slot_log.cpp) over its one connection and writer thread; a second
// backend (a central database) implements the same calls.
//
// A slot thread writes through a SlotWriter (open_slot): its writes are queued without waiting
// for their commits, and its last write (the unit's store steps and result) is one atomic write
// whose body gets the roles to write with (Roles, roles.hpp): calls on them are part of it.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/result.hpp>
#include <station/store/records.hpp>

namespace station::store {

struct Roles;

// One slot result's writes, queued: each call returns at once, the writes are made in the order
// queued; after the first one that fails, the later ones of this slot are not made. Nothing is
// durable until settle() or write() returns. Its RunLog must outlive it.
class SlotWriter {
  public:
    virtual ~SlotWriter() = default;  // waits for the writes still queued

    virtual void record_step(StepRecord step) = 0;
    virtual void record_transcript(std::string text) = 0;
    // The first failure among the writes made so far (does not wait): stop work early on it.
    virtual std::optional<core::Error> failure() const = 0;
    // Waits until every write queued so far is committed (or failed); the first failure.
    virtual core::Result<void> settle() = 0;
    // The slot result, once its start is committed (after settle(), write()); nullopt before
    // or when its start failed.
    virtual std::optional<SlotResultId> id() const = 0;
    // Runs `body` with the slot result and the roles to write with, after every write queued
    // here, as one atomic write, and returns once it is committed: all of it or nothing (a
    // failing body undoes what it wrote). The body writes only through `roles` and must not
    // wait on anything. Fails without running `body` when an earlier write of this slot failed.
    using WriteBody = std::function<core::Result<void>(SlotResultId, const Roles& roles)>;
    virtual core::Result<void> write(std::string_view what, const WriteBody& body) = 0;

  protected:
    SlotWriter() = default;
    SlotWriter(const SlotWriter&) = default;
    SlotWriter& operator=(const SlotWriter&) = default;
};

class RunLog {
  public:
    virtual ~RunLog() = default;

    // --- writing (each call commits; safe from many threads) ---

    // Starts a run owned by this process. Fails on an empty lot.
    virtual core::Result<RunId> begin_run(const RunInfo& info) = 0;
    // Closes a run with its outcome (its worst slot's). Fails for an unknown or closed run.
    virtual core::Result<void> finish_run(RunId run, core::Outcome outcome, TimePoint ended) = 0;
    // Starts one slot's result in a run. Fails for an unknown run.
    virtual core::Result<SlotResultId> begin_slot(RunId run, const SlotStart& start) = 0;
    // Appends one finished step to a slot result.
    virtual core::Result<void> record_step(SlotResultId slot, const StepRecord& step) = 0;
    // Appends raw transcript text (any bytes) to a slot result; call once or in chunks.
    virtual core::Result<void> record_transcript(SlotResultId slot, std::string_view text) = 0;
    // Closes a slot result with identity, decision and outcome. Fails when already finished.
    virtual core::Result<void> finish_slot(SlotResultId slot, const SlotFinish& finish) = 0;
    // Queues the start of a slot result (begin_slot) and returns its writer at once.
    virtual std::unique_ptr<SlotWriter> open_slot(RunId run, SlotStart start) = 0;
    // Keeps the manifest lines no unit of `run` matched (replacing any kept before).
    virtual core::Result<void> record_manifest_missing(
        RunId run, const std::vector<ManifestMissing>& lines) = 0;
    // Appends a run event (operator actions, quarantines, ...); run may be empty.
    virtual core::Result<void> record_event(std::optional<RunId> run, std::string_view kind,
                                            std::string_view text, TimePoint at) = 0;
    // Takes over an interrupted or aborted run so it can continue: this process becomes its
    // owner and it is open again. Fails for an unknown run, a run that ended otherwise, or one
    // whose owner process is still alive.
    virtual core::Result<RunRecord> resume_run(RunId run) = 0;
    // For a process about to end at once (a second Ctrl-C): after every write queued before it
    // is committed, marks this process's open runs interrupted and their unfinished slots
    // ABORTED, as the next open would. Returns the runs it closed.
    virtual core::Result<std::vector<RunId>> interrupt_own_runs() = 0;

    // --- reading (committed data only) ---

    // A run with its station version and profile files.
    virtual core::Result<std::optional<RunRecord>> run(RunId run) = 0;
    // Runs matching `filter`, newest first, each with its units counted per outcome.
    virtual core::Result<std::vector<RunListing>> list_runs(const RunFilter& filter = {}) = 0;
    // Report rows of one run, or of every run of one lot (pallet), in slot order.
    virtual core::Result<std::vector<ResultRow>> results_for_run(RunId run) = 0;
    virtual core::Result<std::vector<ResultRow>> results_for_lot(std::string_view lot) = 0;
    virtual core::Result<std::vector<StepRecord>> steps(SlotResultId slot) = 0;
    virtual core::Result<std::string> transcript(SlotResultId slot) = 0;
    // Every attempt in one slot of one run, newest first, at most `limit`.
    virtual core::Result<std::vector<ResultRow>> attempts_in_slot(RunId run, std::string_view slot,
                                                                  std::size_t limit = 1000) = 0;
    // The manifest lines kept by record_manifest_missing.
    virtual core::Result<std::vector<ManifestMissing>> manifest_missing(RunId run) = 0;

  protected:
    RunLog() = default;
    RunLog(const RunLog&) = default;
    RunLog& operator=(const RunLog&) = default;
};

}  // namespace station::store
