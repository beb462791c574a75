// Where the central PostgreSQL is and who this station is to it (issue 20).
//
// The station config file (db_path.hpp) may hold a [central] table:
//
//     [central]
//     url = "postgresql://station@db.depot.example/station?sslmode=verify-full"
//     station = "bench-3"                        # optional: else generated once (below)
//     password_file = "/etc/station/central.pw"  # optional: else libpq's PGPASSFILE/~/.pgpass
//     connect_timeout_s = 2                      # optional, 1..60
//     statement_timeout_s = 120                  # optional, 1..86400: a statement's bound
//     lock_timeout_s = 30                        # optional, 1..3600: a lock wait's bound
//
// `--to URL` wins over `url`. The URL never carries a password (refused): the password is the
// first line of password_file ($STATION_CENTRAL_PASSWORD_FILE wins), a regular file owned by
// the user (or root) with no group/other permission bits (as the ALMS credentials), or what
// libpq finds in PGPASSFILE / ~/.pgpass (libpq ignores one readable by others). Other libpq
// parameters (sslmode=verify-full, sslrootcert=...) pass through in the URL's query.
//
// The station id: `station` when set, else the first line of <db>.station-id, written once
// (hostname and 8 random hex digits) when missing. Letters, digits, '.', '_', '-'; 1..64.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include <station/app/exit_codes.hpp>
#include <station/central/pq.hpp>

namespace station::app {

struct CentralSettings {
    std::string url;
    std::string station;  // empty: from <db>.station-id
    std::optional<std::filesystem::path> password_file;
    int connect_timeout_s = 2;
    int statement_timeout_s = 120;
    int lock_timeout_s = 30;
};

// The settings from the config file with `url_arg` (--to) over its url; nullopt when neither
// names a URL. Throws UsageError naming the file and key for a bad value.
std::optional<CentralSettings> central_settings(std::string_view command,
                                                const std::string& url_arg);

// The connection to make: the password read from the file (mode checked). A bad_usage error
// naming the file otherwise.
core::Result<central::ConnectSpec> connect_spec(const CentralSettings& settings);

// The station id (see above); a store_error naming the file when it cannot be read or written.
core::Result<std::string> station_id(const CentralSettings& settings,
                                     const std::filesystem::path& db);

// Why connect_central() failed, with the exit code it means: an unsafe or unreadable password
// file is an error (2), a database that does not answer a temporary failure (75).
struct CentralConnectFailure {
    ExitCode code = ExitCode::error;
    std::string message;
};

// A connection to the central database the station config names, for `command` (the --central
// options). Throws UsageError when none is configured ([central] url), so the caller exits 64.
tl::expected<central::Connection, CentralConnectFailure> connect_central(
    std::string_view command);

}  // namespace station::app

#include <memory>

#include <station/workflows/central_check.hpp>

namespace station::app {

// check_duplicates' central look-up when the config names a central database (nullptr when it
// does not). Throws UsageError for a bad [central] table, password file or station id.
std::unique_ptr<workflows::CentralCheck> central_check(std::string_view command,
                                                       const std::filesystem::path& db);

}  // namespace station::app
