// What `station sync` reads from the local SQLite store: rows after a local id, the change log
// (sync_changes, store schema version 11) and the rows it names; it writes only the change
// log's switch (sync_enabled) and deletes the entries already shipped. Its own connection: the
// station keeps writing the file meanwhile (WAL), nothing here holds a write lock for long.
#pragma once

#include <filesystem>
#include <memory>

#include <station/central/pq.hpp>
#include <station/central/tables.hpp>

namespace station::central {

struct Change {
    std::int64_t seq = 0;
    std::string table;
    std::int64_t row_id = 0;
};

class LocalSource {
  public:
    // Opens an existing store file (migrated by Store::open beforehand).
    static core::Result<LocalSource> open(const std::filesystem::path& path);
    LocalSource(LocalSource&&) noexcept;
    LocalSource& operator=(LocalSource&&) noexcept;
    ~LocalSource();

    // Starts the change log (idempotent).
    core::Result<void> enable_changes();
    // Up to `limit` rows of `table` with local id > after, in id order.
    core::Result<std::vector<Row>> rows_after(const TableSpec& table, std::int64_t after,
                                              int limit);
    // Up to `limit` rows of `table` with local id > after, in id order, appended to `out` as
    // COPY text lines (station first, then the table's columns: what upsert() would send for
    // rows_after()'s rows), without the Row copies; its statement is prepared once. How many
    // rows, and the first and last local ids.
    struct CopyBatch {
        std::int64_t rows = 0;
        std::int64_t first = 0;
        std::int64_t last = 0;
    };
    core::Result<CopyBatch> copy_rows_after(const TableSpec& table, std::int64_t after, int limit,
                                            std::string_view station, std::string& out);
    // The highest local id of `table` (0 when it is empty).
    core::Result<std::int64_t> last_id(const TableSpec& table);
    // The row of `table` with local id `id`, when it still exists.
    core::Result<std::optional<Row>> row(const TableSpec& table, std::int64_t id);
    // Up to `limit` change-log entries with seq > after, in order.
    core::Result<std::vector<Change>> changes_after(std::int64_t after, int limit);
    // Deletes the change-log entries up to `seq` (shipped).
    core::Result<void> prune_changes(std::int64_t seq);
    // Records that the central push (`register push --central`) registered outbox row `id`:
    // state registered with ALMS's `remote_id`, when the row is still waiting here (pending or
    // in doubt; a row a local pusher holds now is left to it). The only outbox write of sync;
    // the change log ships the row again. Whether the row changed.
    core::Result<bool> record_central_registration(std::int64_t id, const std::string& remote_id,
                                                   std::int64_t now_ms);

  private:
    struct Db;
    explicit LocalSource(std::unique_ptr<Db> db);
    std::unique_ptr<Db> m_db;
};

}  // namespace station::central
