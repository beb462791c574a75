// The tables `station sync` ships (issue 20): for each, the columns read from the local SQLite
// store and written to the central PostgreSQL table of the same name, which adds `station`
// (the station id) in front; a central row is keyed by (station, id), id being the local one
// (a device's local rowid). Rows whose local copy can change after they were shipped (runs,
// slot results, outbox, devices) are upserted; the others are only ever inserted.
#pragma once

#include <span>
#include <string_view>

namespace station::central {

struct Column {
    std::string_view name;
    bool integer = false;  // BIGINT (else TEXT)
    bool bytes = false;    // BYTEA, read locally as hex(name)
};

struct TableSpec {
    std::string_view name;
    std::string_view local_id;  // "id" or "rowid"
    bool changes;               // logged in sync_changes when updated: upserted
    std::span<const Column> columns;  // the first is always id
};

std::span<const TableSpec> synced_tables();
const TableSpec* find_table(std::string_view name);

}  // namespace station::central
