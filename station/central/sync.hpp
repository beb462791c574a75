// `station sync`'s engine (issue 20): ships a station's local store to the central PostgreSQL,
// incrementally and idempotently.
//
// Per synced table (tables.hpp) the central sync_marks row holds the last local id shipped;
// per station one more mark, "(changes)", holds the last change-log sequence shipped (rows
// updated after they were shipped). Each batch is one central transaction: lock the mark row
// (FOR UPDATE: two syncs of one station take turns), read up to `batch` local rows after it,
// COPY them straight into the table when none of their ids is there yet, else into a
// temporary table then INSERT ... ON CONFLICT (station, id) (DO UPDATE for rows that change,
// DO NOTHING for the others), move the mark, COMMIT. A kill or an outage before
// COMMIT leaves the mark where it was: the batch is sent again and changes nothing twice.
#pragma once

#include <map>
#include <string>

#include <station/central/local_source.hpp>
#include <station/central/pq.hpp>

namespace station::central {

struct SyncOptions {
    std::string station;   // the station id (config, or generated once: station_id.hpp)
    std::string hostname;  // shown in the central stations table
    int batch = 5000;      // rows per central transaction
};

struct SyncCounts {
    std::map<std::string, std::int64_t> rows;  // table -> rows shipped (changes: "(changes)")
    std::int64_t total() const;
    // Local outbox rows found registered by the central push and recorded so here.
    std::int64_t registered_centrally = 0;
};

class Syncer {
  public:
    Syncer(LocalSource& local, Connection& central, SyncOptions options);
    // Migrates the central schema, registers the station, starts the local change log.
    core::Result<void> prepare();
    // Records the local outbox rows the central push registered (LocalSource::
    // record_central_registration), then ships everything new until caught up; what it did.
    core::Result<SyncCounts> pass();

  private:
    core::Result<std::int64_t> ship_table(const TableSpec& t);
    core::Result<std::int64_t> ship_changes();
    core::Result<std::int64_t> pull_central_registrations();
    core::Result<std::int64_t> lock_mark(std::string_view tbl);
    core::Result<void> upsert(const TableSpec& t, const std::vector<Row>& rows);
    core::Result<void> upsert_copy(const TableSpec& t, std::string_view data);
    core::Result<bool> none_from(const TableSpec& t, std::int64_t first);
    core::Result<bool> ship_batch(const TableSpec& t, std::int64_t mark, bool direct);
    core::Result<void> commit_mark(std::string_view tbl, std::int64_t mark);
    LocalSource& m_local;
    Connection& m_central;
    SyncOptions m_options;
    std::string m_buffer;  // a batch's COPY text, reused
    std::int64_t m_batch_rows = 0;
    std::int64_t m_batch_last = 0;
};

}  // namespace station::central
