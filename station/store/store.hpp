// The results store: one SQLite file that never loses a committed result.
//
// The workflows see it through its roles (roles.hpp): the run log (run_log.hpp), the unit
// registry (unit_registry.hpp), the outbox (outbox.hpp) and slot health (quarantine.hpp). Store
// implements all of them over one connection and writer thread; a second backend (a central
// database) implements the same roles. What is left here belongs to this backend: opening the
// file, bulk(), backup and check.
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
#include <station/store/regress_log.hpp>
#include <station/store/rma_log.hpp>
#include <station/store/roles.hpp>
#include <station/store/run_log.hpp>
#include <station/store/unit_registry.hpp>

namespace station::store {

template <class T>
using Result = core::Result<T>;

// The schema version this binary writes (PRAGMA user_version).
inline constexpr int k_schema_version = 12;

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

// The store implements the roles the workflows take (run_log.hpp, unit_registry.hpp,
// outbox.hpp, quarantine.hpp, rma_log.hpp, regress_log.hpp; together roles.hpp) over one connection and writer
// thread: each role's calls are documented with the role.
class Store final : public RunLog,
                    public UnitRegistry,
                    public Outbox,
                    public Quarantine,
                    public RmaLog,
                    public RegressLog {
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
    ~Store() override;

    const std::filesystem::path& path() const;
    // Runs this open marked interrupted (their station process was gone).
    const std::vector<RunId>& recovered_runs() const;

    // --- the run log (RunLog, run_log.hpp; writes.cpp, queries.cpp, slot_log.cpp) ---

    Result<RunId> begin_run(const RunInfo& info) override;
    Result<void> finish_run(RunId run, core::Outcome outcome, TimePoint ended) override;
    Result<SlotResultId> begin_slot(RunId run, const SlotStart& start) override;
    Result<void> record_step(SlotResultId slot, const StepRecord& step) override;
    Result<void> record_transcript(SlotResultId slot, std::string_view text) override;
    Result<void> finish_slot(SlotResultId slot, const SlotFinish& finish) override;
    // A SlotLog (below) over this store.
    std::unique_ptr<SlotWriter> open_slot(RunId run, SlotStart start) override;
    Result<void> record_manifest_missing(RunId run,
                                         const std::vector<ManifestMissing>& lines) override;
    Result<void> record_event(std::optional<RunId> run, std::string_view kind,
                              std::string_view text, TimePoint at) override;
    Result<RunRecord> resume_run(RunId run) override;
    Result<std::vector<RunId>> interrupt_own_runs() override;
    Result<std::optional<RunRecord>> run(RunId run) override;
    Result<std::vector<RunListing>> list_runs(const RunFilter& filter = {}) override;
    Result<std::vector<ResultRow>> results_for_run(RunId run) override;
    Result<std::vector<ResultRow>> results_for_lot(std::string_view lot) override;
    Result<std::vector<StepRecord>> steps(SlotResultId slot) override;
    Result<std::string> transcript(SlotResultId slot) override;
    Result<std::vector<ResultRow>> attempts_in_slot(RunId run, std::string_view slot,
                                                    std::size_t limit = 1000) override;
    Result<std::vector<ManifestMissing>> manifest_missing(RunId run) override;

    // --- the unit registry (UnitRegistry, unit_registry.hpp; writes.cpp, identity_claims.cpp,
    // queries.cpp) ---

    Result<DeviceChange> upsert_device(const DeviceSighting& sighting) override;
    Result<IdentityClaim> claim_identity(const DeviceSighting& sighting) override;
    Result<std::vector<ResultRow>> history(UnitKey key, std::string_view value,
                                           std::size_t limit = 1000) override;
    Result<std::vector<std::string>> other_units_with(UnitKey key, std::string_view value,
                                                      std::string_view fsn) override;
    Result<std::vector<DuplicateIdentifier>> duplicate_iccids() override;
    Result<std::vector<DuplicateIdentifier>> duplicate_imeis() override;
    Result<std::vector<SimSwap>> sim_swaps() override;

    // --- slot health (Quarantine, quarantine.hpp; slots.cpp) ---

    Result<int> slot_error_streak(std::string_view slot) override;
    Result<void> quarantine_slot(std::string_view slot, std::string_view why,
                                 TimePoint at) override;
    Result<void> release_slot(std::string_view slot, TimePoint at) override;
    Result<std::optional<std::string>> slot_quarantine(std::string_view slot) override;
    Result<std::vector<QuarantinedSlot>> quarantined_slots() override;

    // --- the outbox, for the ALMS pusher (Outbox, outbox.hpp; outbox.cpp) ---

    Result<Enqueued> enqueue_registration(const Registration& registration) override;
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

    // --- the nightly regression's records (the RegressLog role, regress_log.hpp; regress.cpp) ---

    Result<std::int64_t> open_night(std::string_view rig, std::string_view golden,
                                    TimePoint started) override;
    Result<void> link_iteration(std::int64_t night, RunId run, int iteration) override;
    Result<void> finish_night(std::int64_t night, int exit_code, TimePoint ended) override;
    Result<void> record_round_trips(SlotResultId slot,
                                   const std::vector<core::RoundTrip>& trips) override;
    Result<std::vector<core::RoundTrip>> round_trips(SlotResultId slot) override;
    Result<std::vector<core::NightSlot>> regress_nights(std::string_view rig, TimePoint before,
                                                        int nights) override;

    // --- of this backend only ---

    // Runs `body` (which calls this Store) in one transaction, holding the store's lock: all or
    // nothing. For imports and benchmark fills; other threads wait meanwhile.
    Result<void> bulk(const std::function<Result<void>()>& body);
    // backup_database(path(), dest).
    Result<void> backup_to(const std::filesystem::path& dest);
    Result<CheckReport> check();

    struct Impl;

  private:
    friend class SlotLog;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The Store's SlotWriter (run_log.hpp), for the pallet's slot threads (issue 14): each call
// queues its write for the store's writer thread and returns at once, so a slot sends its first
// AT command while its bookkeeping is still on the way to the disk. The writer makes the writes
// in the order queued, in its next batch (the slot result never holds a step its earlier writes
// lack); a unit's outcome is shown only after settle() or write(). write() runs its body on the
// writer thread as a savepoint in the writer's batch (sharing its commit with other slots'
// writes), handing it this Store as its Roles: their write calls then run at once inside it,
// and nothing else of the store's writes runs in between. The Store must outlive the SlotLog
// and not move.
class SlotLog final : public SlotWriter {
  public:
    // Queues the slot result's start (begin_slot) and returns at once.
    SlotLog(Store& store, RunId run, SlotStart start);
    ~SlotLog() override;
    SlotLog(const SlotLog&) = delete;
    SlotLog& operator=(const SlotLog&) = delete;

    void record_step(StepRecord step) override;
    void record_transcript(std::string text) override;
    std::optional<core::Error> failure() const override;
    Result<void> settle() override;
    std::optional<SlotResultId> id() const override;
    Result<void> write(std::string_view what, const WriteBody& body) override;

    struct State;

  private:
    void queue(std::function<Result<void>(SlotResultId)> body, bool start = false);
    Store* m_store;
    std::shared_ptr<State> m_state;
};

}  // namespace station::store
