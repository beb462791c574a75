// The results store: one SQLite file that never loses a committed result.
//
// Why it is built this way:
// - Every write call is atomic and durable when it returns: a SIGKILL loses at most the calls
//   in flight. (SlotLog, below, queues a slot's writes without waiting; its settle() and
//   write() return once they are durable.) WAL journal with synchronous=NORMAL: a committed call survives a crash of the
//   process; Sync::full also survives power loss (fsync per commit).
// - Group commit: slot threads share one Store. Write calls queue their work for the store's
//   writer thread, which runs everything queued so far in one transaction (each call in its own
//   savepoint, so one call failing does not harm the others) and commits once. Measured with
//   64 slot threads (tests/bench/store_bench.cpp, 2-core VM): about 5,000-7,000 results/s, where
//   one commit per call under a mutex gave 1,400/s and one Store (connection) per thread
//   gives about 1,000/s (writers queue on SQLite's write lock and its busy-wait back-off).
//   With provision's whole write set per unit (issue 14: 7 steps, transcript, claim, outbox
//   row, result) queued through SlotLog: about 2,900 units/s on that VM shared with 3 other
//   builds, where every call waiting for its commit gave about 800-1,200/s. Savepoints'
//   statement journals are kept in memory (temp_store): in temp files they were most of the
//   writer's system calls.
// - Reads (queries) run on the same connection under its lock and see only committed data.
// - Runs carry their owner (pid, boot id, process start time). Opening the store marks every
//   open run whose owner is gone as interrupted; runs of a live station process are left alone,
//   so a second process (a report, the ALMS pusher) never interrupts a running pallet.
// - Schema versioned with PRAGMA user_version; forward migrations run on open, each in one
//   transaction. A file newer than this binary is refused with a clear error.
// Every failure is Reason::store_error with a message starting with the database file's path.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/result.hpp>
#include <station/store/outbox.hpp>
#include <station/store/quarantine.hpp>
#include <station/store/records.hpp>
#include <station/store/rma_log.hpp>

namespace station::store {

template <class T>
using Result = core::Result<T>;

// The schema version this binary writes (PRAGMA user_version).
inline constexpr int k_schema_version = 9;

enum class Create { if_missing, must_exist };
enum class Sync { normal, full };
// read_only: for history, reports, status and checks; works without write access to the file
// or its folder (an archive, a backup on read-only media). See Store::open.
enum class Access { read_write, read_only };

struct OpenOptions {
    Create create = Create::if_missing;  // never creates the folder: it must exist
    Access access = Access::read_write;
    std::chrono::milliseconds busy_timeout{5000};  // wait this long for another writer
    Sync sync = Sync::normal;
    std::optional<std::int64_t> max_page_count;  // cap the file (tests of a full disk)
    std::int64_t cache_kib = 65536;              // page cache of the connection
};

// Environment look-up, replaceable in tests. Returns nullopt for unset variables.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> process_env(const char* name);

// The database file when no --db is given: $STATION_DB, else $XDG_DATA_HOME/station/station.db
// (absolute XDG_DATA_HOME only, as the XDG spec says), else ~/.local/share/station/station.db.
// Fails when none of STATION_DB, XDG_DATA_HOME and HOME is usable.
Result<std::filesystem::path> default_db_path(const EnvLookup& env = process_env);

// Read-only look at a database without migrating or recovering it (opened as Access::read_only
// opens it): schema version and PRAGMA integrity_check. Fails when the file is missing, not a
// database or unreadable.
Result<CheckReport> inspect(const std::filesystem::path& path,
                            std::chrono::milliseconds busy_timeout = std::chrono::seconds(5));

// Online backup (sqlite3_backup) of the database at `source` into a new file `dest`, from one
// consistent snapshot while others write; written beside `dest` and renamed into place, so
// `dest` is never half a database. Does not migrate or recover `source`. Fails when `dest`
// exists, `source` is missing or unreadable, or the copy fails.
Result<void> backup_database(const std::filesystem::path& source,
                             const std::filesystem::path& dest);

// The store implements the roles the workflows take (outbox.hpp, quarantine.hpp, rma_log.hpp),
// over one connection and writer thread.
class Store final : public Outbox, public Quarantine, public RmaLog {
  public:
    // Opens (or creates) the database: WAL, busy timeout, foreign keys, migrations, then marks
    // runs of dead station processes interrupted. Fails, naming the file, when it is locked,
    // read-only, not a database, corrupt, full or from a newer station, or when its folder
    // does not exist.
    // Access::read_only opens an existing file with SQLITE_OPEN_READONLY and writes nothing: no
    // migration of the file (an older schema is migrated in a private in-memory copy), no
    // recovery of interrupted runs, every write call fails. Where SQLite cannot create the WAL
    // index beside the file (read-only folder) and no WAL content is there, the file is read
    // as immutable.
    static Result<Store> open(const std::filesystem::path& path, const OpenOptions& options = {});

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    const std::filesystem::path& path() const;
    // Runs this open marked interrupted (their station process was gone).
    const std::vector<RunId>& recovered_runs() const;

    // --- writing, for the workflows (each call commits; safe from many threads) ---

    // Starts a run owned by this process. Fails on an empty lot.
    Result<RunId> begin_run(const RunInfo& info);
    // Closes a run with its outcome (its worst slot's). Fails for an unknown or closed run.
    Result<void> finish_run(RunId run, core::Outcome outcome, TimePoint ended);
    // Starts one slot's result in a run. Fails for an unknown run.
    Result<SlotResultId> begin_slot(RunId run, const SlotStart& start);
    // Appends one finished step to a slot result.
    Result<void> record_step(SlotResultId slot, const StepRecord& step);
    // Appends raw transcript text (any bytes) to a slot result; call once or in chunks.
    Result<void> record_transcript(SlotResultId slot, std::string_view text);
    // Closes a slot result with identity, decision and outcome. Fails when already finished.
    Result<void> finish_slot(SlotResultId slot, const SlotFinish& finish);
    // Keeps the manifest lines no unit of `run` matched (replacing any kept before).
    Result<void> record_manifest_missing(RunId run, const std::vector<ManifestMissing>& lines);
    Result<std::vector<ManifestMissing>> manifest_missing(RunId run);
    // Records a sighting of a unit (FSN required) and tells what changed since the last one.
    Result<DeviceChange> upsert_device(const DeviceSighting& sighting);
    // One step for the duplicate check: looks for other units (FSNs) whose latest sighting holds
    // the sighting's ICCID or IMEI, records the sighting, and holds every unit found: a PASS
    // result is changed to FAIL duplicate_iccid / duplicate_imei naming this unit (with a step
    // `duplicate_held` and a run event), its unsent outbox rows for that identity are withdrawn,
    // rows already sent are noted to inspect. All in one transaction, so of two units claiming
    // one identity the second always sees the first. The sighting needs its slot result (it
    // names this unit in what is written on the others). Same FSN: never a duplicate of itself.
    Result<IdentityClaim> claim_identity(const DeviceSighting& sighting);
    Result<Enqueued> enqueue_registration(const Registration& registration) override;
    // Appends a run event (operator actions, quarantines, ...); run may be empty.
    Result<void> record_event(std::optional<RunId> run, std::string_view kind,
                              std::string_view text, TimePoint at);
    // Runs `body` (which calls this Store) in one transaction, holding the store's lock: all or
    // nothing. For imports and benchmark fills; other threads wait meanwhile.
    Result<void> bulk(const std::function<Result<void>()>& body);

    // For a process about to end at once (a second Ctrl-C): after every write queued before it
    // is committed, marks this process's open runs interrupted and their unfinished slots
    // ABORTED, as the next open would. Returns the runs it closed.
    Result<std::vector<RunId>> interrupt_own_runs();

    // --- resuming runs and slot health, for the pallet workflow (slots.cpp) ---

    // Takes over an interrupted or aborted run so it can continue: this process becomes its
    // owner and it is open again. Fails for an unknown run, a run that ended otherwise, or one
    // whose owner process is still alive.
    Result<RunRecord> resume_run(RunId run);
    // Slot health (the Quarantine role, quarantine.hpp).
    Result<int> slot_error_streak(std::string_view slot) override;
    Result<void> quarantine_slot(std::string_view slot, std::string_view why,
                                 TimePoint at) override;
    Result<void> release_slot(std::string_view slot, TimePoint at) override;
    Result<std::optional<std::string>> slot_quarantine(std::string_view slot) override;
    Result<std::vector<QuarantinedSlot>> quarantined_slots() override;

    // --- outbox, for the ALMS pusher (safe across processes; see outbox.hpp) ---

    Result<std::vector<OutboxRow>> claim_pending(core::DataCenter data_center, int max,
                                                 const Lease& lease) override;
    Result<void> mark_registered(OutboxId row, std::string_view owner, std::string_view remote_id,
                                 TimePoint now) override;
    Result<void> mark_conflict(OutboxId row, std::string_view owner, std::string_view detail,
                               TimePoint now) override;
    Result<void> mark_failed(OutboxId row, std::string_view owner, std::string_view error,
                             Retry retry, TimePoint now, TimePoint next_attempt) override;
    Result<void> mark_in_doubt(OutboxId row, std::string_view owner, std::string_view error,
                               TimePoint now, TimePoint next_attempt) override;
    Result<void> release(OutboxId row, std::string_view owner, TimePoint now) override;
    Result<int> recover_dead_claims(core::DataCenter data_center, TimePoint now,
                                    std::chrono::milliseconds in_doubt_wait) override;
    Result<HeldRegistration> withdraw(std::string_view fsn, std::string_view iccid,
                                      std::string_view imei, std::string_view why,
                                      TimePoint now) override;
    Result<OutboxStatus> outbox_status(std::size_t last_errors = 10) override;
    Result<std::vector<OutboxRow>> list_outbox(
        std::optional<OutboxState> state = std::nullopt,
        std::optional<core::DataCenter> data_center = std::nullopt) override;

    // --- the RMA depot's records (the RmaLog role, rma_log.hpp; rma.cpp) ---

    Result<RmaRecord> open_rma(const RmaRecord& rma) override;
    Result<std::optional<RmaRecord>> rma(std::string_view id) override;
    Result<void> link_run(RunId run, std::string_view rma) override;
    Result<core::UnitHistory> provisioning_history(std::string_view fsn,
                                                   std::string_view imei) override;
    Result<void> record_findings(SlotResultId slot,
                                 const std::vector<core::Finding>& findings) override;
    Result<std::vector<core::Finding>> findings(SlotResultId slot) override;
    Result<std::vector<RetestRow>> retests_of_rma(std::string_view rma) override;
    Result<std::vector<RetestRow>> retests_since(TimePoint since) override;

    // --- queries ---

    // A run with its station version and profile files.
    Result<std::optional<RunRecord>> run(RunId run);
    // Runs matching `filter`, newest first, each with its units counted per outcome.
    Result<std::vector<RunListing>> list_runs(const RunFilter& filter = {});
    // Every slot result that touched the unit (the identifier matched ignoring ASCII case, so
    // "la5123" finds "LA5123"), newest first, at most `limit`.
    Result<std::vector<ResultRow>> history(UnitKey key, std::string_view value,
                                           std::size_t limit = 1000);
    // Report rows of one run, or of every run of one lot (pallet), in slot order.
    Result<std::vector<ResultRow>> results_for_run(RunId run);
    Result<std::vector<ResultRow>> results_for_lot(std::string_view lot);
    Result<std::vector<StepRecord>> steps(SlotResultId slot);
    Result<std::string> transcript(SlotResultId slot);
    // Every attempt in one slot of one run, newest first, at most `limit`.
    Result<std::vector<ResultRow>> attempts_in_slot(RunId run, std::string_view slot,
                                                    std::size_t limit = 1000);
    // FSNs other than `fsn` whose latest sighting holds this IMEI or ICCID (key fsn: empty).
    Result<std::vector<std::string>> other_units_with(UnitKey key, std::string_view value,
                                                      std::string_view fsn);
    Result<std::vector<DuplicateIdentifier>> duplicate_iccids();
    Result<std::vector<DuplicateIdentifier>> duplicate_imeis();
    Result<std::vector<SimSwap>> sim_swaps();

    // --- maintenance ---

    // backup_database(path(), dest).
    Result<void> backup_to(const std::filesystem::path& dest);
    Result<CheckReport> check();

    struct Impl;

  private:
    friend class SlotLog;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// One slot result written without waiting for each commit, for the pallet's slot threads (issue
// 14): each call below queues its write for the store's writer thread and returns at once, so a
// slot sends its first AT command while its bookkeeping is still on the way to the disk. The
// writer makes the writes in the order queued, in its next batch; after the first one that
// fails, the later ones of this slot are not made (the slot result never holds a step its
// earlier writes lack). Nothing here is durable until settle() or write() returns: a unit's
// outcome is shown only after one of them. The Store must outlive the SlotLog and not move.
class SlotLog {
  public:
    // Queues the slot result's start (begin_slot) and returns at once.
    SlotLog(Store& store, RunId run, SlotStart start);
    ~SlotLog();  // waits for the writes still queued
    SlotLog(const SlotLog&) = delete;
    SlotLog& operator=(const SlotLog&) = delete;

    void record_step(StepRecord step);
    void record_transcript(std::string text);
    // The first failure among the writes made so far (does not wait): stop work early on it.
    std::optional<core::Error> failure() const;
    // Waits until every write queued so far is committed (or failed); the first failure.
    Result<void> settle();
    // The slot result, once its start is committed (after settle(), write()); nullopt before
    // or when its start failed.
    std::optional<SlotResultId> id() const;
    // Runs `body` with the slot result on the writer thread, after every write queued here, as
    // one atomic write (a savepoint in the writer's batch, so it shares its commit with other
    // slots' writes), and returns once it is committed. `body` calls the Store's write
    // functions, which then run at once inside it; nothing else of the store's writes runs in
    // between. It must not wait on anything. Fails without running `body` when an earlier
    // write of this slot failed.
    Result<void> write(std::string_view what,
                       const std::function<Result<void>(SlotResultId)>& body);

    struct State;

  private:
    void queue(std::function<Result<void>(SlotResultId)> body, bool start = false);
    Store* m_store;
    std::shared_ptr<State> m_state;
};

}  // namespace station::store
