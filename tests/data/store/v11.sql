-- Frozen schema version 11 of the station store, with data (never edit: the migration test starts here).
-- Made from v10.sql plus migration 11 (the sync change log), then: sqlite3 v11.db .dump
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE stations(
  id INTEGER PRIMARY KEY,
  hostname TEXT NOT NULL UNIQUE,
  first_seen_ms INTEGER NOT NULL);
INSERT INTO stations VALUES(1,'bench-7',1700000000000);
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
  owner_start INTEGER, station_version TEXT, manifest_path TEXT, manifest_sha256 TEXT, manifest_lines INTEGER, no_manifest INTEGER NOT NULL DEFAULT 0);
INSERT INTO runs VALUES(1,1,'provision','alice','PAL-OLD','xr90-na',1700000000000,1700000600000,'FAIL',0,1234,'old-boot',99,'0.1.0 (v0.1.0-40-gabc1234)','/srv/pallets/PAL-OLD.csv','ab12',2,0);
INSERT INTO runs VALUES(2,1,'retest','bob','RMA-9','xr90-na',1700001000000,NULL,NULL,0,1235,'old-boot',100,NULL,NULL,NULL,NULL,0);
INSERT INTO runs VALUES(3,1,'retest','carol','rma-9','xr90-na',1700002000000,1700002600000,'PASS',0,1236,'old-boot',101,NULL,NULL,NULL,NULL,0);
INSERT INTO runs VALUES(4,1,'regress','nightly','RIG-1','xr90-na',1700086400000,1700086700000,'PASS',0,1237,'old-boot',102,'0.2.0',NULL,NULL,NULL,0);
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
  ended_ms INTEGER, profile TEXT NOT NULL DEFAULT '', sku_basis TEXT);
INSERT INTO slot_results VALUES(1,1,'A1','1-1.1','/dev/ttyUSB2',1,'Sierra Wireless','EM7565','SWI9X50C_01.14','FSN-OLD-1','353270090000011','310170000000001','89014104279999999995','AT!ICCID?','ready','READY',replace('ATT\nGENERIC','\n',char(10)),'na','na','PASS',NULL,'',1700000000100,1700000000900,'',NULL);
INSERT INTO slot_results VALUES(2,1,'A2','1-1.2','/dev/ttyUSB5',1,'Sierra Wireless','EM7565','SWI9X50C_01.14','FSN-OLD-2','353270090000029','310170000000002','89014104279999999987','AT!ICCID?','ready','READY','','global','eu','FAIL','sku_mismatch','Global unit on an NA pallet',1700000000100,1700000000950,'',NULL);
INSERT INTO slot_results VALUES(3,2,'R1','1-2','/dev/ttyUSB2',1,'Sierra Wireless','EM7565','SWI9X50C_01.14','FSN-OLD-1','353270090000011','310170000000009','89014104270000000004','AT!ICCID?','ready','READY','','na','na',NULL,NULL,NULL,1700001000100,NULL,'',NULL);
INSERT INTO slot_results VALUES(4,4,'A1','1-1.1','/dev/ttyUSB2',1,'Sierra Wireless','EM7565','SWI9X50C_01.14','FSN-OLD-1','353270090000011','310170000000009','89014104270000000004','AT!ICCID?','ready','READY','','na','na','PASS',NULL,'',1700086400100,1700086400900,'xr90-na','unit_signals');
CREATE TABLE step_results(
  id INTEGER PRIMARY KEY,
  slot_result_id INTEGER NOT NULL REFERENCES slot_results(id),
  name TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT,
  message TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  ended_ms INTEGER NOT NULL);
INSERT INTO step_results VALUES(1,1,'identify','PASS',NULL,'ok',1700000000100,1700000000500);
CREATE TABLE transcripts(
  id INTEGER PRIMARY KEY,
  slot_result_id INTEGER NOT NULL REFERENCES slot_results(id),
  text BLOB NOT NULL);
INSERT INTO transcripts VALUES(1,1,replace(replace('> ATI\r\n','\r',char(13)),'\n',char(10)));
CREATE TABLE devices(
  fsn TEXT PRIMARY KEY,
  imei TEXT NOT NULL,
  iccid TEXT NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  last_slot_result_id INTEGER REFERENCES slot_results(id));
INSERT INTO devices VALUES('FSN-OLD-1','353270090000011','89014104270000000004',1700000000900,1700001000100,3);
INSERT INTO devices VALUES('FSN-OLD-2','353270090000029','89014104279999999987',1700000000950,1700000000950,2);
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  run_id INTEGER REFERENCES runs(id),
  at_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL);
INSERT INTO events VALUES(1,1,1700000000000,'operator','pallet scanned');
CREATE TABLE device_iccids(
  fsn TEXT NOT NULL REFERENCES devices(fsn),
  iccid TEXT NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  PRIMARY KEY (fsn, iccid)) WITHOUT ROWID;
INSERT INTO device_iccids VALUES('FSN-OLD-1','89014104270000000004',1700001000100,1700001000100);
INSERT INTO device_iccids VALUES('FSN-OLD-1','89014104279999999995',1700000000900,1700000000900);
INSERT INTO device_iccids VALUES('FSN-OLD-2','89014104279999999987',1700000000950,1700000000950);
CREATE TABLE slot_health(
  slot TEXT PRIMARY KEY,
  quarantined_ms INTEGER,
  why TEXT,
  released_ms INTEGER) WITHOUT ROWID;
INSERT INTO slot_health VALUES('A7',1700000300000,'ERROR on 3 units in a row (no_response)',NULL);
CREATE TABLE run_profiles(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, name)) WITHOUT ROWID;
INSERT INTO run_profiles VALUES(1,'xr90-na','profiles/xr90-na.toml','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
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
CREATE TABLE IF NOT EXISTS "outbox"(
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
INSERT INTO outbox VALUES(1,'FSN-OLD-1','FSN-OLD-1','353270090000011','89014104279999999995','310170000000001','na','na','create',1,'PO-17',1,'pending',2,'HTTP 503','','',NULL,1700000000900,1700000000900,1700000300000,'','');
INSERT INTO outbox VALUES(2,'FSN-OLD-3','FSN-OLD-3','353270090000037','89332401000000000008','208010000000003','eu','global','create',3,'PO-18',NULL,'registered',1,'','uid-abc','',NULL,1700000000900,1700000000900,1700000001000,'','');
INSERT INTO outbox VALUES(3,'FSN-OLD-4','FSN-OLD-4','353270090000045','89014104279999999979','310170000000004','na','na','create',1,'PO-19',NULL,'claimed',0,'','','pusher-old',1700000400000,1700000000900,1700000000900,1700000300000,'','');
INSERT INTO outbox VALUES(4,'FSN-OLD-2','FSN-OLD-2','353270090000029','89014104279999999987','310170000000002','na','global','create',1,'PO-20',2,'failed',1,'wrong data center','','',NULL,1700000000950,1700000000950,1700000001000,'','');
CREATE TABLE rmas(
  id TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  customer TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  operator TEXT NOT NULL,
  received_ms INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO rmas VALUES('RMA-9','','','bob',1700001000000);
CREATE TABLE rma_runs(
  run_id INTEGER PRIMARY KEY REFERENCES runs(id),
  rma_id TEXT NOT NULL COLLATE NOCASE REFERENCES rmas(id));
INSERT INTO rma_runs VALUES(2,'RMA-9');
INSERT INTO rma_runs VALUES(3,'rma-9');
CREATE TABLE findings(
  slot_result_id INTEGER NOT NULL REFERENCES slot_results(id),
  ordinal INTEGER NOT NULL,
  kind TEXT NOT NULL,
  before TEXT NOT NULL,
  now TEXT NOT NULL,
  seen TEXT NOT NULL,
  PRIMARY KEY (slot_result_id, ordinal)) WITHOUT ROWID;
INSERT INTO findings VALUES(3,1,'sim_swapped','89014104279999999995','89014104270000000004','run 1, pallet PAL-OLD, bench-7, 2023-11-14');
CREATE TABLE regress_nights(
  id INTEGER PRIMARY KEY,
  rig TEXT NOT NULL,
  golden TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  ended_ms INTEGER,
  exit_code INTEGER);
INSERT INTO regress_nights VALUES(1,'RIG-1','golden.toml',1790000000000,1790000600000,0);
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
CREATE TABLE sync_changes(
  seq INTEGER PRIMARY KEY,
  tbl TEXT NOT NULL,
  row_id INTEGER NOT NULL);
CREATE TABLE sync_enabled(one INTEGER PRIMARY KEY CHECK (one = 1));
CREATE INDEX runs_by_lot ON runs(lot);
CREATE INDEX slot_results_by_run ON slot_results(run_id);
CREATE INDEX step_results_by_slot ON step_results(slot_result_id);
CREATE INDEX transcripts_by_slot ON transcripts(slot_result_id);
CREATE INDEX devices_by_imei ON devices(imei);
CREATE INDEX devices_by_iccid ON devices(iccid);
CREATE INDEX runs_open ON runs(id) WHERE ended_ms IS NULL AND interrupted = 0;
CREATE INDEX events_by_run ON events(run_id);
CREATE INDEX slot_results_by_slot ON slot_results(slot, id);
CREATE INDEX slot_results_by_fsn_nocase ON slot_results(fsn COLLATE NOCASE);
CREATE INDEX slot_results_by_imei_nocase ON slot_results(imei COLLATE NOCASE);
CREATE INDEX slot_results_by_iccid_nocase ON slot_results(iccid COLLATE NOCASE);
CREATE INDEX outbox_due ON outbox(data_center, state, next_attempt_ms);
CREATE UNIQUE INDEX outbox_live_unit ON outbox(fsn, data_center)
  WHERE state <> 'withdrawn' AND action = 'create';
CREATE INDEX outbox_by_fsn ON outbox(fsn);
CREATE INDEX rmas_by_received ON rmas(received_ms);
CREATE INDEX rma_runs_by_rma ON rma_runs(rma_id);
CREATE INDEX slot_results_pass_by_fsn ON slot_results(fsn COLLATE NOCASE) WHERE outcome = 'PASS';
CREATE INDEX slot_results_pass_by_imei ON slot_results(imei COLLATE NOCASE)
  WHERE outcome = 'PASS';
CREATE INDEX outbox_registered_by_fsn ON outbox(fsn COLLATE NOCASE) WHERE state = 'registered';
CREATE INDEX regress_nights_finished_by_rig ON regress_nights(rig, started_ms)
  WHERE exit_code IS NOT NULL;
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
COMMIT;
PRAGMA user_version=11;
