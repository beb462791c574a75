#include <station/central/local_source.hpp>

#include <sqlite3.h>

#include <map>

#include <station/core/sanitize.hpp>
#include <station/core/utf8.hpp>

namespace station::central {
namespace {

core::Error local_error(sqlite3* db, const std::string& what) {
    return core::Error{core::Reason::store_error,
                       "local store: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory")};
}

// The SELECT list of a table: its columns, the id as the local id, bytes as hex.
std::string select_list(const TableSpec& t) {
    std::string list;
    for (const auto& c : t.columns) {
        if (!list.empty()) list += ", ";
        if (c.name == "id") {
            list += std::string(t.local_id);
        } else if (c.bytes) {
            list += "hex(" + std::string(c.name) + ")";
        } else {
            list += std::string(c.name);
        }
    }
    return list;
}

Value column_value(sqlite3_stmt* stmt, int col, const Column& c) {
    if (sqlite3_column_type(stmt, col) == SQLITE_NULL) return std::nullopt;
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
    std::string text(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, col)));
    if (c.bytes) return "\\x" + text;  // bytea's hex input
    // PostgreSQL text is UTF-8 without NUL: anything else is kept visibly escaped.
    if (!c.integer && (!core::is_valid_utf8(text) || text.find('\0') != std::string::npos)) {
        return core::sanitize_for_display(text, text.size() * 4 + 8);
    }
    return text;
}

// Appends `text` to COPY text, escaping backslash, tab, newline and carriage return.
void append_copy_text(std::string& out, const char* text, std::size_t n) {
    std::size_t from = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[i];
        if (c != '\\' && c != '\t' && c != '\n' && c != '\r') continue;
        out.append(text + from, i - from);
        out += '\\';
        out += c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
        from = i + 1;
    }
    out.append(text + from, n - from);
}

// Column `col` of the current row as a COPY field: column_value()'s text, escaped.
void append_copy_column(std::string& out, sqlite3_stmt* stmt, int col, const Column& c) {
    if (sqlite3_column_type(stmt, col) == SQLITE_NULL) {
        out += "\\N";
        return;
    }
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
    const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, col));
    if (p == nullptr) p = "";
    if (c.bytes) {
        out += "\\\\x";    // bytea's hex input, its backslash escaped
        out.append(p, n);  // hex digits: nothing to escape
        return;
    }
    if (c.integer) {
        append_copy_text(out, p, n);
        return;
    }
    const std::string_view text(p, n);
    if (!core::is_valid_utf8(text) || text.find('\0') != std::string_view::npos) {
        const std::string shown = core::sanitize_for_display(text, n * 4 + 8);
        append_copy_text(out, shown.data(), shown.size());
        return;
    }
    append_copy_text(out, p, n);
}

}  // namespace

struct LocalSource::Db {
    sqlite3* db = nullptr;
    std::map<std::string, sqlite3_stmt*, std::less<>> prepared;  // copy_rows_after's, by table
    ~Db() {
        for (auto& [name, stmt] : prepared) sqlite3_finalize(stmt);
        sqlite3_close_v2(db);
    }

    core::Result<std::vector<Row>> query(const std::string& sql, const TableSpec* t,
                                         std::initializer_list<std::int64_t> params,
                                         const std::string& what) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
            return tl::unexpected(local_error(db, what));
        }
        int i = 1;
        for (const auto p : params) sqlite3_bind_int64(stmt, i++, p);
        std::vector<Row> rows;
        int rc = 0;
        const int cols = sqlite3_column_count(stmt);
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            Row row;
            for (int c = 0; c < cols; ++c) {
                const Column plain{"", false, false};
                row.push_back(
                    column_value(stmt, c, t ? t->columns[static_cast<std::size_t>(c)] : plain));
            }
            rows.push_back(std::move(row));
        }
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE) return tl::unexpected(local_error(db, what));
        return rows;
    }
};

LocalSource::LocalSource(std::unique_ptr<Db> db) : m_db(std::move(db)) {}
LocalSource::LocalSource(LocalSource&&) noexcept = default;
LocalSource& LocalSource::operator=(LocalSource&&) noexcept = default;
LocalSource::~LocalSource() = default;

core::Result<LocalSource> LocalSource::open(const std::filesystem::path& path) {
    auto db = std::make_unique<Db>();
    const int rc = sqlite3_open_v2(path.c_str(), &db->db, SQLITE_OPEN_READWRITE, nullptr);
    if (rc != SQLITE_OK) return tl::unexpected(local_error(db->db, "open " + path.string()));
    sqlite3_busy_timeout(db->db, 10000);
    return LocalSource(std::move(db));
}

core::Result<void> LocalSource::enable_changes() {
    auto done = m_db->query("INSERT OR IGNORE INTO sync_enabled(one) VALUES (1)", nullptr, {},
                            "start the change log");
    if (!done) return tl::unexpected(done.error());
    return {};
}

core::Result<std::vector<Row>> LocalSource::rows_after(const TableSpec& t, std::int64_t after,
                                                       int limit) {
    const std::string id(t.local_id);
    return m_db->query("SELECT " + select_list(t) + " FROM " + std::string(t.name) + " WHERE " +
                           id + " > ?1 ORDER BY " + id + " LIMIT ?2",
                       &t, {after, limit}, "read " + std::string(t.name));
}

core::Result<LocalSource::CopyBatch> LocalSource::copy_rows_after(const TableSpec& t,
                                                                  std::int64_t after, int limit,
                                                                  std::string_view station,
                                                                  std::string& out) {
    const std::string what = "read " + std::string(t.name);
    auto found = m_db->prepared.find(t.name);
    if (found == m_db->prepared.end()) {
        const std::string id(t.local_id);
        const std::string sql = "SELECT " + select_list(t) + " FROM " + std::string(t.name) +
                                " WHERE " + id + " > ?1 ORDER BY " + id + " LIMIT ?2";
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db->db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
            return tl::unexpected(local_error(m_db->db, what));
        }
        found = m_db->prepared.emplace(std::string(t.name), stmt).first;
    }
    sqlite3_stmt* stmt = found->second;
    sqlite3_reset(stmt);
    sqlite3_bind_int64(stmt, 1, after);
    sqlite3_bind_int64(stmt, 2, limit);
    std::string station_field;
    append_copy_text(station_field, station.data(), station.size());
    CopyBatch batch;
    const int cols = static_cast<int>(t.columns.size());
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const std::int64_t id = sqlite3_column_int64(stmt, 0);
        if (batch.rows == 0) batch.first = id;
        batch.last = id;
        ++batch.rows;
        out += station_field;
        for (int c = 0; c < cols; ++c) {
            out += '\t';
            append_copy_column(out, stmt, c, t.columns[static_cast<std::size_t>(c)]);
        }
        out += '\n';
    }
    sqlite3_reset(stmt);  // ends the read transaction
    if (rc != SQLITE_DONE) return tl::unexpected(local_error(m_db->db, what));
    return batch;
}

core::Result<std::int64_t> LocalSource::last_id(const TableSpec& t) {
    auto rows = m_db->query("SELECT coalesce(max(" + std::string(t.local_id) + "), 0) FROM " +
                                std::string(t.name),
                            nullptr, {}, "read the last id of " + std::string(t.name));
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty() || rows->front().empty()) return 0;
    return std::stoll(rows->front().front().value_or("0"));
}

core::Result<std::optional<Row>> LocalSource::row(const TableSpec& t, std::int64_t id) {
    auto rows = m_db->query("SELECT " + select_list(t) + " FROM " + std::string(t.name) +
                                " WHERE " + std::string(t.local_id) + " = ?1",
                            &t, {id}, "read " + std::string(t.name));
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) return std::nullopt;
    return std::move(rows->front());
}

core::Result<std::vector<Change>> LocalSource::changes_after(std::int64_t after, int limit) {
    auto rows = m_db->query(
        "SELECT seq, tbl, row_id FROM sync_changes WHERE seq > ?1 ORDER BY "
        "seq LIMIT ?2",
        nullptr, {after, limit}, "read the change log");
    if (!rows) return tl::unexpected(rows.error());
    std::vector<Change> changes;
    for (const auto& r : *rows) {
        changes.push_back(
            {std::stoll(r[0].value_or("0")), r[1].value_or(""), std::stoll(r[2].value_or("0"))});
    }
    return changes;
}

core::Result<void> LocalSource::prune_changes(std::int64_t seq) {
    auto done = m_db->query("DELETE FROM sync_changes WHERE seq <= ?1", nullptr, {seq},
                            "prune the change log");
    if (!done) return tl::unexpected(done.error());
    return {};
}

core::Result<bool> LocalSource::record_central_registration(std::int64_t id,
                                                            const std::string& remote_id,
                                                            std::int64_t now_ms) {
    const std::string what = "record the central registration of outbox row " + std::to_string(id);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db->db,
                           "UPDATE outbox SET state = 'registered', remote_id = ?1,"
                           " last_error = '', updated_ms = ?2 WHERE id = ?3 AND"
                           " state IN ('pending', 'in_doubt')",
                           -1, &stmt, nullptr) != SQLITE_OK) {
        return tl::unexpected(local_error(m_db->db, what));
    }
    sqlite3_bind_text(stmt, 1, remote_id.data(), static_cast<int>(remote_id.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, now_ms);
    sqlite3_bind_int64(stmt, 3, id);
    const int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return tl::unexpected(local_error(m_db->db, what));
    return sqlite3_changes(m_db->db) > 0;
}

}  // namespace station::central
