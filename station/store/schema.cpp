// The schema as a list of forward migrations. Migration N takes a file from user_version N-1 to
// N in one transaction; a new file runs them all, so the oldest path is exercised on every
// create. Never edit a shipped migration: add the next one (and keep tests/data/store/v<N>.sql).
#include <array>
#include <string>

#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

// Version 1: runs, slot results, steps, transcripts, devices, outbox, events.
constexpr const char* k_v1 = R"sql(
CREATE TABLE stations(
  id INTEGER PRIMARY KEY,
  hostname TEXT NOT NULL UNIQUE,
  first_seen_ms INTEGER NOT NULL);
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  station_id INTEGER REFERENCES stations(id),
  mode TEXT NOT NULL CHECK (mode IN ('provision', 'retest', 'regress')),
  operator TEXT NOT NULL,
  lot TEXT NOT NULL,
  profile TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  ended_ms INTEGER,
  outcome TEXT,
  interrupted INTEGER NOT NULL DEFAULT 0,
  owner_pid INTEGER,
  owner_boot TEXT,
  owner_start INTEGER);
CREATE INDEX runs_by_lot ON runs(lot);
CREATE TABLE slot_results(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  slot TEXT NOT NULL,
  port_chain TEXT NOT NULL,
  port_path TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  manufacturer TEXT, model TEXT, firmware TEXT,
  fsn TEXT, imei TEXT, imsi TEXT, iccid TEXT, iccid_command TEXT,
  sim_status TEXT, sim_status_text TEXT, carrier_images TEXT,
  region TEXT, data_center TEXT,
  outcome TEXT, reason TEXT, message TEXT,
  started_ms INTEGER NOT NULL,
  ended_ms INTEGER);
CREATE INDEX slot_results_by_run ON slot_results(run_id);
CREATE INDEX slot_results_by_fsn ON slot_results(fsn);
CREATE INDEX slot_results_by_imei ON slot_results(imei);
CREATE INDEX slot_results_by_iccid ON slot_results(iccid);
CREATE TABLE step_results(
  id INTEGER PRIMARY KEY,
  slot_result_id INTEGER NOT NULL REFERENCES slot_results(id),
  name TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT,
  message TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  ended_ms INTEGER NOT NULL);
CREATE INDEX step_results_by_slot ON step_results(slot_result_id);
CREATE TABLE transcripts(
  id INTEGER PRIMARY KEY,
  slot_result_id INTEGER NOT NULL REFERENCES slot_results(id),
  text BLOB NOT NULL);
CREATE INDEX transcripts_by_slot ON transcripts(slot_result_id);
CREATE TABLE devices(
  fsn TEXT PRIMARY KEY,
  imei TEXT NOT NULL,
  iccid TEXT NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  last_slot_result_id INTEGER REFERENCES slot_results(id));
CREATE INDEX devices_by_imei ON devices(imei);
CREATE INDEX devices_by_iccid ON devices(iccid);
CREATE TABLE outbox(
  id INTEGER PRIMARY KEY,
  fsn TEXT NOT NULL,
  serial TEXT NOT NULL,
  imei TEXT NOT NULL,
  iccid TEXT NOT NULL,
  imsi TEXT NOT NULL,
  data_center TEXT NOT NULL CHECK (data_center IN ('na', 'eu')),
  term_years INTEGER NOT NULL,
  po TEXT NOT NULL,
  slot_result_id INTEGER REFERENCES slot_results(id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'registered', 'conflict', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  remote_id TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  UNIQUE (fsn, data_center));
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  run_id INTEGER REFERENCES runs(id),
  at_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL);
)sql";

// Version 2: outbox leases (a 'claimed' state, lease owner and expiry, next attempt time) so
// two pushers never push one row; the ICCID history of every unit, so SIM swaps show; an index
// on open runs for the recovery on open. The outbox is rebuilt because a CHECK cannot change.
constexpr const char* k_v2 = R"sql(
CREATE TABLE outbox_v2(
  id INTEGER PRIMARY KEY,
  fsn TEXT NOT NULL,
  serial TEXT NOT NULL,
  imei TEXT NOT NULL,
  iccid TEXT NOT NULL,
  imsi TEXT NOT NULL,
  data_center TEXT NOT NULL CHECK (data_center IN ('na', 'eu')),
  term_years INTEGER NOT NULL,
  po TEXT NOT NULL,
  slot_result_id INTEGER REFERENCES slot_results(id),
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'claimed', 'registered', 'conflict', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  remote_id TEXT NOT NULL DEFAULT '',
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until_ms INTEGER,
  next_attempt_ms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  UNIQUE (fsn, data_center));
INSERT INTO outbox_v2(id, fsn, serial, imei, iccid, imsi, data_center, term_years, po,
                      slot_result_id, state, attempts, last_error, remote_id, next_attempt_ms,
                      created_ms, updated_ms)
  SELECT id, fsn, serial, imei, iccid, imsi, data_center, term_years, po, slot_result_id, state,
         attempts, last_error, remote_id, created_ms, created_ms, updated_ms
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(data_center, state, next_attempt_ms);
CREATE TABLE device_iccids(
  fsn TEXT NOT NULL REFERENCES devices(fsn),
  iccid TEXT NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  PRIMARY KEY (fsn, iccid)) WITHOUT ROWID;
INSERT INTO device_iccids(fsn, iccid, first_seen_ms, last_seen_ms)
  SELECT s.fsn, s.iccid, min(coalesce(s.ended_ms, s.started_ms)),
         max(coalesce(s.ended_ms, s.started_ms))
  FROM slot_results s JOIN devices d ON d.fsn = s.fsn
  WHERE s.iccid IS NOT NULL AND s.iccid <> ''
  GROUP BY s.fsn, s.iccid;
INSERT OR IGNORE INTO device_iccids(fsn, iccid, first_seen_ms, last_seen_ms)
  SELECT fsn, iccid, first_seen_ms, last_seen_ms FROM devices WHERE iccid <> '';
CREATE INDEX runs_open ON runs(id) WHERE ended_ms IS NULL AND interrupted = 0;
CREATE INDEX events_by_run ON events(run_id);
)sql";

// Version 3: slots taken out of service (quarantine) and when they were released; the release
// time bounds the error streak that quarantines a slot again.
constexpr const char* k_v3 = R"sql(
CREATE TABLE slot_health(
  slot TEXT PRIMARY KEY,
  quarantined_ms INTEGER,
  why TEXT,
  released_ms INTEGER) WITHOUT ROWID;
CREATE INDEX slot_results_by_slot ON slot_results(slot, id);
)sql";

// Version 4 (duplicates: both units of a shared SIM identity are held): outbox state
// 'withdrawn' (a row not yet sent whose unit shares its ICCID/IMEI with another; kept for the
// record, never sent) and a `hold` note saying why (also on rows already sent, to inspect).
// One unit has at most one live row per data center: the UNIQUE moves to a partial index so a
// withdrawn row does not block the unit's later registration. Rebuilt: a CHECK cannot change.
constexpr const char* k_v4_withdrawn = R"sql(
CREATE TABLE outbox_v4(
  id INTEGER PRIMARY KEY,
  fsn TEXT NOT NULL,
  serial TEXT NOT NULL,
  imei TEXT NOT NULL,
  iccid TEXT NOT NULL,
  imsi TEXT NOT NULL,
  data_center TEXT NOT NULL CHECK (data_center IN ('na', 'eu')),
  term_years INTEGER NOT NULL,
  po TEXT NOT NULL,
  slot_result_id INTEGER REFERENCES slot_results(id),
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'claimed', 'registered', 'conflict', 'failed', 'withdrawn')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  remote_id TEXT NOT NULL DEFAULT '',
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until_ms INTEGER,
  next_attempt_ms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  hold TEXT NOT NULL DEFAULT '');
INSERT INTO outbox_v4(id, fsn, serial, imei, iccid, imsi, data_center, term_years, po,
                      slot_result_id, state, attempts, last_error, remote_id, lease_owner,
                      lease_until_ms, next_attempt_ms, created_ms, updated_ms)
  SELECT id, fsn, serial, imei, iccid, imsi, data_center, term_years, po, slot_result_id, state,
         attempts, last_error, remote_id, lease_owner, lease_until_ms, next_attempt_ms,
         created_ms, updated_ms
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v4 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(data_center, state, next_attempt_ms);
CREATE UNIQUE INDEX outbox_live_unit ON outbox(fsn, data_center) WHERE state <> 'withdrawn';
CREATE INDEX outbox_by_fsn ON outbox(fsn);
)sql";

// Version 5 (issue 12, items 10 and 14): the station version
// that ran each run and the profile files it used (name, path, SHA-256 of the bytes loaded), and
// case-insensitive look-ups by FSN, IMEI and ICCID (history) that still walk an index.
constexpr const char* k_v5_versions_nocase = R"sql(
ALTER TABLE runs ADD COLUMN station_version TEXT;
CREATE TABLE run_profiles(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, name)) WITHOUT ROWID;
CREATE INDEX slot_results_by_fsn_nocase ON slot_results(fsn COLLATE NOCASE);
CREATE INDEX slot_results_by_imei_nocase ON slot_results(imei COLLATE NOCASE);
CREATE INDEX slot_results_by_iccid_nocase ON slot_results(iccid COLLATE NOCASE);
)sql";

// Version 6 (issue 13, the SKU decision on a pallet manifest): the manifest each run decided
// with (path, SHA-256, unit lines) or the operator's --no-manifest; per slot result the decided
// profile, the decision's basis ('manifest' | 'unit_signals') and its signals in order (vote
// 'na' | 'global', NULL: neutral); the manifest lines no unit of a run matched; and the ALMS
// company an outbox row registers into (from the manifest line; '' = the config's).
constexpr const char* k_v6_manifest_signals = R"sql(
ALTER TABLE runs ADD COLUMN manifest_path TEXT;
ALTER TABLE runs ADD COLUMN manifest_sha256 TEXT;
ALTER TABLE runs ADD COLUMN manifest_lines INTEGER;
ALTER TABLE runs ADD COLUMN no_manifest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE slot_results ADD COLUMN profile TEXT NOT NULL DEFAULT '';
ALTER TABLE slot_results ADD COLUMN sku_basis TEXT;
CREATE TABLE slot_signals(
  slot_result_id INTEGER NOT NULL REFERENCES slot_results(id),
  position INTEGER NOT NULL,
  source TEXT NOT NULL,
  value TEXT NOT NULL,
  vote TEXT CHECK (vote IN ('na', 'global')),
  basis TEXT NOT NULL,
  PRIMARY KEY (slot_result_id, position)) WITHOUT ROWID;
CREATE TABLE run_manifest_missing(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  line INTEGER NOT NULL,
  serial TEXT NOT NULL,
  imei TEXT NOT NULL,
  part_number TEXT NOT NULL,
  PRIMARY KEY (run_id, line)) WITHOUT ROWID;
ALTER TABLE outbox ADD COLUMN company TEXT NOT NULL DEFAULT '';
)sql";

// Version 7 (issue 14, the store at the real write set): the plain FSN, IMEI and ICCID indexes
// of slot_results go; every look-up by them is case-insensitive and walks the NOCASE twins
// (version 5), so the plain ones only cost each stored result six index writes instead of three
// (store_bench: about 3,350 -> 3,850 units/s).
constexpr const char* k_v7_drop_plain_indexes = R"sql(
DROP INDEX slot_results_by_fsn;
DROP INDEX slot_results_by_imei;
DROP INDEX slot_results_by_iccid;
)sql";

// Version 8 (issue 15, the outbox as a store role; one constant, renumber at merge): each outbox
// row keeps the unit's region (a pusher no longer looks it up in the unit's history) and its
// action ('create' now; 'update' will follow for SIM swaps); state 'in_doubt' (a create that
// may have reached ALMS without its answer: looked up again only after the request timeout and
// a margin). Existing rows take the region of their slot result, else the one routing to their
// data center (na -> na, eu -> global). One live create per unit and data center. Rebuilt: a
// CHECK cannot change.
constexpr const char* k_v8_outbox_region_action = R"sql(
CREATE TABLE outbox_v8(
  id INTEGER PRIMARY KEY,
  fsn TEXT NOT NULL,
  serial TEXT NOT NULL,
  imei TEXT NOT NULL,
  iccid TEXT NOT NULL,
  imsi TEXT NOT NULL,
  data_center TEXT NOT NULL CHECK (data_center IN ('na', 'eu')),
  region TEXT NOT NULL CHECK (region IN ('na', 'global')),
  action TEXT NOT NULL DEFAULT 'create' CHECK (action IN ('create', 'update')),
  term_years INTEGER NOT NULL,
  po TEXT NOT NULL,
  slot_result_id INTEGER REFERENCES slot_results(id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'claimed', 'in_doubt', 'registered', 'conflict',
                                       'failed', 'withdrawn')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  remote_id TEXT NOT NULL DEFAULT '',
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until_ms INTEGER,
  next_attempt_ms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  hold TEXT NOT NULL DEFAULT '',
  company TEXT NOT NULL DEFAULT '');
INSERT INTO outbox_v8(id, fsn, serial, imei, iccid, imsi, data_center, region, action,
                      term_years, po, slot_result_id, state, attempts, last_error, remote_id,
                      lease_owner, lease_until_ms, next_attempt_ms, created_ms, updated_ms, hold,
                      company)
  SELECT o.id, o.fsn, o.serial, o.imei, o.iccid, o.imsi, o.data_center,
         coalesce((SELECT s.region FROM slot_results s
                   WHERE s.id = o.slot_result_id AND s.region IN ('na', 'global')),
                  CASE o.data_center WHEN 'eu' THEN 'global' ELSE 'na' END),
         'create', o.term_years, o.po, o.slot_result_id, o.state, o.attempts, o.last_error,
         o.remote_id, o.lease_owner, o.lease_until_ms, o.next_attempt_ms, o.created_ms,
         o.updated_ms, o.hold, o.company
  FROM outbox o;
DROP TABLE outbox;
ALTER TABLE outbox_v8 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(data_center, state, next_attempt_ms);
CREATE UNIQUE INDEX outbox_live_unit ON outbox(fsn, data_center)
  WHERE state <> 'withdrawn' AND action = 'create';
CREATE INDEX outbox_by_fsn ON outbox(fsn);
)sql";

// Version 9 (issue 16, the RMA depot's retest; one constant, renumber at merge): RMA cases (the
// id as given, unique ignoring letter case), the retest runs linked to them, the findings written
// on each retested unit's slot result (in order, with before -> now and where `before` was
// seen), and the indexes provisioning_history walks: the PASS results by FSN and by IMEI
// (partial: only PASS rows are indexed) and the outbox rows that reached `registered` by FSN.
// Existing retest runs become RMA cases named by their lot (received when first retested).
constexpr const char* k_v9_rma_findings = R"sql(
CREATE TABLE rmas(
  id TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  customer TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  operator TEXT NOT NULL,
  received_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX rmas_by_received ON rmas(received_ms);
CREATE TABLE rma_runs(
  run_id INTEGER PRIMARY KEY REFERENCES runs(id),
  rma_id TEXT NOT NULL COLLATE NOCASE REFERENCES rmas(id));
CREATE INDEX rma_runs_by_rma ON rma_runs(rma_id);
CREATE TABLE findings(
  slot_result_id INTEGER NOT NULL REFERENCES slot_results(id),
  ordinal INTEGER NOT NULL,
  kind TEXT NOT NULL,
  before TEXT NOT NULL,
  now TEXT NOT NULL,
  seen TEXT NOT NULL,
  PRIMARY KEY (slot_result_id, ordinal)) WITHOUT ROWID;
CREATE INDEX slot_results_pass_by_fsn ON slot_results(fsn COLLATE NOCASE) WHERE outcome = 'PASS';
CREATE INDEX slot_results_pass_by_imei ON slot_results(imei COLLATE NOCASE)
  WHERE outcome = 'PASS';
CREATE INDEX outbox_registered_by_fsn ON outbox(fsn COLLATE NOCASE) WHERE state = 'registered';
INSERT OR IGNORE INTO rmas(id, operator, received_ms)
  SELECT lot, operator, started_ms FROM runs WHERE mode = 'retest' ORDER BY id;
INSERT INTO rma_runs(run_id, rma_id) SELECT id, lot FROM runs WHERE mode = 'retest';
)sql";

// Version 10 (issue 17, the nightly rig regression; one constant, renumber at merge): the nights
// of a rig (one `station regress` invocation: rig id, golden file, start, end, and its exit code,
// NULL while unfinished: a night killed half-way stays out of baselines), the runs of mode
// `regress` that are its iterations (one run per iteration number), and each unit attempt's AT
// round trips on its slot result (in order, in microseconds). The partial index serves
// regress_nights (the finished nights of a rig before a time, newest first); the iterations'
// UNIQUE serves the walk from a night to its runs.
constexpr const char* k_v10_regress_nights = R"sql(
CREATE TABLE regress_nights(
  id INTEGER PRIMARY KEY,
  rig TEXT NOT NULL,
  golden TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  ended_ms INTEGER,
  exit_code INTEGER);
CREATE INDEX regress_nights_finished_by_rig ON regress_nights(rig, started_ms)
  WHERE exit_code IS NOT NULL;
CREATE TABLE regress_iterations(
  run_id INTEGER PRIMARY KEY REFERENCES runs(id),
  night_id INTEGER NOT NULL REFERENCES regress_nights(id),
  iteration INTEGER NOT NULL CHECK (iteration >= 1),
  UNIQUE (night_id, iteration));
CREATE TABLE round_trips(
  slot_result_id INTEGER NOT NULL REFERENCES slot_results(id),
  ordinal INTEGER NOT NULL,
  command TEXT NOT NULL,
  micros INTEGER NOT NULL,
  PRIMARY KEY (slot_result_id, ordinal)) WITHOUT ROWID;
)sql";

// Version 11 (issue 20, the central database; one constant, renumber at merge): a change log
// for `station sync`. New rows ship by their id; a row changed after it was shipped (a run that
// ended or was interrupted, a slot result held as a duplicate, an outbox row's state, a device
// seen again) is logged here by triggers, in order, so the sync ships it again. The triggers
// log nothing until the first `station sync` enables them (sync_enabled), so a station without
// a central database pays nothing; the sync deletes what it has shipped. A later migration that
// rebuilds one of these tables must create its trigger again.
constexpr const char* k_v11_sync_changes = R"sql(
CREATE TABLE sync_changes(
  seq INTEGER PRIMARY KEY,
  tbl TEXT NOT NULL,
  row_id INTEGER NOT NULL);
CREATE TABLE sync_enabled(one INTEGER PRIMARY KEY CHECK (one = 1));
CREATE TRIGGER runs_sync_change AFTER UPDATE ON runs WHEN EXISTS (SELECT 1 FROM sync_enabled)
BEGIN INSERT INTO sync_changes(tbl, row_id) VALUES ('runs', NEW.id); END;
CREATE TRIGGER slot_results_sync_change AFTER UPDATE ON slot_results
  WHEN EXISTS (SELECT 1 FROM sync_enabled)
BEGIN INSERT INTO sync_changes(tbl, row_id) VALUES ('slot_results', NEW.id); END;
CREATE TRIGGER outbox_sync_change AFTER UPDATE ON outbox WHEN EXISTS (SELECT 1 FROM sync_enabled)
BEGIN INSERT INTO sync_changes(tbl, row_id) VALUES ('outbox', NEW.id); END;
CREATE TRIGGER devices_sync_change AFTER UPDATE ON devices
  WHEN EXISTS (SELECT 1 FROM sync_enabled)
BEGIN INSERT INTO sync_changes(tbl, row_id) VALUES ('devices', NEW.rowid); END;
)sql";

// Version 12 (issue 19): the label queue, each unit label made by `provision --label` with where
// it goes and whether it printed (`station label reprint`).
constexpr const char* k_v12_labels = R"sql(
CREATE TABLE labels(
  id INTEGER PRIMARY KEY,
  fsn TEXT NOT NULL,
  run_id INTEGER REFERENCES runs(id),
  zpl TEXT NOT NULL,
  target TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('printed', 'queued')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_ms INTEGER NOT NULL,
  printed_ms INTEGER);
CREATE INDEX labels_by_fsn ON labels(fsn COLLATE NOCASE);
)sql";

constexpr std::array<const char*, k_schema_version> k_migrations{k_v1,
                                                                 k_v2,
                                                                 k_v3,
                                                                 k_v4_withdrawn,
                                                                 k_v5_versions_nocase,
                                                                 k_v6_manifest_signals,
                                                                 k_v7_drop_plain_indexes,
                                                                 k_v8_outbox_region_action,
                                                                 k_v9_rma_findings,
                                                                 k_v10_regress_nights,
                                                                 k_v11_sync_changes,
                                                                 k_v12_labels};

}  // namespace

Result<int> read_user_version(Store::Impl& impl) {
    auto stmt = impl.prepare("PRAGMA user_version", "read schema version");
    if (!stmt) return tl::unexpected(stmt.error());
    const int rc = stmt->step();
    if (rc != SQLITE_ROW) return tl::unexpected(impl.error("read schema version", rc));
    return static_cast<int>(stmt->integer(0));
}

Result<void> check_schema_version(Store::Impl& impl, int version) {
    if (version > k_schema_version) {
        return core::fail(core::Reason::store_error,
                          impl.path.string() + ": schema version " + std::to_string(version) +
                              " is newer than this station supports (" +
                              std::to_string(k_schema_version) + "); use a newer station binary");
    }
    if (version < 0) {
        return core::fail(core::Reason::store_error, impl.path.string() +
                                                         ": not a station database (schema "
                                                         "version " +
                                                         std::to_string(version) + ")");
    }
    return {};
}

Result<int> migrate(Store::Impl& impl) {
    auto seen = read_user_version(impl);
    if (!seen) return tl::unexpected(seen.error());
    if (*seen == k_schema_version) return *seen;
    // Read the version again inside the write transaction, so two processes creating the same
    // file at once do not both run migration 1.
    auto tx = WriteTransaction::begin(impl, "migrate schema");
    if (!tx) return tl::unexpected(tx.error());
    auto version = read_user_version(impl);
    if (!version) return tl::unexpected(version.error());
    const int from = *version;
    if (auto supported = check_schema_version(impl, from); !supported) {
        return tl::unexpected(supported.error());
    }
    if (from == k_schema_version) return from;
    for (int v = from; v < k_schema_version; ++v) {
        const std::string what = "migrate schema to version " + std::to_string(v + 1);
        auto done = impl.exec(k_migrations.at(static_cast<std::size_t>(v)), what);
        if (!done) return tl::unexpected(done.error());
    }
    const std::string set_version = "PRAGMA user_version = " + std::to_string(k_schema_version);
    auto set = impl.exec(set_version.c_str(), "set schema version");
    if (!set) return tl::unexpected(set.error());
    auto committed = tx->commit("migrate schema");
    if (!committed) return tl::unexpected(committed.error());
    return from;
}

}  // namespace station::store
