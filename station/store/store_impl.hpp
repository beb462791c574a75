// Internal to station_store: the connection, its statement cache and the SQL helpers shared by
// the store's source files. Nothing outside station/store includes this.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <sqlite3.h>

#include <station/store/checkpointer.hpp>
#include <station/store/process_owner.hpp>
#include <station/store/store.hpp>

namespace station::store {

// Failure of `what` on the database at `path`, with SQLite's own words and a hint.
// An I/O error's likely cause when the file cannot grow: " (the disk is full: ...)" or " (the
// file size limit is reached: ...)", else "" (file_guard.cpp). SQLite reports a write past
// RLIMIT_FSIZE (EFBIG) as a plain disk I/O error.
std::string room_hint(const std::filesystem::path& path);
core::Error db_error(const std::filesystem::path& path, std::string_view what, sqlite3* db, int rc);

// A cached prepared statement borrowed for one use: reset and unbound when it goes away.
class Statement {
  public:
    explicit Statement(sqlite3_stmt* stmt) : m_stmt(stmt) {}
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept : m_stmt(other.m_stmt) { other.m_stmt = nullptr; }
    Statement& operator=(Statement&&) = delete;

    template <class... Args>
    Statement& bind(const Args&... args) {
        int index = 1;
        (bind_one(index++, args), ...);
        return *this;
    }
    int step() { return sqlite3_step(m_stmt); }

    bool is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
    std::string text(int col) const;
    std::optional<std::string> opt_text(int col) const;
    std::optional<std::int64_t> opt_integer(int col) const;

  private:
    void bind_one(int index, std::int64_t value);
    void bind_one(int index, int value) { bind_one(index, static_cast<std::int64_t>(value)); }
    void bind_one(int index, std::string_view value);
    void bind_one(int index, const std::string& value) { bind_one(index, std::string_view(value)); }
    void bind_one(int index, const char* value) { bind_one(index, std::string_view(value)); }
    void bind_one(int index, TimePoint value) { bind_one(index, to_ms(value)); }
    void bind_one(int index, std::nullopt_t);
    template <class T>
    void bind_one(int index, const std::optional<T>& value) {
        if (value) {
            bind_one(index, *value);
        } else {
            bind_one(index, std::nullopt);
        }
    }

    sqlite3_stmt* m_stmt = nullptr;
};

// The connection and its group commit. Write calls do not touch the connection themselves:
// each hands its body to the store's writer thread and sleeps. The writer takes every call
// queued so far, runs them in one write transaction (each in a SAVEPOINT of its own, so a call
// that fails is undone alone) and commits once for all of them, then wakes the callers. A call
// returns only after the COMMIT that holds it: a returned call is durable, and a SIGKILL loses
// only calls still in flight. 64 slot threads thus cost one commit per batch instead of one per
// call, and no thread hands the connection's lock to another (see tests/bench/store_bench.cpp).
// Posted calls (SlotLog) wait for nobody: while only they come, the writer keeps its transaction
// open (see writer_loop's bounds) and commits them with the next call someone waits for.
struct Store::Impl {
    // One queued write call, on its caller's stack.
    struct Call {
        std::function<void()> run;             // runs the body in a savepoint, keeps its result
        std::optional<core::Error> own_error;  // the body's own error, if it failed
        std::optional<core::Error> failed;     // set when the batch could not begin or commit
        // A call nobody waits for (post()): told how it ended, on the writer thread after its
        // batch; then the writer deletes the call.
        std::function<void(Call&)> settle;
        std::mutex mutex;  // guards done (a futex sleep, no spinning)
        std::condition_variable woken;
        bool done = false;
    };

    std::filesystem::path path;
    sqlite3* db = nullptr;
    std::mutex mutex;                           // guards the connection and its statements
    std::atomic<std::thread::id> bulk_owner{};  // thread inside bulk(), holding `mutex`
    std::unordered_map<std::string_view, sqlite3_stmt*> statements;
    std::vector<RunId> recovered;
    std::optional<std::int64_t> station_id;
    ProcessOwner owner;
    bool read_only = false;  // opened with Access::read_only: write calls fail
    // The file opened for writing (file_guard.cpp): checked again before each commit.
    struct FileId {
        dev_t dev;
        ino_t ino;
    };
    std::optional<FileId> file_id;

    // Checkpoints the WAL beside the writer (install_wal_hook).
    Checkpointer checkpointer;
    int wal_frames_checkpointed = 0;  // the WAL's size at the last checkpoint asked for

    std::mutex queue_mutex;
    std::condition_variable queue_ready;
    std::vector<Call*> queue;
    bool stopping = false;
    std::thread writer;

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl();

    // A cached statement for `sql` (which must outlive the store: a string literal).
    Result<Statement> prepare(std::string_view sql, std::string_view what);
    // Runs SQL without results (schema, pragmas, transaction control).
    Result<void> exec(const char* sql, std::string_view what);
    // Runs one cached statement without parameters or results (BEGIN, SAVEPOINT, COMMIT ...).
    Result<void> exec_cached(std::string_view sql, std::string_view what);
    // Steps a write statement to completion.
    Result<void> run(Statement& stmt, std::string_view what);
    core::Error error(std::string_view what, int rc) const { return db_error(path, what, db, rc); }
    core::Error error(std::string_view what) const;  // last error on the connection
    // Remembers which file `path` is; check_file() then fails when the path no longer names
    // it (removed, replaced) or the file lost every write permission (file_guard.cpp).
    void remember_file();
    Result<void> check_file() const;

    bool in_bulk() const { return bulk_owner.load() == std::this_thread::get_id(); }
    // The connection's lock for a read (not taken again by the thread inside bulk()).
    std::unique_lock<std::mutex> lock() {
        if (in_bulk()) return {};
        return std::unique_lock<std::mutex>(mutex);
    }

    // How a write body is made atomic: a body of one SQL statement is atomic by itself (SQLite
    // undoes a failing statement); a body of several runs in a SAVEPOINT.
    enum class Scope { statement, savepoint };

    // Runs `body` (returning Result<T>) atomically and returns once it is committed.
    template <class Body>
    auto write(std::string_view what, Body&& body, Scope scope = Scope::savepoint)
        -> decltype(body()) {
        using R = decltype(body());
        if (read_only) {
            return tl::unexpected(core::Error{
                core::Reason::store_error,
                path.string() + ": " + std::string(what) + ": the database was opened read-only"});
        }
        if (in_bulk() || on_writer()) {
            return scope == Scope::statement ? body() : in_savepoint(what, body);
        }
        std::optional<R> result;
        Call call;
        call.run = [&] {
            result.emplace(scope == Scope::statement ? body() : in_savepoint(what, body));
            if (!*result) call.own_error = result->error();
        };
        submit(call);
        if (call.failed) return tl::unexpected(*call.failed);
        if (!result) {
            return tl::unexpected(
                core::Error{core::Reason::store_error,
                            path.string() + ": " + std::string(what) + ": the store was closed"});
        }
        return std::move(*result);
    }

    // Starts the writer thread (after the schema is ready).
    void start_writer();
    // Queues `call` (its `settle` set) for the writer without waiting; the writer owns it now.
    // A read-only or closed store settles it at once, failed.
    void post(std::unique_ptr<Call> call);
    bool on_writer() const { return std::this_thread::get_id() == writer.get_id(); }

  private:
    template <class Body>
    auto in_savepoint(std::string_view what, Body& body) -> decltype(body()) {
        auto begun = exec_cached("SAVEPOINT station_call", what);
        if (!begun) return tl::unexpected(begun.error());
        auto result = body();
        if (!result) (void)exec_cached("ROLLBACK TO station_call", what);
        auto released = exec_cached("RELEASE station_call", what);
        if (result && !released) return tl::unexpected(released.error());
        return result;
    }
    // Queues `call` for the writer and sleeps until it is committed (or failed).
    void submit(Call& call);
    void writer_loop();
    // Runs `batch` in the open transaction, appending its calls to `open`; true when someone
    // waits for one of them.
    bool run_batch(std::vector<Call*>& open, const std::vector<Call*>& batch);
    // Settles (posted) or wakes (waiting) every call, then empties `calls`.
    static void finish_calls(std::vector<Call*>& calls);
};

// A write transaction: BEGIN IMMEDIATE at the top level, a SAVEPOINT inside bulk(). Rolls back
// unless committed.
class WriteTransaction {
  public:
    static Result<WriteTransaction> begin(Store::Impl& impl, std::string_view what);
    WriteTransaction(WriteTransaction&& other) noexcept
        : m_impl(other.m_impl), m_nested(other.m_nested), m_open(other.m_open) {
        other.m_open = false;
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    WriteTransaction& operator=(WriteTransaction&&) = delete;
    ~WriteTransaction();
    Result<void> commit(std::string_view what);

  private:
    WriteTransaction(Store::Impl& impl, bool nested) : m_impl(&impl), m_nested(nested) {}
    Store::Impl* m_impl;
    bool m_nested = false;
    bool m_open = true;
};

// Schema: applies every migration above the file's user_version. Defined in schema.cpp.
Result<int> migrate(Store::Impl& impl);
// The file's user_version.
Result<int> read_user_version(Store::Impl& impl);
// Opens impl.path for reading only (see Access::read_only); the schema is left as it is.
// Defined in read_only.cpp.
Result<void> open_read_only(Store::Impl& impl, std::chrono::milliseconds busy_timeout);
// Migrates a read-only store's older schema in an in-memory copy of the file. read_only.cpp.
Result<void> migrate_in_memory(Store::Impl& impl);
// Opens `name` (default impl.path) with `flags`; store.cpp.
Result<void> open_connection(Store::Impl& impl, int flags, std::chrono::milliseconds busy,
                             const char* name = nullptr);
// Checks that this station can read a file at schema `version` (not newer, not negative).
Result<void> check_schema_version(Store::Impl& impl, int version);
// ": no such database (...)", after the path.
inline constexpr const char* k_no_such_database =
    ": no such database (nothing recorded yet, or a wrong --db?)";
// The PRAGMA that sets a connection's synchronous mode to `sync`: the store's connection and the
// checkpointer's run the same.
inline const char* synchronous_pragma(Sync sync) {
    return sync == Sync::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
}
// Hands the connection's WAL checkpoints to impl.checkpointer, whose checkpoints sync as `sync`
// says (checkpointer.cpp).
void install_wal_hook(Store::Impl& impl, Sync sync);
// Closes the connection and forgets its cached statements.
void close_connection(Store::Impl& impl);

// Records a device sighting inside the caller's write (upsert_device, claim_identity).
Result<DeviceChange> upsert_device_row(Store::Impl& impl, const DeviceSighting& sighting);

// Rows to records, shared by queries and the outbox. Defined in queries.cpp / outbox.cpp.
// A run by id, without taking the lock (for calls already holding it).
Result<std::optional<RunRecord>> read_run_record(Store::Impl& impl, RunId run);
OutboxRow read_outbox_row(const Statement& stmt);
// Outbox::withdraw inside the caller's write (claim_identity, withdraw). Defined in outbox.cpp.
Result<HeldRegistration> hold_outbox_rows(Store::Impl& impl, std::string_view fsn,
                                          std::string_view iccid, std::string_view imei,
                                          std::string_view why, TimePoint now,
                                          std::string_view what);
// A run from columns 0..9: r.id, r.mode, r.operator, r.lot, r.profile, r.started_ms, r.ended_ms,
// r.outcome, r.interrupted, the station's hostname (queries.cpp's STATION_RUN_COLUMNS); the
// station version from column `version_col` when it is not negative.
RunRecord read_run(const Statement& stmt, int version_col = -1);

// The run's manifest from columns first..first+3: manifest_path, manifest_sha256,
// manifest_lines, no_manifest (evidence.cpp).
void read_run_manifest(const Statement& stmt, int first, RunInfo& info);
// Stores a finished slot's decision signals, in order, inside the caller's write.
Result<void> insert_slot_signals(Store::Impl& impl, SlotResultId slot,
                                 const std::vector<StoredSignal>& signals);
// Fills in the signals of every row's slot result with one query for all of them.
Result<void> add_slot_signals(Store::Impl& impl, std::vector<ResultRow>& rows);
// Report rows of the retest runs of one RMA, or of the RMAs received since `since` (queries.cpp,
// for rma.cpp).
Result<std::vector<ResultRow>> results_for_rma(Store::Impl& impl, std::string_view rma);
Result<std::vector<ResultRow>> results_for_rmas_since(Store::Impl& impl, TimePoint since);

}  // namespace station::store
