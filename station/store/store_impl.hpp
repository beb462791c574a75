// Internal to station_store: the connection, its statement cache and the SQL helpers shared by
// the store's source files. Nothing outside station/store includes this.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sqlite3.h>

#include <station/store/process_owner.hpp>
#include <station/store/store.hpp>

namespace station::store {

// Failure of `what` on the database at `path`, with SQLite's own words and a hint.
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

struct Store::Impl {
    std::filesystem::path path;
    sqlite3* db = nullptr;
    std::recursive_mutex mutex;
    std::unordered_map<std::string_view, sqlite3_stmt*> statements;
    std::vector<RunId> recovered;
    std::optional<std::int64_t> station_id;
    ProcessOwner owner;

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl();

    // A cached statement for `sql` (which must outlive the store: a string literal).
    Result<Statement> prepare(std::string_view sql, std::string_view what);
    // Runs SQL without results (schema, pragmas, transaction control).
    Result<void> exec(const char* sql, std::string_view what);
    // Steps a write statement to completion.
    Result<void> run(Statement& stmt, std::string_view what);
    core::Error error(std::string_view what, int rc) const { return db_error(path, what, db, rc); }
    core::Error error(std::string_view what) const;  // last error on the connection
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

// Rows to records, shared by queries and the outbox. Defined in queries.cpp / outbox.cpp.
std::optional<core::Outcome> outcome_from_text(std::string_view text);
OutboxRow read_outbox_row(const Statement& stmt);

}  // namespace station::store
