// Central database benchmark (issue 20), against a real PostgreSQL server started here
// (tests/support/pg_server: initdb into a temporary folder, Unix socket, fsync off):
//  - sync throughput: a station store of N units (each with its run share, slot result, two
//    steps, transcript, device, outbox row and event) shipped by the sync engine in batches;
//    slot results per second (target >= 20,000/s) and all rows per second, four stations
//    shipped one after another on 1, 2, 2 and 1 connections (`station sync --connections`), so
//    both figures come from one run and neither always meets the smaller central tables;
//  - the added latency of check_duplicates' central look-up per unit: central_holders() on a
//    warm connection against the devices of 4 stations x N units (target <= 5 ms on loopback).
//   sync_bench [--units N] [--batch B] [--lookups L]
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <station/central/duplicates.hpp>
#include <station/central/sync.hpp>

#include "central_fill.hpp"
#include "pg_server.hpp"
#include "process.hpp"

namespace {

using Clock = std::chrono::steady_clock;

void check(bool good, const std::string& what) {
    if (!good) {
        std::cerr << "sync_bench: " << what << '\n';
        std::exit(1);
    }
}

template <class T>
T must(T result, const std::string& what) {
    check(static_cast<bool>(result), what + ": " + (result ? "" : result.error().message));
    return result;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Ships the store at `db` as `station` on `connections` lanes; the seconds it took and the rows
// shipped.
std::pair<double, std::int64_t> ship(const std::string& db, const std::string& url,
                                     const std::string& station, int batch, int connections) {
    std::vector<station::central::LocalSource> locals;
    std::vector<station::central::Connection> centrals;
    std::vector<station::central::Lane> lanes;
    for (int i = 0; i < connections; ++i) {
        locals.push_back(std::move(*must(station::central::LocalSource::open(db), "open " + db)));
        centrals.push_back(std::move(*must(
            station::central::Connection::connect({url, "", std::chrono::seconds(5)}), "connect")));
    }
    for (std::size_t i = 0; i < locals.size(); ++i) lanes.push_back({locals[i], centrals[i]});
    station::central::Syncer syncer(lanes, {station, "bench", batch});
    must(syncer.prepare(), "prepare");
    const auto start = Clock::now();
    auto counts = must(syncer.pass(), "pass");
    return {seconds_since(start), counts->total()};
}

}  // namespace

int main(int argc, char** argv) {
    int units = 50000;
    int batch = 5000;
    int lookups = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--units") == 0) units = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--batch") == 0) batch = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--lookups") == 0) lookups = std::atoi(argv[i + 1]);
    }
    tests::PgServer& server = tests::pg_server();
    const std::string url = server.create_database("bench");
    tests::TempDir dir;
    std::vector<std::string> stations{"s1", "s2", "s3", "s4"};
    const std::array<int, 4> connections{1, 2, 2, 1};
    for (std::size_t s = 0; s < stations.size(); ++s) {
        const std::string db = dir.path() + "/" + stations[s] + ".db";
        tests::fill_store(db, stations[s] + "-", 0, units);
        const auto [secs, rows] = ship(db, url, stations[s], batch, connections.at(s));
        std::cout << "sync " << stations[s] << ": " << units << " units (" << rows
                  << " rows) in " << secs << " s, batch " << batch << ", "
                  << connections.at(s) << " connection(s): "
                  << static_cast<long>(units / secs) << " slot results/s, "
                  << static_cast<long>(static_cast<double>(rows) / secs)
                  << " rows/s (target >= 20000 results/s)\n";
    }

    auto central = must(station::central::Connection::connect({url, "", std::chrono::seconds(5)}),
                        "connect");
    std::vector<double> ms;
    for (int i = 0; i < lookups; ++i) {
        const int u = (i * 7919) % units;
        const auto start = Clock::now();
        auto found = must(station::central::central_holders(*central, "s9", "FSN-NONE",
                                                            tests::imei_of(u), tests::iccid_of(u)),
                          "look-up");
        ms.push_back(seconds_since(start) * 1000.0);
        check(!found->empty(), "no holders found");
    }
    std::sort(ms.begin(), ms.end());
    std::cout << "central duplicate check: " << lookups << " look-ups among "
              << units * static_cast<int>(stations.size()) << " devices: median "
              << ms[ms.size() / 2] << " ms, p99 " << ms[ms.size() * 99 / 100]
              << " ms (target <= 5 ms per unit)\n";
    return 0;
}
