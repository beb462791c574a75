// A station of the central database's tests (issue 20, label pg): its own folder and store, a
// config file naming the central database and the station's id, and the built station run with
// that config; and the answer of a query on the central side.
#pragma once

#include <chrono>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "pg_server.hpp"
#include "process.hpp"

namespace tests {

// The built station the central tests run.
inline constexpr const char* k_central_station_binary = STATION_BINARY_DIR "/station/station";

struct CentralStation {
    TempDir dir;
    std::string db = dir.path() + "/station.db";
    std::string config = dir.path() + "/station.toml";

    // `more`: further lines of the [central] table, e.g. "connect_timeout_s = 2\n".
    CentralStation(const std::string& id, const std::string& url, const std::string& more = "") {
        std::ofstream(config) << "db = \"station.db\"\n[central]\nurl = \"" << url
                              << "\"\nstation = \"" << id << "\"\n"
                              << more;
    }
    std::vector<std::string> argv(std::vector<std::string> args) const {
        std::vector<std::string> v{"/usr/bin/env", "STATION_CONFIG=" + config,
                                   k_central_station_binary};
        v.insert(v.end(), std::make_move_iterator(args.begin()),
                 std::make_move_iterator(args.end()));
        return v;
    }
    ProcessResult run(std::vector<std::string> args) const {
        return run_process(argv(std::move(args)), std::chrono::seconds(120));
    }
};

// The answer of `sql` on the central database `database` (psql: unaligned, tuples only),
// without its trailing newlines.
inline std::string central_query(const std::string& database, const std::string& sql) {
    auto out = pg_server().query(database, sql);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace tests
