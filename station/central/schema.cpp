#include <station/central/schema.hpp>

#include <array>
#include <string>

namespace station::central {
namespace {

// Version 1: the stations, each synced table keyed by (station, local id), the sync marks (a
// station's last shipped local id per table, and its last change-log sequence), and the
// indexes of the cross-station look-ups. The outbox adds the central push's own columns
// (central_state 'claimed' / 'registered' / 'conflict' / 'failed', who claimed it, when,
// ALMS's id, the last error): a station's sync never writes them.
constexpr const char* k_v1 = R"sql(
CREATE TABLE stations(
  station TEXT PRIMARY KEY,
  hostname TEXT NOT NULL,
  first_sync TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_sync TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE TABLE sync_marks(
  station TEXT NOT NULL,
  tbl TEXT NOT NULL,
  mark BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (station, tbl));
CREATE TABLE runs(
  station TEXT NOT NULL, id BIGINT NOT NULL,
  mode TEXT, operator TEXT, lot TEXT, profile TEXT, started_ms BIGINT, ended_ms BIGINT,
  outcome TEXT, interrupted BIGINT, station_version TEXT, manifest_path TEXT,
  manifest_sha256 TEXT, manifest_lines BIGINT, no_manifest BIGINT,
  PRIMARY KEY (station, id));
CREATE INDEX runs_by_lot ON runs(lot);
CREATE TABLE slot_results(
  station TEXT NOT NULL, id BIGINT NOT NULL,
  run_id BIGINT, slot TEXT, port_chain TEXT, port_path TEXT, attempt BIGINT,
  manufacturer TEXT, model TEXT, firmware TEXT, fsn TEXT, imei TEXT, imsi TEXT, iccid TEXT,
  iccid_command TEXT, sim_status TEXT, sim_status_text TEXT, carrier_images TEXT, region TEXT,
  data_center TEXT, outcome TEXT, reason TEXT, message TEXT, started_ms BIGINT, ended_ms BIGINT,
  profile TEXT, sku_basis TEXT,
  PRIMARY KEY (station, id));
CREATE INDEX slot_results_by_run ON slot_results(station, run_id);
CREATE INDEX slot_results_by_fsn ON slot_results(lower(fsn));
CREATE INDEX slot_results_by_imei ON slot_results(lower(imei));
CREATE INDEX slot_results_by_iccid ON slot_results(lower(iccid));
CREATE TABLE step_results(
  station TEXT NOT NULL, id BIGINT NOT NULL,
  slot_result_id BIGINT, name TEXT, outcome TEXT, reason TEXT, message TEXT,
  started_ms BIGINT, ended_ms BIGINT,
  PRIMARY KEY (station, id));
CREATE TABLE transcripts(
  station TEXT NOT NULL, id BIGINT NOT NULL,
  slot_result_id BIGINT, text BYTEA,
  PRIMARY KEY (station, id));
CREATE TABLE devices(
  station TEXT NOT NULL, id BIGINT NOT NULL,
  fsn TEXT, imei TEXT, iccid TEXT, first_seen_ms BIGINT, last_seen_ms BIGINT,
  last_slot_result_id BIGINT,
  PRIMARY KEY (station, id));
CREATE INDEX devices_by_imei ON devices(lower(imei));
CREATE INDEX devices_by_iccid ON devices(lower(iccid));
CREATE TABLE outbox(
  station TEXT NOT NULL, id BIGINT NOT NULL,
  fsn TEXT, serial TEXT, imei TEXT, iccid TEXT, imsi TEXT, data_center TEXT, region TEXT,
  action TEXT, term_years BIGINT, po TEXT, company TEXT, slot_result_id BIGINT, state TEXT,
  attempts BIGINT, last_error TEXT, remote_id TEXT, next_attempt_ms BIGINT, created_ms BIGINT,
  updated_ms BIGINT, hold TEXT,
  central_state TEXT CHECK (central_state IN ('claimed', 'registered', 'conflict', 'failed')),
  central_by TEXT, central_at TIMESTAMPTZ, central_remote_id TEXT, central_error TEXT,
  PRIMARY KEY (station, id));
CREATE INDEX outbox_central_due ON outbox(data_center, id)
  WHERE state = 'pending' AND central_state IS NULL;
CREATE TABLE events(
  station TEXT NOT NULL, id BIGINT NOT NULL,
  run_id BIGINT, at_ms BIGINT, kind TEXT, text TEXT,
  PRIMARY KEY (station, id));
)sql";

constexpr std::array<const char*, k_central_schema_version> k_migrations{k_v1};

// An arbitrary constant: the advisory lock every station takes to migrate.
constexpr const char* k_lock = "SELECT pg_advisory_xact_lock(2020062001)";

core::Result<int> read_version(Connection& db) {
    auto rows = db.exec("SELECT coalesce(max(version), 0) FROM central_schema", {},
                        "read the schema version");
    if (!rows) return tl::unexpected(rows.error());
    return std::stoi(rows->at(0).at(0).value_or("0"));
}

core::Result<int> migrate_locked(Connection& db) {
    if (auto made = db.run("CREATE TABLE IF NOT EXISTS central_schema(version INTEGER NOT NULL)",
                           "create the schema version table");
        !made) {
        return tl::unexpected(made.error());
    }
    auto from = read_version(db);
    if (!from) return tl::unexpected(from.error());
    if (*from > k_central_schema_version) {
        return core::fail(core::Reason::store_error,
                          "central database: schema version " + std::to_string(*from) +
                              " is newer than this station supports (" +
                              std::to_string(k_central_schema_version) +
                              "); use a newer station binary");
    }
    for (int v = *from; v < k_central_schema_version; ++v) {
        auto done = db.run(k_migrations.at(static_cast<std::size_t>(v)),
                           "migrate the central schema to version " + std::to_string(v + 1));
        if (!done) return tl::unexpected(done.error());
    }
    if (*from < k_central_schema_version) {
        auto set = db.exec("INSERT INTO central_schema(version) VALUES ($1)",
                           {std::to_string(k_central_schema_version)}, "set the schema version");
        if (!set) return tl::unexpected(set.error());
    }
    return *from;
}

}  // namespace

core::Result<int> migrate_central(Connection& db) {
    if (auto begun = db.run("BEGIN", "migrate the central schema"); !begun) {
        return tl::unexpected(begun.error());
    }
    auto locked = db.run(k_lock, "lock the central schema");
    auto from = locked ? migrate_locked(db) : tl::unexpected(locked.error());
    if (!from) {
        (void)db.run("ROLLBACK", "roll back the migration");
        return from;
    }
    if (auto done = db.run("COMMIT", "commit the migration"); !done) {
        return tl::unexpected(done.error());
    }
    return from;
}

}  // namespace station::central
