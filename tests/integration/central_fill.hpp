// Local stores for the central database's tests (issue 20): a real SQLite file made by the
// store (its schema), filled with units through a raw connection (fast, in one transaction):
// per unit a run every 24 units, one slot result, two steps, a transcript, a device, an outbox
// row and an event, as `station provision` writes them.
#pragma once

#include <sqlite3.h>

#include <stdexcept>
#include <string>

#include <station/store/store.hpp>

namespace tests {

inline std::string fsn_of(const std::string& prefix, int unit) {
    return prefix + std::to_string(100000 + unit);
}
inline std::string imei_of(int unit) { return std::to_string(352000000000000LL + unit); }
inline std::string iccid_of(int unit) { return std::to_string(8901260000000000000LL + unit); }

inline void sql(sqlite3* db, const std::string& text) {
    char* error = nullptr;
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string why = error ? error : "?";
        sqlite3_free(error);
        throw std::runtime_error("fill: " + why + ": " + text.substr(0, 120));
    }
}

// Adds `units` units (numbered from `first`) to the store at `path` (made when missing).
// `prefix` starts their FSNs; iccid_of/imei_of give their SIM and IMEI.
inline void fill_store(const std::string& path, const std::string& prefix, int first, int units) {
    if (!station::store::Store::open(path)) throw std::runtime_error("fill: open " + path);
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sql(db, "BEGIN");
    for (int u = first; u < first + units; ++u) {
        const std::string n = std::to_string(u);
        const std::string fsn = "'" + fsn_of(prefix, u) + "'";
        if ((u - first) % 24 == 0) {
            sql(db, "INSERT INTO runs(mode, operator, lot, profile, started_ms, ended_ms, outcome) "
                    "VALUES ('provision', 'ann', 'P-" + n + "', 'xr60', " + n + ", " + n + ", 'PASS')");
        }
        sql(db, "INSERT INTO slot_results(run_id, slot, port_chain, port_path, attempt, fsn, imei, "
                "iccid, outcome, reason, message, started_ms, ended_ms) VALUES ((SELECT max(id) "
                "FROM runs), 'A" + n + "', '1-1', '/dev/x', 1, " + fsn + ", '" + imei_of(u) + "', '" +
                iccid_of(u) + "', 'PASS', NULL, 'ok\ttab\\back', " + n + ", " + n + ")");
        sql(db, "INSERT INTO step_results(slot_result_id, name, outcome, message, started_ms, "
                "ended_ms) SELECT max(id), 'identify', 'PASS', 'read', 1, 2 FROM slot_results");
        sql(db, "INSERT INTO step_results(slot_result_id, name, outcome, message, started_ms, "
                "ended_ms) SELECT max(id), 'check_duplicates', 'PASS', 'new unit', 2, 3 FROM "
                "slot_results");
        sql(db, "INSERT INTO transcripts(slot_result_id, text) SELECT max(id), "
                "CAST(X'41540D0AFF0A4F4B' AS BLOB) FROM slot_results");
        sql(db, "INSERT INTO devices(fsn, imei, iccid, first_seen_ms, last_seen_ms, "
                "last_slot_result_id) SELECT " + fsn + ", '" + imei_of(u) + "', '" + iccid_of(u) +
                "', " + n + ", " + n + ", max(id) FROM slot_results");
        sql(db, "INSERT INTO outbox(fsn, serial, imei, iccid, imsi, data_center, region, "
                "term_years, po, slot_result_id, state, next_attempt_ms, created_ms, updated_ms) "
                "SELECT " + fsn + ", 'SN" + n + "', '" + imei_of(u) + "', '" + iccid_of(u) +
                "', '31041" + n + "', 'na', 'na', 3, 'PO-1', max(id), 'pending', 0, " + n + ", " +
                n + " FROM slot_results");
        sql(db, "INSERT INTO events(run_id, at_ms, kind, text) SELECT max(id), " + n +
                ", 'slot', 'unit " + n + "' FROM runs");
    }
    sql(db, "COMMIT");
    sqlite3_close(db);
}

// One statement on the store file (an update a station makes later).
inline void local_sql(const std::string& path, const std::string& text) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_busy_timeout(db, 5000);
    sql(db, text);
    sqlite3_close(db);
}

}  // namespace tests
