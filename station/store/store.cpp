// Store: opening (pragmas, migrations, recovery of interrupted runs), the SQL helpers, bulk
// transactions, online backup and checks.
#include <station/store/store.hpp>

#include <unistd.h>
#include <system_error>

#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

using core::fail;
using core::Reason;

std::string hint_for(int rc) {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return " (another process holds the database; is a station running?)";
        case SQLITE_READONLY:
            return " (no write permission on the file or its directory?)";
        case SQLITE_FULL:
            return " (free disk space, or back up and archive old runs)";
        case SQLITE_NOTADB:
            return " (not a station database, or damaged beyond use)";
        case SQLITE_CORRUPT:
            return " (run `station db check`; restore from a backup)";
        case SQLITE_CANTOPEN:
            return " (missing directory or no permission?)";
        default:
            return "";
    }
}

Result<void> set_pragmas(Store::Impl& impl, const OpenOptions& options) {
    // journal_mode is the first statement to read the file: a non-database fails here.
    auto mode = impl.prepare("PRAGMA journal_mode = WAL", "switch to WAL");
    if (!mode) return tl::unexpected(mode.error());
    const int rc = mode->step();
    if (rc != SQLITE_ROW) return tl::unexpected(impl.error("switch to WAL", rc));
    if (mode->text(0) != "wal") {
        return fail(Reason::store_error,
                    impl.path.string() + ": cannot use WAL journal (got " + mode->text(0) + ")");
    }
    auto ok = impl.exec(synchronous_pragma(options.sync), "set synchronous");
    if (ok) ok = impl.exec("PRAGMA foreign_keys = ON", "enable foreign keys");
    // Each write call runs in a savepoint: its statement journal stays in memory, not in a temp
    // file written page by page (most of the writer's system calls otherwise).
    if (ok) ok = impl.exec("PRAGMA temp_store = MEMORY", "keep temporary journals in memory");
    if (ok) {
        const std::string sql = "PRAGMA cache_size = -" + std::to_string(options.cache_kib);
        ok = impl.exec(sql.c_str(), "set cache size");
    }
    if (ok && options.max_page_count) {
        const std::string sql =
            "PRAGMA max_page_count = " + std::to_string(*options.max_page_count);
        ok = impl.exec(sql.c_str(), "set max_page_count");
    }
    return ok;
}

// A file at user_version 0 that already has tables is someone else's database.
Result<void> refuse_foreign_database(Store::Impl& impl) {
    auto version = read_user_version(impl);
    if (!version) return tl::unexpected(version.error());
    if (*version != 0) return {};
    auto stmt = impl.prepare("SELECT count(*) FROM sqlite_master", "read schema");
    if (!stmt) return tl::unexpected(stmt.error());
    const int rc = stmt->step();
    if (rc != SQLITE_ROW) return tl::unexpected(impl.error("read schema", rc));
    if (stmt->integer(0) != 0) {
        return fail(Reason::store_error,
                    impl.path.string() + ": not a station database (tables but no schema version)");
    }
    return {};
}

struct OpenRun {
    RunId id;
    ProcessOwner owner;
};

Result<std::vector<OpenRun>> open_runs(Store::Impl& impl) {
    auto stmt = impl.prepare(
        "SELECT r.id, coalesce(r.owner_pid, 0), coalesce(r.owner_boot, ''),"
        " coalesce(r.owner_start, 0), coalesce(st.hostname, '')"
        " FROM runs r LEFT JOIN stations st ON st.id = r.station_id"
        " WHERE r.ended_ms IS NULL AND r.interrupted = 0",
        "find open runs");
    if (!stmt) return tl::unexpected(stmt.error());
    std::vector<OpenRun> runs;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        runs.push_back(OpenRun{
            RunId{stmt->integer(0)},
            ProcessOwner{stmt->text(4), stmt->text(2), stmt->integer(1), stmt->integer(3)}});
    }
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error("find open runs", rc));
    return runs;
}

// Marks one open run interrupted and its unfinished slots ABORTED; false when it was not open.
Result<bool> mark_interrupted(Store::Impl& impl, RunId id) {
    auto run = impl.prepare(
        "UPDATE runs SET interrupted = 1, outcome = 'ABORTED'"
        " WHERE id = ? AND ended_ms IS NULL AND interrupted = 0",
        "mark run interrupted");
    if (!run) return tl::unexpected(run.error());
    auto done = impl.run(run->bind(id.value), "mark run interrupted");
    if (!done) return tl::unexpected(done.error());
    if (sqlite3_changes(impl.db) == 0) return false;
    auto slots = impl.prepare(
        "UPDATE slot_results SET outcome = 'ABORTED', reason = 'aborted', message = 'run "
        "interrupted: the station process ended before this slot finished'"
        " WHERE run_id = ? AND outcome IS NULL",
        "mark slots interrupted");
    if (!slots) return tl::unexpected(slots.error());
    done = impl.run(slots->bind(id.value), "mark slots interrupted");
    if (!done) return tl::unexpected(done.error());
    return true;
}

// Marks runs whose station process is gone as interrupted, and their unfinished slots ABORTED.
Result<void> recover_interrupted(Store::Impl& impl) {
    auto runs = open_runs(impl);
    if (!runs) return tl::unexpected(runs.error());
    std::vector<RunId> dead;
    for (const auto& run : *runs) {
        if (!is_alive(run.owner)) dead.push_back(run.id);
    }
    if (dead.empty()) return {};
    auto tx = WriteTransaction::begin(impl, "mark interrupted runs");
    if (!tx) return tl::unexpected(tx.error());
    for (const RunId id : dead) {
        auto marked = mark_interrupted(impl, id);
        if (!marked) return tl::unexpected(marked.error());
        if (*marked) impl.recovered.push_back(id);
    }
    return tx->commit("mark interrupted runs");
}

bool same_process(const ProcessOwner& a, const ProcessOwner& b) {
    return a.pid == b.pid && a.start_ticks == b.start_ticks && a.boot_id == b.boot_id &&
           a.hostname == b.hostname;
}

Result<std::vector<std::string>> integrity_check(Store::Impl& impl) {
    auto stmt = impl.prepare("PRAGMA integrity_check(100)", "integrity check");
    if (!stmt) return tl::unexpected(stmt.error());
    std::vector<std::string> lines;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) lines.push_back(stmt->text(0));
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error("integrity check", rc));
    return lines;
}

}  // namespace

Result<void> open_connection(Store::Impl& impl, int flags, std::chrono::milliseconds busy,
                             const char* name) {
    const int rc = sqlite3_open_v2(name != nullptr ? name : impl.path.c_str(), &impl.db,
                                   flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) return tl::unexpected(impl.error("open", rc));
    sqlite3_busy_timeout(impl.db, static_cast<int>(busy.count()));
    return {};
}

void close_connection(Store::Impl& impl) {
    for (auto& [sql, stmt] : impl.statements) sqlite3_finalize(stmt);
    impl.statements.clear();
    if (impl.db != nullptr) sqlite3_close_v2(impl.db);
    impl.db = nullptr;
}

// --- helpers shared by the store's files ---

core::Error db_error(const std::filesystem::path& path, std::string_view what, sqlite3* db,
                     int rc) {
    std::string message = path.string() + ": " + std::string(what) + ": ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    message += hint_for(rc);
    if ((rc & 0xff) == SQLITE_IOERR) message += room_hint(path);
    return core::Error{Reason::store_error, std::move(message)};
}

core::Error Store::Impl::error(std::string_view what) const {
    return db_error(path, what, db, sqlite3_errcode(db));
}

Statement::~Statement() {
    if (m_stmt != nullptr) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

std::string Statement::text(int col) const {
    const auto* data = sqlite3_column_blob(m_stmt, col);
    const int size = sqlite3_column_bytes(m_stmt, col);
    if (data == nullptr || size <= 0) return {};
    return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
}

std::optional<std::int64_t> Statement::opt_integer(int col) const {
    if (is_null(col)) return std::nullopt;
    return integer(col);
}

void Statement::bind_one(int index, std::int64_t value) {
    sqlite3_bind_int64(m_stmt, index, value);
}

void Statement::bind_one(int index, std::string_view value) {
    sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void Statement::bind_one(int index, std::nullopt_t) {
    sqlite3_bind_null(m_stmt, index);
}

Store::Impl::~Impl() {
    if (writer.joinable()) {
        {
            const std::lock_guard<std::mutex> guard(queue_mutex);
            stopping = true;
        }
        queue_ready.notify_all();
        writer.join();
    }
    checkpointer.stop();
    close_connection(*this);
}

Result<Statement> Store::Impl::prepare(std::string_view sql, std::string_view what) {
    auto found = statements.find(sql);
    if (found != statements.end()) return Statement(found->second);
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return tl::unexpected(error(what, rc));
    statements.emplace(sql, stmt);
    return Statement(stmt);
}

Result<void> Store::Impl::exec(const char* sql, std::string_view what) {
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return tl::unexpected(error(what, rc));
    return {};
}

Result<void> Store::Impl::exec_cached(std::string_view sql, std::string_view what) {
    auto stmt = prepare(sql, what);
    if (!stmt) return tl::unexpected(stmt.error());
    return run(*stmt, what);
}

Result<void> Store::Impl::run(Statement& stmt, std::string_view what) {
    const int rc = stmt.step();
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return tl::unexpected(error(what, rc));
    return {};
}

Result<WriteTransaction> WriteTransaction::begin(Store::Impl& impl, std::string_view what) {
    const bool nested = sqlite3_get_autocommit(impl.db) == 0;
    auto begun = impl.exec(nested ? "SAVEPOINT station_write" : "BEGIN IMMEDIATE", what);
    if (!begun) return tl::unexpected(begun.error());
    return WriteTransaction(impl, nested);
}

Result<void> WriteTransaction::commit(std::string_view what) {
    if (!m_nested) {
        if (auto there = m_impl->check_file(); !there) return there;  // the destructor rolls back
    }
    auto done = m_impl->exec(m_nested ? "RELEASE station_write" : "COMMIT", what);
    if (done) m_open = false;
    return done;
}

WriteTransaction::~WriteTransaction() {
    if (!m_open) return;
    if (m_nested) {
        sqlite3_exec(m_impl->db, "ROLLBACK TO station_write; RELEASE station_write", nullptr,
                     nullptr, nullptr);
    } else if (sqlite3_get_autocommit(m_impl->db) == 0) {
        sqlite3_exec(m_impl->db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

// --- Store ---

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const std::filesystem::path& Store::path() const {
    return m_impl->path;
}
const std::vector<RunId>& Store::recovered_runs() const {
    return m_impl->recovered;
}

Result<Store> Store::open(const std::filesystem::path& path, const OpenOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->owner = current_process_owner();
    if (options.access == Access::read_only) {
        auto ok = open_read_only(*impl, options.busy_timeout);
        if (ok) ok = refuse_foreign_database(*impl);
        if (ok) ok = migrate_in_memory(*impl);
        if (!ok) return tl::unexpected(ok.error());
        impl->read_only = true;
        return Store(std::move(impl));
    }
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (!exists && options.create == Create::must_exist) {
        return fail(Reason::store_error, path.string() + k_no_such_database);
    }
    if (!exists && path.has_parent_path() &&
        !std::filesystem::is_directory(path.parent_path(), ec)) {
        return fail(Reason::store_error, path.string() + ": folder " + path.parent_path().string() +
                                             " does not exist (create it, or give another --db)");
    }
    auto ok =
        open_connection(*impl, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options.busy_timeout);
    if (ok && sqlite3_db_readonly(impl->db, "main") == 1) {
        return fail(Reason::store_error,
                    path.string() + ": database is read-only" + hint_for(SQLITE_READONLY));
    }
    if (ok) ok = set_pragmas(*impl, options);
    if (ok) ok = refuse_foreign_database(*impl);
    if (!ok) return tl::unexpected(ok.error());
    auto migrated = migrate(*impl);
    if (!migrated) return tl::unexpected(migrated.error());
    impl->remember_file();
    ok = recover_interrupted(*impl);
    if (!ok) return tl::unexpected(ok.error());
    install_wal_hook(*impl, options.sync);
    impl->start_writer();
    return Store(std::move(impl));
}

Result<std::vector<RunId>> Store::interrupt_own_runs() {
    return m_impl->write("interrupt this station's runs", [&]() -> Result<std::vector<RunId>> {
        auto runs = open_runs(*m_impl);
        if (!runs) return tl::unexpected(runs.error());
        std::vector<RunId> closed;
        for (const auto& run : *runs) {
            if (!same_process(run.owner, m_impl->owner)) continue;
            auto marked = mark_interrupted(*m_impl, run.id);
            if (!marked) return tl::unexpected(marked.error());
            if (*marked) closed.push_back(run.id);
        }
        return closed;
    });
}

void Store::Impl::start_writer() {
    writer = std::thread([this] { writer_loop(); });
}

void Store::Impl::submit(Call& call) {
    {
        const std::lock_guard<std::mutex> guard(queue_mutex);
        if (stopping) return;  // the caller reports "closed"
        queue.push_back(&call);
        // The writer waits only on an empty queue; otherwise it takes this call with the rest.
        if (queue.size() == 1) queue_ready.notify_one();
    }
    std::unique_lock<std::mutex> guard(call.mutex);
    call.woken.wait(guard, [&] { return call.done; });
}

void Store::Impl::post(std::unique_ptr<Call> call) {
    if (!read_only && (in_bulk() || on_writer())) {
        call->run();
        call->settle(*call);
        return;
    }
    {
        const std::lock_guard<std::mutex> guard(queue_mutex);
        if (!read_only && !stopping && writer.joinable()) {
            queue.push_back(call.release());
            if (queue.size() == 1) queue_ready.notify_one();
            return;
        }
    }
    call->failed = core::Error{core::Reason::store_error,
                               path.string() + (read_only ? ": the database was opened read-only"
                                                          : ": the store was closed")};
    call->settle(*call);
}

// The writer keeps its transaction open while only posted calls (nobody waiting) keep coming:
// they are committed with the next call someone waits for, when the queue runs dry, or at these
// bounds, whichever comes first. Meanwhile readers wait for the connection.
constexpr std::size_t k_max_open_calls = 20000;
constexpr std::chrono::milliseconds k_max_open_time{20};

void Store::Impl::writer_loop() {
    std::vector<Call*> open;  // run in the open transaction, not yet committed
    std::unique_lock<std::mutex> connection(mutex, std::defer_lock);
    auto began = std::chrono::steady_clock::now();
    for (;;) {
        std::vector<Call*> batch;
        bool more = false;
        {
            std::unique_lock<std::mutex> guard(queue_mutex);
            if (open.empty()) queue_ready.wait(guard, [&] { return !queue.empty() || stopping; });
            if (queue.empty() && open.empty()) return;
            batch.swap(queue);
        }
        if (open.empty()) {
            connection.lock();
            began = std::chrono::steady_clock::now();
            if (auto begun = exec_cached("BEGIN IMMEDIATE", "begin write"); !begun) {
                for (Call* call : batch) call->failed = begun.error();
                connection.unlock();
                finish_calls(batch);
                continue;
            }
        }
        const bool waited = run_batch(open, batch);
        {
            const std::lock_guard<std::mutex> guard(queue_mutex);
            more = !queue.empty();
        }
        if (sqlite3_get_autocommit(db) == 0 && !waited && more && open.size() < k_max_open_calls &&
            std::chrono::steady_clock::now() - began < k_max_open_time) {
            continue;  // nobody waits yet: go on in the same transaction
        }
        if (sqlite3_get_autocommit(db) == 0) {
            auto committed = check_file();
            if (committed) committed = exec_cached("COMMIT", "commit");
            if (!committed) {
                sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
                for (Call* call : open) call->failed = committed.error();
            }
        }
        connection.unlock();
        finish_calls(open);
    }
}

void Store::Impl::finish_calls(std::vector<Call*>& calls) {
    for (Call* call : calls) {
        if (call->settle) {
            call->settle(*call);
            delete call;  // NOLINT(cppcoreguidelines-owning-memory): posted, owned here
            continue;
        }
        const std::lock_guard<std::mutex> guard(call->mutex);
        call->done = true;
        call->woken.notify_one();
    }
    calls.clear();
}

bool Store::Impl::run_batch(std::vector<Call*>& open, const std::vector<Call*>& batch) {
    bool waited = false;
    std::optional<core::Error> rolled_back;
    for (Call* call : batch) {
        open.push_back(call);
        waited = waited || !call->settle;
        if (rolled_back) {
            call->failed = rolled_back;
            continue;
        }
        call->run();
        // SQLite rolls the whole transaction back on some errors (disk full, I/O error): then
        // nothing of it is committed, and every call is told why.
        if (sqlite3_get_autocommit(db) != 0) {
            rolled_back = call->own_error.value_or(error("write"));
            for (Call* each : open) each->failed = rolled_back;
        }
    }
    return waited;
}

Result<void> Store::bulk(const std::function<Result<void>()>& body) {
    if (m_impl->in_bulk()) return body();
    const std::lock_guard<std::mutex> guard(m_impl->mutex);
    struct Owner {
        Impl& impl;
        explicit Owner(Impl& i) : impl(i) { impl.bulk_owner = std::this_thread::get_id(); }
        ~Owner() { impl.bulk_owner = std::thread::id(); }
        Owner(const Owner&) = delete;
        Owner& operator=(const Owner&) = delete;
    } const owner(*m_impl);
    auto tx = WriteTransaction::begin(*m_impl, "bulk write");
    if (!tx) return tl::unexpected(tx.error());
    auto done = body();
    if (!done) return done;
    if (sqlite3_get_autocommit(m_impl->db) != 0) {
        return fail(Reason::store_error,
                    m_impl->path.string() + ": bulk write: SQLite rolled the transaction back");
    }
    return tx->commit("bulk write");
}

Result<CheckReport> Store::check() {
    const auto lock = m_impl->lock();
    CheckReport report;
    report.supported_version = k_schema_version;
    auto version = read_user_version(*m_impl);
    if (!version) return tl::unexpected(version.error());
    report.schema_version = *version;
    auto lines = integrity_check(*m_impl);
    if (!lines) return tl::unexpected(lines.error());
    report.integrity = std::move(*lines);
    return report;
}

Result<CheckReport> inspect(const std::filesystem::path& path, std::chrono::milliseconds busy) {
    Store::Impl impl;
    impl.path = path;
    auto ok = open_read_only(impl, busy);
    if (!ok) return tl::unexpected(ok.error());
    CheckReport report;
    report.supported_version = k_schema_version;
    auto version = read_user_version(impl);
    if (!version) return tl::unexpected(version.error());
    report.schema_version = *version;
    auto lines = integrity_check(impl);
    if (!lines) return tl::unexpected(lines.error());
    report.integrity = std::move(*lines);
    return report;
}

Result<void> Store::backup_to(const std::filesystem::path& dest) {
    return backup_database(m_impl->path, dest);
}

Result<void> backup_database(const std::filesystem::path& source_path,
                             const std::filesystem::path& dest) {
    std::error_code ec;
    if (std::filesystem::exists(dest, ec)) {
        return fail(Reason::store_error, dest.string() + ": already exists; not overwriting it");
    }
    if (!std::filesystem::exists(source_path, ec)) {
        return fail(Reason::store_error, source_path.string() + ": no such database");
    }
    // A connection of its own: the backup reads one consistent snapshot (WAL) while the
    // station's threads and other processes go on writing.
    Store::Impl source;
    source.path = source_path;
    auto ok = open_read_only(source, std::chrono::seconds(5));
    if (!ok) return tl::unexpected(ok.error());
    const std::filesystem::path partial = dest.string() + ".partial-" + std::to_string(::getpid());
    Store::Impl target;
    target.path = partial;
    ok = open_connection(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                         std::chrono::seconds(5));
    if (!ok) {
        return fail(Reason::store_error, dest.string() + ": cannot create the backup: " +
                                             sqlite3_errstr(sqlite3_errcode(target.db)) +
                                             hint_for(SQLITE_CANTOPEN));
    }
    sqlite3_backup* backup = sqlite3_backup_init(target.db, "main", source.db, "main");
    int rc = SQLITE_ERROR;
    if (backup != nullptr) {
        rc = sqlite3_backup_step(backup, -1);
        sqlite3_backup_finish(backup);
    }
    const std::string message = rc == SQLITE_DONE ? "" : sqlite3_errmsg(target.db);
    sqlite3_close_v2(target.db);
    target.db = nullptr;
    if (rc != SQLITE_DONE) {
        std::filesystem::remove(partial, ec);
        return fail(Reason::store_error, dest.string() + ": backup of " + source_path.string() +
                                             " failed: " + message + hint_for(rc));
    }
    std::filesystem::rename(partial, dest, ec);
    if (ec) {
        std::filesystem::remove(partial, ec);
        return fail(Reason::store_error,
                    dest.string() + ": cannot move the backup into place: " + ec.message());
    }
    return {};
}

}  // namespace station::store
