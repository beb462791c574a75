// The central outbox and the cross-station answers (issue 20, label pg), through the built
// binary against a real PostgreSQL server (pg_server(), one per binary; a database per test)
// and the ALMS stand-in on 127.0.0.1: two stations sync their outboxes, then two `register push
// --central` at once register each unit exactly once; a claim whose pusher was killed, or whose
// lease ran out, is taken back; the server down means exit 75 and nothing lost; `history
// --central` and `report --central` show the units of both stations.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include <station/store/store.hpp>
#include "alms_standin.hpp"
#include "central_fill.hpp"
#include "central_station.hpp"
#include "pg_server.hpp"
#include "process.hpp"
#include "unit_numbers.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* k_station = tests::k_central_station_binary;
constexpr const char* k_na_secret = "na-secret";

// A station (central_station.hpp) with the ALMS credentials file shared by the test; its runs
// never show the secret.
struct Station : tests::CentralStation {
    std::string credentials;
    Station(const std::string& id, const std::string& url, const std::string& credentials_file)
        : CentralStation(id, url, "connect_timeout_s = 2\n"), credentials(credentials_file) {}
    tests::ProcessResult run(std::vector<std::string> args) const {
        auto result = CentralStation::run(std::move(args));
        EXPECT_FALSE(result.timed_out);
        EXPECT_EQ(result.out.find(k_na_secret), std::string::npos) << result.out;
        EXPECT_EQ(result.err.find(k_na_secret), std::string::npos) << result.err;
        return result;
    }
    std::vector<std::string> push_args() const {
        return argv(
            {"register", "push", "--central", "--data-center", "na", "--credentials", credentials});
    }
    tests::ProcessResult push() const {
        return run(
            {"register", "push", "--central", "--data-center", "na", "--credentials", credentials});
    }
    // Queues units first..first+count-1 for NA in this station's own outbox.
    void enqueue(int first, int count) const {
        auto store = station::store::Store::open(db);
        ASSERT_TRUE(store) << store.error().message;
        for (int i = first; i < first + count; ++i) {
            station::store::Registration reg;
            reg.fsn = tests::serial_for(i);
            reg.serial = tests::serial_for(i);
            reg.imei = tests::imei_for(i);
            reg.iccid = tests::iccid_for(i);
            reg.imsi = "310410000000" + std::to_string(100 + i);
            reg.data_center = station::core::DataCenter::na;
            reg.term_years = 3;
            reg.po = "PO-20";
            reg.queued = std::chrono::system_clock::now();
            auto queued = store->enqueue_registration(reg);
            ASSERT_TRUE(queued) << queued.error().message;
        }
    }
};

class CentralPush : public testing::Test {
  protected:
    // A database `name` and two stations syncing to it, `units` NA units queued on each.
    void two_stations(const std::string& name, int units) {
        m_name = name;
        const auto url = tests::pg_server().create_database(name);
        tests::write_credentials_file(m_credentials, standin.base_url("na"),
                                      standin.base_url("eu"));
        a = std::make_unique<Station>("bench-a", url, m_credentials);
        b = std::make_unique<Station>("bench-b", url, m_credentials);
        a->enqueue(0, units);
        b->enqueue(100, units);
        for (const auto* s : {a.get(), b.get()}) {
            const auto r = s->run({"sync", "--once"});
            ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
        }
        ASSERT_EQ(sql("SELECT count(*) FROM outbox"), std::to_string(2 * units));
    }

    std::string sql(const std::string& text) const { return tests::central_query(m_name, text); }

    // Central rows per central state ("-" for none yet): "registered:48".
    std::string states() const {
        return sql(
            "SELECT string_agg(s || ':' || n, ',' ORDER BY s) FROM (SELECT "
            "coalesce(central_state, '-') s, count(*) n FROM outbox GROUP BY 1) t");
    }

    // Pushes the central outbox until nothing waits (exit 0; rows in doubt wait seconds).
    std::string push_until_done(const Station& s) const {
        std::string out;
        const auto deadline = std::chrono::steady_clock::now() + 40s;
        while (std::chrono::steady_clock::now() < deadline) {
            const auto r = s.push();
            out += r.out + r.err;
            if (r.exit_code == 0) break;
            EXPECT_EQ(r.exit_code, 75) << r.out << r.err;
            std::this_thread::sleep_for(300ms);
        }
        return out;
    }

    tests::AlmsStandin standin;
    tests::TempDir m_dir;
    std::string m_credentials = m_dir.path() + "/credentials.toml";
    std::string m_name;
    std::unique_ptr<Station> a;
    std::unique_ptr<Station> b;
};

TEST_F(CentralPush, TwoStationsPushingAtOnceRegisterEachUnitExactlyOnce) {
    two_stations("push_two", 24);
    // Slow answers so both pushers are busy at the same time.
    standin.add_faults(
        "na", json::array({{{"on", "any"}, {"kind", "slow"}, {"delay_ms", 30}, {"count", -1}}}));
    tests::ProcessResult ra;
    tests::ProcessResult rb;
    std::thread first([&] { ra = a->push(); });
    std::thread second([&] { rb = b->push(); });
    first.join();
    second.join();
    EXPECT_EQ(ra.exit_code, 0) << ra.out << ra.err;
    EXPECT_EQ(rb.exit_code, 0) << rb.out << rb.err;
    const json na = standin.tenant("na");
    EXPECT_EQ(na.at("creates"), 48);
    EXPECT_EQ(na.at("rejected_creates"), 0);
    ASSERT_EQ(na.at("systems_per_serial").size(), 48U);
    for (const auto& [serial, n] : na.at("systems_per_serial").items()) {
        EXPECT_EQ(n, 1) << serial;
    }
    EXPECT_EQ(states(), "registered:48");
    EXPECT_EQ(sql("SELECT count(*) FROM outbox WHERE central_remote_id <> '' AND "
                  "central_by LIKE 'push:%'"),
              "48");
    // Both did part of the work, and each names the stations of the units it pushed.
    EXPECT_EQ(ra.out.find("push na: 0 registered"), std::string::npos) << ra.out;
    EXPECT_EQ(rb.out.find("push na: 0 registered"), std::string::npos) << rb.out;
    EXPECT_NE((ra.out + rb.out).find("(station bench-a)"), std::string::npos) << ra.out;
    EXPECT_NE((ra.out + rb.out).find("(station bench-b)"), std::string::npos) << rb.out;

    // Nothing is left: a third push finds nothing.
    const auto again = a->push();
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_EQ(standin.tenant("na").at("creates"), 48);

    // The stations learn it at their next sync; their own push then has nothing to send.
    const auto synced = a->run({"sync", "--once"});
    ASSERT_EQ(synced.exit_code, 0) << synced.err;
    EXPECT_NE(synced.out.find("sync: 24 outbox rows registered by register push --central "
                              "recorded here"),
              std::string::npos)
        << synced.out;
    const auto local = a->run({"register", "push", "--credentials", m_credentials});
    EXPECT_EQ(local.exit_code, 0) << local.out << local.err;
    EXPECT_NE(local.out.find("push: nothing waiting in the outbox of"), std::string::npos)
        << local.out;
    EXPECT_EQ(standin.tenant("na").at("request_count"), na.at("request_count"));
    // The rows shipped again say registered; their central state stays the push's.
    EXPECT_EQ(sql("SELECT count(*) FROM outbox WHERE station = 'bench-a' AND state = "
                  "'registered' AND remote_id = central_remote_id"),
              "24");
}

// register status --central: the central outbox's counts, waiting rows and errors, each row
// naming its station; after the central push, every row registered.
TEST_F(CentralPush, StatusCentralShowsEveryStationsRows) {
    two_stations("push_status", 2);
    auto r = a->run({"register", "status", "--central", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto j = json::parse(r.out);
    EXPECT_EQ(j.at("counts").at("na").at("pending"), 4) << r.out;
    EXPECT_EQ(j.at("counts").at("na").at("registered"), 0) << r.out;
    ASSERT_EQ(j.at("waiting").size(), 4U) << r.out;
    std::set<std::string> stations;
    for (const auto& w : j.at("waiting")) stations.insert(w.at("station").get<std::string>());
    EXPECT_EQ(stations, (std::set<std::string>{"bench-a", "bench-b"})) << r.out;
    r = a->run({"register", "status", "--central"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("na pending 4\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("at station bench-b"), std::string::npos) << r.out;
    // The station's own status is still its own outbox: its 2 rows, no station named.
    r = a->run({"register", "status", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    j = json::parse(r.out);
    EXPECT_EQ(j.at("counts").at("na").at("pending"), 2) << r.out;
    EXPECT_FALSE(j.at("waiting").at(0).contains("station")) << r.out;

    EXPECT_EQ(a->push().exit_code, 0);
    r = b->run({"register", "status", "--central", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    j = json::parse(r.out);
    EXPECT_EQ(j.at("counts").at("na").at("registered"), 4) << r.out;
    EXPECT_EQ(j.at("counts").at("na").at("pending"), 0) << r.out;
    EXPECT_TRUE(j.at("waiting").empty()) << r.out;

    r = a->run({"register", "status", "--central", "--db", a->db});
    EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
    tests::pg_server().stop();
    r = a->run({"register", "status", "--central"});
    tests::pg_server().start();
    EXPECT_EQ(r.exit_code, 75) << r.out << r.err;
    EXPECT_NE(r.err.find("station: register status: error: central database: connect:"),
              std::string::npos)
        << r.err;
}

TEST_F(CentralPush, ClaimOfAKilledPusherIsTakenBackAndNotRegisteredTwice) {
    two_stations("push_kill", 2);
    // The first create takes effect, then its answer hangs: the pusher is killed right there.
    standin.add_faults(
        "na",
        json::array({{{"on", "create"}, {"kind", "slow"}, {"delay_ms", 8000}, {"after", true}}}));
    {
        tests::BackgroundProcess pusher(a->push_args());
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        while (standin.tenant("na").at("creates") == 0 &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(20ms);
        }
        ASSERT_EQ(standin.tenant("na").at("creates"), 1);
        pusher.signal(SIGKILL);
        pusher.stop();
    }
    EXPECT_EQ(states(), "-:3,claimed:1");  // held by the dead pusher
    const auto again = b->push();
    EXPECT_EQ(again.exit_code, 75) << again.out << again.err;  // the taken-back row waits
    EXPECT_NE(again.out.find("1 taken back from dead pushers"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("push na: 1 waiting for a later attempt"), std::string::npos)
        << again.out;
    EXPECT_EQ(states(), "in_doubt:1,registered:3");
    // In doubt: looked up again after the request timeout (3 s here) and a margin, found.
    const std::string all = push_until_done(*b);
    EXPECT_NE(all.find("already_registered"), std::string::npos) << all;
    EXPECT_EQ(standin.tenant("na").at("creates"), 4);
    EXPECT_EQ(standin.tenant("na").at("rejected_creates"), 0);
    EXPECT_EQ(states(), "registered:4");
}

TEST_F(CentralPush, ClaimWhoseLeaseRanOutIsTakenBack) {
    two_stations("push_lease", 1);
    // A pusher on another host claimed a row and was never heard of again: its lease ended.
    sql("UPDATE outbox SET central_state = 'claimed', central_by = 'push:far-host:b:77:1', "
        "central_lease_until_ms = 1000, central_at = now() WHERE station = 'bench-a'");
    // One on another host whose lease still runs is left alone.
    sql("UPDATE outbox SET central_state = 'claimed', central_by = 'push:far-host:b:78:1', "
        "central_lease_until_ms = 99999999999999, central_at = now() WHERE station = 'bench-b'");
    const auto first = a->push();
    EXPECT_NE(first.out.find("1 taken back from dead pushers"), std::string::npos) << first.out;
    EXPECT_EQ(sql("SELECT station || ':' || central_state FROM outbox ORDER BY station"),
              "bench-a:in_doubt\nbench-b:claimed");
    const std::string all = push_until_done(*a);
    EXPECT_NE(all.find("registered         na " + tests::serial_for(0)), std::string::npos) << all;
    EXPECT_EQ(standin.tenant("na").at("creates"), 1);
    EXPECT_EQ(sql("SELECT station || ':' || central_state FROM outbox ORDER BY station"),
              "bench-a:registered\nbench-b:claimed");
}

TEST_F(CentralPush, CentralDownMeansExit75AndNothingLost) {
    two_stations("push_down", 3);
    tests::pg_server().stop();
    const auto down = a->push();
    tests::pg_server().start();
    EXPECT_EQ(down.exit_code, 75) << down.out << down.err;
    EXPECT_NE(down.err.find("station: register push: error: central database: connect:"),
              std::string::npos)
        << down.err;
    EXPECT_NE(down.err.find("(nothing was claimed: run it again later)"), std::string::npos)
        << down.err;
    EXPECT_EQ(standin.tenant("na").at("request_count"), 0);
    EXPECT_EQ(states(), "-:6");
    const auto back = a->push();
    EXPECT_EQ(back.exit_code, 0) << back.out << back.err;
    EXPECT_EQ(standin.tenant("na").at("creates"), 6);
    EXPECT_EQ(states(), "registered:6");
}

TEST_F(CentralPush, NotConfiguredIsAUsageError) {
    tests::write_credentials_file(m_credentials, standin.base_url("na"), standin.base_url("eu"));
    tests::TempDir dir;
    const std::string config = dir.path() + "/station.toml";
    std::ofstream(config) << "db = \"station.db\"\n";
    const auto r =
        tests::run_process({"/usr/bin/env", "STATION_CONFIG=" + config, k_station, "register",
                            "push", "--central", "--credentials", m_credentials},
                           30s);
    EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
    EXPECT_NE(r.err.find("no central database: set [central] url"), std::string::npos) << r.err;
    const auto h = tests::run_process({"/usr/bin/env", "STATION_CONFIG=" + config, k_station,
                                       "history", "--central", "--fsn", "X"},
                                      30s);
    EXPECT_EQ(h.exit_code, 64) << h.out << h.err;
}

TEST(CentralAnswers, HistoryAndReportShowTheUnitsOfBothStations) {
    const auto url = tests::pg_server().create_database("answers");
    tests::TempDir dir;
    Station a("bench-a", url, dir.path() + "/none.toml");
    Station b("bench-b", url, dir.path() + "/none.toml");
    // The same units (IMEI, ICCID, lot P-0) seen on both benches, under their own FSNs.
    tests::fill_store(a.db, "A", 0, 5);
    tests::fill_store(b.db, "B", 0, 5);
    for (const auto* s : {&a, &b}) ASSERT_EQ(s->run({"sync", "--once"}).exit_code, 0);

    auto h = a.run({"history", "--central", "--imei", tests::imei_of(3)});
    ASSERT_EQ(h.exit_code, 0) << h.err;
    EXPECT_EQ(h.out.rfind("STATION  RUN", 0), 0U) << h.out;
    EXPECT_NE(h.out.find("bench-a  1    P-0"), std::string::npos) << h.out;
    EXPECT_NE(h.out.find("bench-b  1    P-0"), std::string::npos) << h.out;
    EXPECT_NE(h.out.find("2 results, 2 PASS"), std::string::npos) << h.out;

    h = a.run({"history", "--central", "--fsn", "b100002", "--json"});
    ASSERT_EQ(h.exit_code, 0) << h.err;
    const json doc = json::parse(h.out);
    ASSERT_EQ(doc.at("results").size(), 1U);
    EXPECT_EQ(doc.at("results").at(0).at("run").at("station"), "bench-b");
    EXPECT_EQ(doc.at("results").at(0).at("slot").at("fsn"), "B100002");

    h = a.run({"history", "--central", "--fsn", "nobody"});
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_EQ(h.out, "no results for fsn nobody\n");

    auto r = b.run({"report", "--central", "--pallet", "P-0", "--format", "csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < r.out.size();) {
        const auto end = r.out.find("\r\n", at);
        lines.push_back(r.out.substr(at, end - at));
        at = end + 2;
    }
    ASSERT_EQ(lines.size(), 11U) << r.out;  // header and 5 units of each station
    EXPECT_EQ(lines.at(1).rfind("1,provision,P-0,ann,xr60,bench-a,", 0), 0U) << lines.at(1);
    EXPECT_EQ(lines.at(10).rfind("1,provision,P-0,ann,xr60,bench-b,", 0), 0U) << lines.at(10);

    r = b.run({"report", "--central", "--pallet", "P-0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("10 results, 10 PASS"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("run 1 at bench-a: station"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("run 1 at bench-b: station"), std::string::npos) << r.out;

    r = b.run({"report", "--central", "--run", "1", "--station", "bench-a", "--format", "junit"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("<testsuite name=\"P-0/run-1@bench-a\""), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("bench-b"), std::string::npos) << r.out;

    r = b.run({"report", "--central", "--run", "1"});
    EXPECT_EQ(r.exit_code, 64) << r.err;
    r = b.run({"report", "--central", "--pallet", "P-9"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("no results for pallet P-9"), std::string::npos) << r.err;
}

}  // namespace
