// check_duplicates asks the central database too (issue 20, label pg): a SIM another station's
// unit holds makes this unit FAIL duplicate_iccid naming that station; with the central
// database unreachable the step says `central: unreachable` and the local check still decides.
// Real routersim units, the built station, a real PostgreSQL server (one for the binary).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <sqlite3.h>

#include "central_fill.hpp"
#include "pg_server.hpp"
#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using namespace std::chrono_literals;

// The column `col` (0-based) of the first unit line of routersim's manifest.
std::string manifest_field(const std::string& path, int col) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header
    std::getline(in, line);
    std::stringstream cells(line);
    std::string cell;
    for (int i = 0; i <= col; ++i) std::getline(cells, cell, ',');
    return cell;
}

std::string local_text(const std::string& db, const std::string& sql) {
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
        out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(h);
    return out;
}

struct Provisioned {
    tests::ProcessResult process;
    std::string step_message;
    std::string reason;
};

// Provisions the bench's one unit on a station whose config names `url` as central database.
Provisioned provision(const tests::SimBench& bench, const std::string& dir, const std::string& url) {
    const std::string config = dir + "/station.toml";
    std::ofstream(config) << "[central]\nurl = \"" << url
                          << "\"\nstation = \"bench-a\"\nconnect_timeout_s = 1\n";
    const std::string db = dir + "/station.db";
    Provisioned p;
    p.process = tests::run_process(
        {"/usr/bin/env", "STATION_CONFIG=" + config, tests::station_binary(), "provision",
         "--profile", "xr90-na", "--pallet", "P-1", "--operator", "ann", "--db", db, "--port",
         bench.ports().at(0).path, "--manifest", bench.manifest(), "--timeout-ms", "500"},
        120s);
    p.step_message = local_text(db, "SELECT message FROM step_results WHERE name = "
                                    "'check_duplicates' ORDER BY id DESC LIMIT 1");
    p.reason = local_text(db, "SELECT coalesce(reason, outcome) FROM slot_results ORDER BY id "
                              "DESC LIMIT 1");
    return p;
}

TEST(CentralCheck, ASimHeldAtAnotherStationIsADuplicateNamingIt) {
    auto& server = tests::pg_server();
    const auto url = server.create_database("check_dup");
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_FALSE(bench.ports().empty());
    const std::string iccid = manifest_field(bench.manifest(), 3);
    ASSERT_GE(iccid.size(), 18U) << iccid;
    // Station B saw a unit (another FSN) with this SIM and synced it.
    tests::TempDir b;
    tests::fill_store(b.path() + "/station.db", "B", 0, 3);
    tests::local_sql(b.path() + "/station.db",
                     "UPDATE devices SET iccid = '" + iccid + "' WHERE rowid = 2");
    const auto synced = tests::run_process({tests::station_binary(), "sync", "--once", "--db",
                                            b.path() + "/station.db", "--to", url},
                                           60s);
    ASSERT_EQ(synced.exit_code, 0) << synced.err;
    const std::string b_station = tests::pg_server().query("check_dup",
                                                           "SELECT station FROM stations");
    tests::TempDir a;
    const auto p = provision(bench, a.path(), url);
    EXPECT_EQ(p.process.exit_code, 1) << p.process.out << p.process.err;
    EXPECT_EQ(p.reason, "duplicate_iccid");
    EXPECT_NE(p.step_message.find("ICCID " + iccid + " is also on unit B100001 at station " +
                                  b_station.substr(0, b_station.find('\n'))),
              std::string::npos)
        << p.step_message;
}

TEST(CentralCheck, UnreachableCentralSaysSoAndTheLocalCheckDecides) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_FALSE(bench.ports().empty());
    tests::TempDir a;
    // A socket folder where no server listens: the connection is refused at once.
    const auto p = provision(bench, a.path(), "postgresql://postgres@/x?host=" + a.path());
    EXPECT_EQ(p.process.exit_code, 0) << p.process.out << p.process.err;
    EXPECT_NE(p.step_message.find("central: unreachable"), std::string::npos) << p.step_message;
    EXPECT_NE(p.step_message.find("no other unit here holds"), std::string::npos) << p.step_message;
}

// A central database that answers but whose look-up waits (a session locks the devices table):
// the look-up's own 5 s bound ends it, whatever the config's lock timeout (30 s by default), and
// the unit goes on as when the database is unreachable.
TEST(CentralCheck, ALookUpThatWaitsEndsAtItsBoundAndTheLocalCheckDecides) {
    auto& server = tests::pg_server();
    const auto url = server.create_database("check_locked");
    tests::TempDir b;  // a station synced once: the central tables exist
    tests::fill_store(b.path() + "/station.db", "B", 0, 1);
    const auto synced = tests::run_process({tests::station_binary(), "sync", "--once", "--db",
                                            b.path() + "/station.db", "--to", url},
                                           60s);
    ASSERT_EQ(synced.exit_code, 0) << synced.err;
    auto hold = server.psql("check_locked",
                            "BEGIN; LOCK TABLE devices IN ACCESS EXCLUSIVE MODE; "
                            "SELECT pg_sleep(600)");
    hold.insert(hold.begin(), {"/bin/sh", "-c", "exec \"$@\" >/dev/null 2>&1", "hold"});
    tests::BackgroundProcess holder(hold);
    const auto until = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < until &&
           server.query("check_locked", "SELECT count(*) FROM pg_stat_activity WHERE "
                                        "wait_event = 'PgSleep'") != "1\n") {
        std::this_thread::sleep_for(50ms);
    }
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_FALSE(bench.ports().empty());
    tests::TempDir a;
    const auto start = std::chrono::steady_clock::now();
    const auto p = provision(bench, a.path(), url);
    const auto took = std::chrono::steady_clock::now() - start;
    server.query("check_locked",
                 "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = "
                 "'PgSleep'");
    EXPECT_EQ(p.process.exit_code, 0) << p.process.out << p.process.err;
    EXPECT_NE(p.step_message.find("central: unreachable"), std::string::npos) << p.step_message;
    EXPECT_LT(took, 25s) << "the look-up waited past its 5 s bound";
    EXPECT_TRUE(holder.wait(10s).has_value());
}

}  // namespace
