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
//
// Lanes: a pass ships its tables on every lane at once (each lane a local reader and a central
// connection of its own, so two server backends and the station's reads share the cores); a
// lane takes the table with the most rows waiting next. The tables' marks are independent, so
// their batches are too; the first lane alone migrates, pulls the central registrations and
// ships the change log, after the tables.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

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

// One lane: a local reader of the store file and a central connection, both its own.
struct Lane {
    LocalSource& local;
    Connection& central;
};

class Shipper;  // a lane's batches (sync.cpp)

class Syncer {
  public:
    // `lanes` (at least one) ship tables at once; the first does the rest (above).
    Syncer(const std::vector<Lane>& lanes, SyncOptions options);
    ~Syncer();
    Syncer(const Syncer&) = delete;
    Syncer& operator=(const Syncer&) = delete;
    // Migrates the central schema, registers the station, starts the local change log.
    core::Result<void> prepare();
    // Records the local outbox rows the central push registered (LocalSource::
    // record_central_registration), then ships everything new until caught up; what it did.
    // When a lane fails, the others finish the table they are on and the pass fails with the
    // first failure.
    core::Result<SyncCounts> pass();

  private:
    core::Result<void> ship_tables(SyncCounts& counts);
    core::Result<std::int64_t> ship_changes();
    core::Result<std::int64_t> pull_central_registrations();
    SyncOptions m_options;
    std::vector<std::unique_ptr<Shipper>> m_lanes;
};

}  // namespace station::central
