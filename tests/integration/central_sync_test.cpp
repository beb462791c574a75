// station sync against a real PostgreSQL server (issue 20, label pg): every table shipped once
// however often it runs, later changes shipped, two stations at once, a SIGKILL mid-batch then
// a resume, the server down then back, and what is refused (a password in the URL, a password
// file others can read). One server for the binary (pg_server()); a database per test.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <csignal>
#include <fstream>
#include <thread>

#include "central_fill.hpp"
#include "central_station.hpp"
#include "pg_server.hpp"
#include "process.hpp"

namespace {

using namespace std::chrono_literals;

constexpr const char* k_station = tests::k_central_station_binary;

using Station = tests::CentralStation;
using tests::central_query;

// central_query(), or "(no answer)" while the database or the table is not there yet.
std::string query_or_none(const std::string& db, const std::string& sql) {
    try {
        return central_query(db, sql);
    } catch (const std::exception&) {
        return "(no answer)";
    }
}

// Waits (bounded) until `sql` on `db` answers `want`; the last answer.
std::string wait_for(const std::string& db, const std::string& sql, const std::string& want,
                     std::chrono::seconds bound = 60s) {
    const auto until = std::chrono::steady_clock::now() + bound;
    std::string got;
    while (std::chrono::steady_clock::now() < until) {
        got = query_or_none(db, sql);
        if (got == want) break;
        std::this_thread::sleep_for(50ms);
    }
    return got;
}

constexpr const char* k_tables[] = {"runs",    "slot_results", "step_results", "transcripts",
                                    "devices", "outbox",       "events"};

TEST(CentralSync, ShipsEveryTableOnceAndLaterChanges) {
    const auto url = tests::pg_server().create_database("sync_once");
    Station a("bench-a", url);
    tests::fill_store(a.db, "A", 0, 50);
    auto r = a.run({"sync", "--once"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("rows shipped"), std::string::npos) << r.out;
    const std::pair<const char*, const char*> want[] = {
        {"runs", "3"},     {"slot_results", "50"}, {"step_results", "100"}, {"transcripts", "50"},
        {"devices", "50"}, {"outbox", "50"},       {"events", "50"}};
    for (const auto& [table, n] : want) {
        EXPECT_EQ(central_query("sync_once", std::string("SELECT count(*) FROM ") + table +
                                                 " WHERE station = 'bench-a'"),
                  n)
            << table;
    }
    // Values arrive as they are: tab and backslash in text, non-UTF-8 bytes in a transcript.
    EXPECT_EQ(central_query("sync_once",
                            "SELECT message = E'ok\\ttab\\\\back' FROM slot_results LIMIT 1"),
              "t");
    EXPECT_EQ(central_query("sync_once", "SELECT encode(text, 'hex') FROM transcripts LIMIT 1"),
              "41540d0aff0a4f4b");
    r = a.run({"sync", "--once"});  // nothing new: nothing shipped, nothing doubled
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("sync: 0 rows shipped"), std::string::npos) << r.out;
    // A unit held later, an outbox row registered: shipped again by the change log.
    tests::local_sql(a.db, "UPDATE slot_results SET outcome = 'FAIL' WHERE id = 7");
    tests::local_sql(a.db, "UPDATE outbox SET state = 'registered' WHERE id = 9");
    r = a.run({"sync", "--once"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("(changes) 2"), std::string::npos) << r.out;
    EXPECT_EQ(central_query("sync_once", "SELECT outcome FROM slot_results WHERE id = 7"), "FAIL");
    EXPECT_EQ(central_query("sync_once", "SELECT state FROM outbox WHERE id = 9"), "registered");
    EXPECT_EQ(central_query("sync_once", "SELECT count(*) FROM slot_results"), "50");
    tests::local_sql(a.db, "SELECT 1");
}

// A batch re-sent over rows already there (a mark set back: what a re-sent batch meets) is not
// COPYed straight in but upserted: nothing doubled, the changed row updated, the others kept.
TEST(CentralSync, ABatchOverRowsAlreadyThereIsUpsertedNotCopiedStraightIn) {
    const auto url = tests::pg_server().create_database("sync_resent");
    Station a("bench-a", url);
    tests::fill_store(a.db, "A", 0, 50);
    auto r = a.run({"sync", "--once"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    tests::pg_server().query("sync_resent",
                             "UPDATE sync_marks SET mark = 40 WHERE tbl IN ('slot_results', "
                             "'step_results')");
    tests::local_sql(a.db, "UPDATE slot_results SET outcome = 'FAIL' WHERE id = 45");
    tests::local_sql(a.db, "DELETE FROM sync_changes");  // only the table pass sends row 45 again
    tests::fill_store(a.db, "A", 50, 5);  // and new rows after them, in the same batch
    r = a.run({"sync", "--once"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(central_query("sync_resent", "SELECT count(*) FROM slot_results"), "55");
    EXPECT_EQ(central_query("sync_resent", "SELECT count(*) FROM step_results"), "110");
    EXPECT_EQ(central_query("sync_resent", "SELECT outcome FROM slot_results WHERE id = 45"),
              "FAIL");
    EXPECT_EQ(
        central_query("sync_resent", "SELECT mark FROM sync_marks WHERE tbl = 'slot_results'"),
        "55");
    r = a.run({"sync", "--once"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("sync: 0 rows shipped"), std::string::npos) << r.out;
}

// A row of the batch shipped by someone else (the change log of another sync of this station)
// after the sync found none there and before its straight COPY commits: the COPY fails on the
// key, and the batch goes again through the upsert. Made to happen every time: a session holds
// an uncommitted row of the batch, so the sync's look finds nothing; its COPY then waits on that
// row; the session commits (an advisory lock the test lets go of), and the COPY fails.
TEST(CentralSync, ARowShippedMeanwhileFailsTheStraightCopyWhichIsUpsertedInstead) {
    auto& server = tests::pg_server();
    const auto url = server.create_database("sync_meanwhile");
    Station a("bench-a", url);
    tests::fill_store(a.db, "A", 0, 10);
    auto r = a.run({"sync", "--once"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    tests::fill_store(a.db, "A", 10, 3000);  // slot results 11-3010: one batch
    auto hold = server.psql("sync_meanwhile", "SELECT pg_advisory_lock(7); SELECT pg_sleep(600)");
    hold.insert(hold.begin(), {"/bin/sh", "-c", "exec \"$@\" 2>/dev/null", "hold"});
    tests::BackgroundProcess holder(hold);  // ended below: quiet about its connection's end
    ASSERT_EQ(
        wait_for("sync_meanwhile",
                 "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted", "1"),
        "1");
    tests::BackgroundProcess other(server.psql(
        "sync_meanwhile",
        "BEGIN; INSERT INTO slot_results(station, id, fsn, outcome) VALUES ('bench-a', 2500, "
        "'shipped-meanwhile', 'STALE'); SELECT pg_advisory_xact_lock(7); COMMIT;"));
    ASSERT_EQ(
        wait_for("sync_meanwhile",
                 "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", "1"),
        "1");
    const std::string log = a.dir.path() + "/sync.out";
    tests::BackgroundProcess sync(a.argv({"sync", "--once"}), log);
    // The straight COPY (not the upsert's COPY into the stage) waits on row 2500, the rows
    // before it already in.
    ASSERT_EQ(wait_for("sync_meanwhile",
                       "SELECT count(*) FROM pg_stat_activity WHERE wait_event = "
                       "'transactionid' AND query LIKE 'COPY slot_results %'",
                       "1"),
              "1");
    central_query("sync_meanwhile",
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE "
                  "'%pg_sleep(600)%' AND pid <> pg_backend_pid()");
    const auto status = sync.wait(60s);
    ASSERT_TRUE(status.has_value()) << "the sync did not end";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
    EXPECT_TRUE(other.wait(10s).has_value());
    EXPECT_EQ(central_query("sync_meanwhile", "SELECT count(*) FROM slot_results"), "3010");
    EXPECT_EQ(
        central_query("sync_meanwhile", "SELECT count(*) = count(DISTINCT id) FROM slot_results"),
        "t");
    // Row 2500 is the station's own (unit 2499), written over the one shipped meanwhile.
    EXPECT_EQ(central_query("sync_meanwhile",
                            "SELECT fsn || ' ' || outcome FROM slot_results WHERE id = 2500"),
              tests::fsn_of("A", 2499) + " PASS");
    EXPECT_EQ(
        central_query("sync_meanwhile", "SELECT mark FROM sync_marks WHERE tbl = 'slot_results'"),
        "3010");
    EXPECT_EQ(central_query("sync_meanwhile", "SELECT count(*) FROM step_results"), "6020");
}

// Every wait on the server is bounded ([central] lock_timeout_s): a session holding the mark of
// slot_results makes the sync fail after a second, naming what it waited for, exit 75 (the
// other connection's tables shipped or not, nothing half done); once it lets go, the next sync
// ships everything.
TEST(CentralSync, ALockHeldElsewhereEndsTheSyncAfterTheLockTimeout) {
    auto& server = tests::pg_server();
    const auto url = server.create_database("sync_locked");
    Station a("bench-a", url, "lock_timeout_s = 1\n");
    tests::fill_store(a.db, "A", 0, 10);
    auto r = a.run({"sync", "--once"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    tests::fill_store(a.db, "A", 10, 100);
    auto hold = server.psql("sync_locked",
                            "SELECT mark FROM sync_marks WHERE tbl = 'slot_results' FOR UPDATE; "
                            "SELECT pg_sleep(600)");
    hold.insert(hold.begin(), {"/bin/sh", "-c", "exec \"$@\" >/dev/null 2>&1", "hold"});
    tests::BackgroundProcess holder(hold);
    ASSERT_EQ(wait_for("sync_locked",
                       "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'", "1"),
              "1");
    const auto start = std::chrono::steady_clock::now();
    r = a.run({"sync", "--once"});
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.exit_code, 75) << r.err;
    EXPECT_NE(r.err.find("station: sync: error: central database: lock the sync mark of "
                         "slot_results: "),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("lock timeout"), std::string::npos) << r.err;
    EXPECT_LT(took, 30s);
    EXPECT_EQ(central_query("sync_locked", "SELECT count(*) FROM slot_results"), "10");
    central_query("sync_locked",
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = "
                  "'PgSleep'");
    EXPECT_TRUE(holder.wait(10s).has_value());
    r = a.run({"sync", "--once"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* table : k_tables) {
        const std::string t(table);
        EXPECT_EQ(central_query("sync_locked", "SELECT count(*) = count(DISTINCT id) FROM " + t),
                  "t")
            << t;
    }
    EXPECT_EQ(central_query("sync_locked", "SELECT count(*) FROM slot_results"), "110");
    EXPECT_EQ(central_query("sync_locked", "SELECT count(*) FROM step_results"), "220");
}

TEST(CentralSync, TwoStationsSyncingAtOnceKeepTheirRowsApart) {
    const auto url = tests::pg_server().create_database("sync_two");
    Station a("bench-a", url);
    Station b("bench-b", url);
    tests::fill_store(a.db, "A", 0, 3000);
    tests::fill_store(b.db, "B", 0, 3000);
    tests::ProcessResult ra;
    tests::ProcessResult rb;
    std::thread ta([&] { ra = a.run({"sync", "--once", "--batch", "500"}); });
    std::thread tb([&] { rb = b.run({"sync", "--once", "--batch", "500"}); });
    ta.join();
    tb.join();
    ASSERT_EQ(ra.exit_code, 0) << ra.err;
    ASSERT_EQ(rb.exit_code, 0) << rb.err;
    EXPECT_EQ(central_query("sync_two",
                            "SELECT string_agg(station || ':' || n, ',' ORDER BY station) "
                            "FROM (SELECT station, count(*) n FROM slot_results GROUP BY "
                            "station) s"),
              "bench-a:3000,bench-b:3000");
    EXPECT_EQ(central_query("sync_two",
                            "SELECT count(*) FROM slot_results s JOIN devices d ON "
                            "d.station = s.station AND d.fsn = s.fsn"),
              "6000");
}

// `--connections N` ships the tables on N connections at once (sync.hpp "Lanes"): what arrives
// is what one connection ships, row for row, and a follower holds its N connections.
TEST(CentralSync, SeveralConnectionsShipWhatOneShips) {
    const auto url = tests::pg_server().create_database("sync_lanes");
    Station a("bench-a", url);
    Station b("bench-b", url);
    tests::fill_store(a.db, "S", 0, 1500);
    tests::fill_store(b.db, "S", 0, 1500);  // the same rows under another station id
    auto ra = a.run({"sync", "--once", "--connections", "1", "--batch", "200"});
    ASSERT_EQ(ra.exit_code, 0) << ra.err;
    auto rb = b.run({"sync", "--once", "--connections", "4", "--batch", "200"});
    ASSERT_EQ(rb.exit_code, 0) << rb.err;
    EXPECT_EQ(rb.out.substr(rb.out.find("rows shipped")), ra.out.substr(ra.out.find("rows shipped")));
    for (const char* table : k_tables) {
        const std::string t(table);
        // Each station's rows as text, in id order, less the station and the outbox's central id
        // (numbered by the server): one digest per station.
        const std::string digest =
            "SELECT md5(string_agg((row_to_json(r)::jsonb - '{station,central_id}'::text[]) #>> "
            "'{}', '|' ORDER BY id)) "
            "FROM " + t + " r WHERE station = ";
        const auto one = central_query("sync_lanes", digest + "'bench-a'");
        EXPECT_EQ(central_query("sync_lanes", digest + "'bench-b'"), one) << t;
        EXPECT_NE(one, "") << t;
        EXPECT_EQ(central_query("sync_lanes", "SELECT mark FROM sync_marks WHERE tbl = '" + t +
                                                  "' AND station = 'bench-b'"),
                  central_query("sync_lanes", "SELECT mark FROM sync_marks WHERE tbl = '" + t +
                                                  "' AND station = 'bench-a'"))
            << t;
    }
    tests::BackgroundProcess follow(b.argv({"sync", "--follow", "--connections", "3"}),
                                    b.dir.path() + "/follow.out");
    EXPECT_EQ(wait_for("sync_lanes",
                       "SELECT count(*) FROM pg_stat_activity WHERE datname = 'sync_lanes' AND "
                       "application_name = 'station'",
                       "3"),
              "3");
    const int status = follow.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    auto bad = b.run({"sync", "--once", "--connections", "0"});
    EXPECT_EQ(bad.exit_code, 64) << bad.err;
    EXPECT_NE(bad.err.find("--connections: must be 1..8"), std::string::npos) << bad.err;
}

TEST(CentralSync, KilledMidBatchThenResumedNothingLostNothingDoubled) {
    const auto url = tests::pg_server().create_database("sync_kill");
    Station a("bench-a", url);
    tests::fill_store(a.db, "A", 0, 4000);
    {
        tests::BackgroundProcess sync(a.argv({"sync", "--once", "--batch", "100"}));
        // Killed once some batches committed: a batch is in flight nearly all the time.
        const auto until = std::chrono::steady_clock::now() + 60s;
        const char* started =
            "SELECT count(*) > 0 FROM sync_marks WHERE tbl = 'step_results' "
            "AND mark > 0";
        while (std::chrono::steady_clock::now() < until &&
               query_or_none("sync_kill", started) != "t") {
            std::this_thread::sleep_for(20ms);
        }
        sync.signal(SIGKILL);
        ASSERT_TRUE(sync.wait(10s));
    }
    const auto shipped = std::stoi(central_query("sync_kill", "SELECT count(*) FROM step_results"));
    EXPECT_GT(shipped, 0);
    EXPECT_LT(shipped, 8000) << "the kill came after the last batch: the test proves nothing";
    auto r = a.run({"sync", "--once", "--batch", "100"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* table : k_tables) {
        const std::string t(table);
        EXPECT_EQ(central_query("sync_kill", "SELECT count(*) = count(DISTINCT id) FROM " + t), "t")
            << t;
    }
    EXPECT_EQ(central_query("sync_kill", "SELECT count(*) FROM slot_results"), "4000");
    EXPECT_EQ(central_query("sync_kill", "SELECT count(*) FROM step_results"), "8000");
    EXPECT_EQ(central_query("sync_kill", "SELECT count(*) FROM events"), "4000");
    EXPECT_EQ(central_query("sync_kill", "SELECT mark FROM sync_marks WHERE tbl = 'step_results'"),
              "8000");
}

TEST(CentralSync, ServerDownThenBackTheFollowerCatchesUp) {
    auto& server = tests::pg_server();
    const auto url = server.create_database("sync_down");
    Station a("bench-a", url);
    tests::fill_store(a.db, "A", 0, 100);
    server.stop();
    struct Restart {  // the server runs again for the next test, whatever happens here
        ~Restart() {
            if (!tests::pg_server().running()) tests::pg_server().start();
        }
    } restart;
    auto r = a.run({"sync", "--once"});
    EXPECT_EQ(r.exit_code, 75) << r.err;
    EXPECT_NE(r.err.find("station: sync: error: central database: connect: "), std::string::npos)
        << r.err;
    const std::string log = a.dir.path() + "/follow.out";
    tests::BackgroundProcess follow(a.argv({"sync", "--follow", "--interval-s", "1"}), log);
    server.start();
    EXPECT_EQ(wait_for("sync_down", "SELECT count(*) FROM slot_results", "100"), "100");
    tests::fill_store(a.db, "A", 100, 20);  // written while it follows: shipped next pass
    EXPECT_EQ(wait_for("sync_down", "SELECT count(*) FROM slot_results", "120"), "120");
    const int status = follow.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST(CentralSync, APasswordInTheUrlOrAnOpenPasswordFileIsRefused) {
    tests::TempDir dir;
    const std::string db = dir.path() + "/s.db";
    ASSERT_TRUE(station::store::Store::open(db));
    auto r = tests::run_process(
        {k_station, "sync", "--db", db, "--to", "postgresql://station:hunter2@127.0.0.1/x"}, 30s);
    EXPECT_EQ(r.exit_code, 64) << r.err;
    EXPECT_NE(r.err.find("carries a password"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
    const std::string pw = dir.path() + "/central.pw";
    std::ofstream(pw) << "hunter2\n";
    ::chmod(pw.c_str(), 0644);
    r = tests::run_process({"/usr/bin/env", "STATION_CENTRAL_PASSWORD_FILE=" + pw, k_station,
                            "sync", "--db", db, "--to", tests::pg_server().url("postgres")},
                           30s);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(pw), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
}

}  // namespace
