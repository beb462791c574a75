#include <station/store/labels.hpp>

#include <sqlite3.h>

#include <memory>

#include <station/store/records.hpp>  // to_ms

namespace station::store {
namespace {

using core::fail;
using core::Reason;

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStmt {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;
using Stmt = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

core::Error db_fail(const std::filesystem::path& path, std::string_view what, sqlite3* db) {
    return core::Error{Reason::store_error, path.string() + ": " + std::string(what) + ": " +
                                                (db ? sqlite3_errmsg(db) : "out of memory")};
}

core::Result<Db> open_db(const std::filesystem::path& path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    Db db(raw);
    if (rc != SQLITE_OK) return tl::unexpected(db_fail(path, "open for labels", db.get()));
    sqlite3_busy_timeout(db.get(), 5000);
    return db;
}

core::Result<Stmt> prepare(const std::filesystem::path& path, sqlite3* db, const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
        return tl::unexpected(db_fail(path, "labels", db));
    }
    return Stmt(raw);
}

void bind_text(sqlite3_stmt* stmt, int index, const std::string& text) {
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string column_text(sqlite3_stmt* stmt, int col) {
    const auto* text = sqlite3_column_text(stmt, col);
    return text == nullptr ? std::string()
                           : std::string(reinterpret_cast<const char*>(text),
                                         static_cast<std::size_t>(sqlite3_column_bytes(stmt, col)));
}

}  // namespace

core::Result<std::int64_t> add_label(const std::filesystem::path& path, const LabelRecord& label) {
    auto db = open_db(path);
    if (!db) return tl::unexpected(db.error());
    auto stmt = prepare(path, db->get(),
                        "INSERT INTO labels(fsn, run_id, zpl, target, state, attempts, "
                        "created_ms) VALUES (?, ?, ?, ?, 'queued', 0, ?)");
    if (!stmt) return tl::unexpected(stmt.error());
    bind_text(stmt->get(), 1, label.fsn);
    sqlite3_bind_int64(stmt->get(), 2, label.run);
    bind_text(stmt->get(), 3, label.zpl);
    bind_text(stmt->get(), 4, label.target);
    sqlite3_bind_int64(stmt->get(), 5, to_ms(label.created));
    if (sqlite3_step(stmt->get()) != SQLITE_DONE) {
        return tl::unexpected(db_fail(path, "queue the label of " + label.fsn, db->get()));
    }
    return sqlite3_last_insert_rowid(db->get());
}

core::Result<void> record_label_attempt(const std::filesystem::path& path, std::int64_t id,
                                        const std::optional<std::string>& error,
                                        std::chrono::system_clock::time_point at) {
    auto db = open_db(path);
    if (!db) return tl::unexpected(db.error());
    auto stmt = prepare(path, db->get(),
                        "UPDATE labels SET attempts = attempts + 1, state = ?, last_error = ?, "
                        "printed_ms = CASE WHEN ? THEN ? ELSE printed_ms END WHERE id = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    bind_text(stmt->get(), 1, error ? "queued" : "printed");
    if (error) bind_text(stmt->get(), 2, *error);
    sqlite3_bind_int(stmt->get(), 3, error ? 0 : 1);
    sqlite3_bind_int64(stmt->get(), 4, to_ms(at));
    sqlite3_bind_int64(stmt->get(), 5, id);
    if (sqlite3_step(stmt->get()) != SQLITE_DONE) {
        return tl::unexpected(db_fail(path, "record a label attempt", db->get()));
    }
    return {};
}

core::Result<std::optional<LabelRecord>> latest_label(const std::filesystem::path& path,
                                                      const std::string& fsn) {
    auto db = open_db(path);
    if (!db) return tl::unexpected(db.error());
    auto stmt = prepare(path, db->get(),
                        "SELECT id, fsn, run_id, zpl, target, state, attempts, "
                        "coalesce(last_error, ''), created_ms FROM labels "
                        "WHERE fsn = ? COLLATE NOCASE ORDER BY id DESC LIMIT 1");
    if (!stmt) return tl::unexpected(stmt.error());
    bind_text(stmt->get(), 1, fsn);
    const int rc = sqlite3_step(stmt->get());
    if (rc == SQLITE_DONE) return std::optional<LabelRecord>();
    if (rc != SQLITE_ROW) return tl::unexpected(db_fail(path, "read the label of " + fsn, db->get()));
    sqlite3_stmt* s = stmt->get();
    LabelRecord label;
    label.id = sqlite3_column_int64(s, 0);
    label.fsn = column_text(s, 1);
    label.run = sqlite3_column_int64(s, 2);
    label.zpl = column_text(s, 3);
    label.target = column_text(s, 4);
    label.state = column_text(s, 5) == "printed" ? LabelState::printed : LabelState::queued;
    label.attempts = sqlite3_column_int(s, 6);
    label.last_error = column_text(s, 7);
    label.created = std::chrono::system_clock::time_point(
        std::chrono::milliseconds(sqlite3_column_int64(s, 8)));
    return std::optional<LabelRecord>(std::move(label));
}

}  // namespace station::store
