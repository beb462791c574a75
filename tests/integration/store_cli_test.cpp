// station history / report / db through the built binary, on real database files: output
// formats, usage errors (64), store errors naming the file (2), backup while a run writes.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <process.hpp>
#include <station/store/store.hpp>

namespace tests::store_cli {
namespace {

namespace st = station::store;
using station::core::Outcome;
using station::core::Reason;

const std::string k_station = std::string(STATION_BINARY_DIR) + "/station/station";
const std::string k_child = std::string(STATION_BINARY_DIR) + "/tests/unit/store_child";
const std::string k_xsd = std::string(STATION_SOURCE_DIR) + "/tests/data/report/junit.xsd";

st::TimePoint at(std::int64_t ms) {
    return st::from_ms(1'790'000'000'000 + ms);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

class StoreCliTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto store = st::Store::open(db());
        ASSERT_TRUE(store) << store.error().message;
        // Pallet PAL-1: two runs. Unit FSN-A passes twice (SIM swapped in between), a hostile
        // unit fails, one slot errors.
        for (int r = 0; r < 2; ++r) {
            auto run = store->begin_run(
                {st::RunMode::provision, "alice", "PAL-1", "xr90-na", at(r * 1000)});
            ASSERT_TRUE(run);
            m_runs.push_back(*run);
            add(*store, *run, "A1", "FSN-A", "353270090000011",
                r == 0 ? "89014104279999999995" : "89014104270000000004", Outcome::pass,
                std::nullopt, "", r * 1000);
            if (r == 0) {
                add(*store, *run, "A2", "=cmd|'/C calc'!A0\x1b[2J", "353270090000029",
                    "8901410427999999998", Outcome::fail, Reason::sku_mismatch,
                    "Global unit \"x\" <on> NA & more", 0);
                add(*store, *run, "A3", "FSN-C", "", "", Outcome::error, Reason::no_response,
                    "AT+CGSN: no response after 2000 ms", 0);
            }
            ASSERT_TRUE(store->finish_run(*run, r == 0 ? Outcome::error : Outcome::pass,
                                          at(r * 1000 + 900)));
        }
        auto other = store->begin_run({st::RunMode::retest, "bob", "RMA-7", "xr90-na", at(5000)});
        ASSERT_TRUE(other);
        add(*store, *other, "R1", "FSN-A", "353270090000011", "89014104270000000004", Outcome::pass,
            std::nullopt, "", 5000);
    }

    void add(st::Store& store, st::RunId run, const std::string& slot, const std::string& fsn,
             const std::string& imei, const std::string& iccid, Outcome outcome,
             std::optional<Reason> reason, const std::string& message, std::int64_t t) {
        auto id = store.begin_slot(run, {slot, "1-1.3", "/dev/ttyUSB2", 1, at(t + 10)});
        ASSERT_TRUE(id);
        ASSERT_TRUE(store.record_step(
            *id, {"identify", outcome, reason, message, at(t + 10), at(t + 400)}));
        st::SlotFinish finish;
        finish.identity.fsn = fsn;
        finish.identity.imei = imei;
        finish.identity.iccid = iccid;
        finish.identity.model = "EM7565";
        finish.region = station::core::Region::na;
        finish.data_center = station::core::DataCenter::na;
        finish.outcome = outcome;
        finish.reason = reason;
        finish.message = message;
        finish.ended = at(t + 500);
        ASSERT_TRUE(store.finish_slot(*id, finish));
    }

    std::string db() const { return m_dir.path() + "/station.db"; }
    const std::string& dir() const { return m_dir.path(); }
    ProcessResult station(std::vector<std::string> args) {
        args.insert(args.begin(), k_station);
        return run_process(args, std::chrono::seconds(60));
    }

    std::vector<st::RunId> m_runs;

  private:
    TempDir m_dir;
};

TEST_F(StoreCliTest, HistoryByEveryIdentifierNewestFirst) {
    auto r = station({"history", "--fsn", "FSN-A", "--json", "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto doc = nlohmann::json::parse(r.out);
    ASSERT_EQ(doc["results"].size(), 3U);
    EXPECT_EQ(doc["results"][0]["run"]["lot"], "RMA-7");
    EXPECT_EQ(doc["results"][0]["run"]["mode"], "retest");
    EXPECT_EQ(doc["results"][2]["slot"]["iccid"], "89014104279999999995");
    EXPECT_EQ(doc["subject"]["kind"], "fsn");

    r = station({"history", "--imei", "353270090000011", "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("3 results, 3 PASS"), std::string::npos) << r.out;

    r = station({"history", "--iccid", "89014104270000000004", "--json", "--db", db()});
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_EQ(nlohmann::json::parse(r.out)["results"].size(), 2U);

    r = station({"history", "--fsn", "NOPE", "--db", db()});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("no results for fsn NOPE"), std::string::npos);
}

TEST_F(StoreCliTest, HostileDeviceStringsAreSanitizedOnDisplay) {
    auto r = station({"history", "--imei", "353270090000029", "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
    EXPECT_NE(r.out.find("\\x1b[2J"), std::string::npos) << r.out;
    r = station({"history", "--imei", "353270090000029", "--json", "--db", db()});
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(r.out)["results"][0]["slot"]["fsn"],
              "=cmd|'/C calc'!A0\x1b[2J");
}

TEST_F(StoreCliTest, ReportFormats) {
    const std::string run = std::to_string(m_runs[0].value);
    auto table = station({"report", "--run", run, "--db", db()});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("3 results, 1 ERROR, 1 FAIL, 1 PASS"), std::string::npos) << table.out;

    auto csv = station({"report", "--pallet", "PAL-1", "--format", "csv", "--db", db()});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_NE(csv.out.find(",'=cmd|'/C calc'!A0\\x1b[2J,"), std::string::npos) << csv.out;
    EXPECT_NE(csv.out.find("\"Global unit \"\"x\"\" <on> NA & more\""), std::string::npos);
    EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 5);  // header + 4 results

    auto json = station({"report", "--pallet", "PAL-1", "--format", "json", "--db", db()});
    ASSERT_EQ(json.exit_code, 0);
    const auto doc = nlohmann::json::parse(json.out);
    EXPECT_EQ(doc["summary"]["PASS"], 2);
    EXPECT_EQ(doc["results"].size(), 4U);

    const std::string xml_file = dir() + "/junit.xml";
    auto junit = station(
        {"report", "--pallet", "PAL-1", "--format", "junit", "--out", xml_file, "--db", db()});
    ASSERT_EQ(junit.exit_code, 0) << junit.err;
    EXPECT_TRUE(junit.out.empty());
    const std::string xml = read_file(xml_file);
    EXPECT_NE(xml.find("<failure message=\"sku_mismatch: Global unit &quot;x&quot; &lt;on&gt; NA "
                       "&amp; more\""),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<error message=\"no_response:"), std::string::npos);
    const auto lint = run_process({"/usr/bin/xmllint", "--noout", "--schema", k_xsd, xml_file},
                                  std::chrono::seconds(30));
    EXPECT_EQ(lint.exit_code, 0) << lint.err;
}

TEST_F(StoreCliTest, UsageErrorsExit64) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"history", "--db", db()},
             {"history", "--fsn", "A", "--imei", "B", "--db", db()},
             {"history", "--fsn", "", "--db", db()},
             {"history", "--fsn", "A", "--limit", "0", "--db", db()},
             {"history", "--fsn", "A", "--bogus"},
             {"report", "--db", db()},
             {"report", "--run", "1", "--pallet", "P", "--db", db()},
             {"report", "--run", "1", "--format", "pdf", "--db", db()},
             {"report", "--run", "-3", "--db", db()},
             {"report", "--run", "abc", "--db", db()},
             {"db"},
             {"db", "frobnicate"},
             {"db", "backup", "--db", db()},
         }) {
        auto r = station(args);
        EXPECT_EQ(r.exit_code, 64)
            << args[0] << " " << (args.size() > 1 ? args[1] : "") << ": " << r.err;
        EXPECT_EQ(r.err.rfind("station: " + args[0], 0), 0U) << r.err;
        EXPECT_NE(r.err.find(": error: "), std::string::npos) << r.err;
    }
}

// A word that belongs to no option was dropped without a word by Boost.Program_options: `identify
// --port /dev/ttyUSB0 ttyUSB2` read ttyUSB0, and a profile name given without --profile changed
// nothing. Every command that takes no positional words now refuses one, naming it, and touches
// nothing (no database is made).
TEST_F(StoreCliTest, AWordThatIsNoOptionIsRefusedByEveryCommand) {
    const std::string fresh = dir() + "/fresh.db";
    for (const auto& command : std::vector<std::vector<std::string>>{
             {"identify", "--port", "/dev/x"},
             {"scan"},
             {"rig", "learn"},
             {"provision", "--pallet", "P", "--db", fresh},
             {"retest", "--db", fresh},
             {"regress", "--db", fresh},
             {"history", "--fsn", "A", "--db", fresh},
             {"report", "--run", "1", "--db", fresh},
             {"transcript", "--db", fresh},
             {"runs", "--db", fresh},
             {"register", "push", "--db", fresh},
             {"register", "status", "--db", fresh},
             {"register", "export", "--db", fresh},
             {"sync", "--db", fresh},
             {"label", "reprint", "--db", fresh},
             {"doctor", "--db", fresh},
         }) {
        auto args = command;
        args.emplace_back("xr90-gl");
        const auto r = station(args);
        const std::string what = command[0] + (command.size() > 1 ? " " + command[1] : "");
        EXPECT_EQ(r.exit_code, 64) << what << ": " << r.err;
        EXPECT_NE(r.err.find("error: unexpected argument 'xr90-gl'"), std::string::npos)
            << what << ": " << r.err;
        EXPECT_FALSE(std::filesystem::exists(fresh)) << what << " made the database";
    }
    // A stray word that is not text is shown escaped, as every device or operator string is.
    const auto r = station({"history", "--fsn", "A", "--db", db(), "x\x1b[2J"});
    EXPECT_EQ(r.exit_code, 64) << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "raw escape reached the terminal";
}

TEST_F(StoreCliTest, StoreErrorsExit2NamingTheFile) {
    auto missing = station({"history", "--fsn", "A", "--db", dir() + "/none.db"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find(dir() + "/none.db: no such database"), std::string::npos)
        << missing.err;
    EXPECT_FALSE(std::filesystem::exists(dir() + "/none.db"));

    auto no_run = station({"report", "--run", "999", "--db", db()});
    EXPECT_EQ(no_run.exit_code, 2);
    EXPECT_NE(no_run.err.find("no run 999"), std::string::npos);

    auto no_pallet = station({"report", "--pallet", "PAL-404", "--db", db()});
    EXPECT_EQ(no_pallet.exit_code, 2);

    const std::string garbage = dir() + "/garbage.db";
    std::ofstream(garbage) << std::string(4096, 'g');
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"history", "--fsn", "A", "--db", garbage},
                                               {"report", "--run", "1", "--db", garbage},
                                               {"db", "check", "--db", garbage}}) {
        auto r = station(args);
        EXPECT_EQ(r.exit_code, 2) << args[0];
        EXPECT_NE(r.err.find(garbage), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("not a database"), std::string::npos) << r.err;
    }

    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(db().c_str(), &conn), SQLITE_OK);
    sqlite3_exec(conn, "PRAGMA user_version = 42", nullptr, nullptr, nullptr);
    sqlite3_close(conn);
    auto newer = station({"history", "--fsn", "FSN-A", "--db", db()});
    EXPECT_EQ(newer.exit_code, 2);
    EXPECT_NE(newer.err.find(db() + ": schema version 42 is newer"), std::string::npos)
        << newer.err;
    auto check = station({"db", "check", "--db", db()});
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_NE(check.out.find("schema version 42"), std::string::npos);
    EXPECT_NE(check.out.find("newer than this station"), std::string::npos);
}

TEST_F(StoreCliTest, ReportToUnwritablePathFailsAndLeavesNothing) {
    const std::string out = dir() + "/no/such/dir/r.csv";
    auto r =
        station({"report", "--pallet", "PAL-1", "--format", "csv", "--out", out, "--db", db()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(out), std::string::npos) << r.err;
}

TEST_F(StoreCliTest, DbCheckAndDefaultPathFromEnvironment) {
    auto r = station({"db", "check", "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("integrity: ok"), std::string::npos);
    EXPECT_NE(r.out.find("schema version " + std::to_string(st::k_schema_version)),
              std::string::npos);

    ::setenv("STATION_DB", db().c_str(), 1);
    r = station({"history", "--fsn", "FSN-A"});
    ::unsetenv("STATION_DB");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("3 results"), std::string::npos);

    const std::string xdg = dir() + "/xdg";
    std::filesystem::create_directories(xdg + "/station");
    std::filesystem::copy_file(db(), xdg + "/station/station.db");
    ::setenv("XDG_DATA_HOME", xdg.c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (dir() + "/no-config").c_str(), 1);  // no station.toml here
    r = station({"db", "check"});
    ::unsetenv("XDG_DATA_HOME");
    ::unsetenv("XDG_CONFIG_HOME");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(xdg + "/station/station.db"), std::string::npos) << r.out;
}

TEST_F(StoreCliTest, ConfigFileNamesTheDatabaseBelowTheEnvironment) {
    const std::string config_dir = dir() + "/config/station";
    std::filesystem::create_directories(config_dir);
    std::filesystem::copy_file(db(), config_dir + "/from-config.db");
    const std::string config = config_dir + "/station.toml";
    std::ofstream(config) << "# bench 3\ndb = \"from-config.db\"\n";

    ::setenv("XDG_CONFIG_HOME", (dir() + "/config").c_str(), 1);
    auto r = station({"db", "check"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(config_dir + "/from-config.db"), std::string::npos) << r.out;

    ::setenv("STATION_DB", db().c_str(), 1);  // the environment wins over the file
    r = station({"db", "check"});
    ::unsetenv("STATION_DB");
    EXPECT_NE(r.out.find(db()), std::string::npos) << r.out;
    ::unsetenv("XDG_CONFIG_HOME");

    ::setenv("STATION_CONFIG", config.c_str(), 1);
    r = station({"history", "--fsn", "FSN-A"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("3 results"), std::string::npos) << r.out;

    std::ofstream(config) << "db = \"x.db\"\ndatabase = \"y.db\"\n";
    r = station({"db", "check"});
    EXPECT_EQ(r.exit_code, 64) << r.out;
    EXPECT_NE(r.err.find(config + ":2"), std::string::npos) << "file and line: " << r.err;
    EXPECT_NE(r.err.find("database"), std::string::npos) << r.err;

    ::setenv("STATION_CONFIG", (dir() + "/missing.toml").c_str(), 1);
    r = station({"db", "check"});
    ::unsetenv("STATION_CONFIG");
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_NE(r.err.find("missing.toml"), std::string::npos) << r.err;
}

TEST_F(StoreCliTest, BackupWhileARunWrites) {
    const std::string progress = dir() + "/progress";
    const std::string backup = dir() + "/backup.db";
    {
        BackgroundProcess writer({k_child, "write", db(), progress});
        ASSERT_TRUE(wait_for_file(progress, std::chrono::seconds(30)));
        auto r = station({"db", "backup", backup, "--db", db()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("backed up"), std::string::npos);
        ::kill(writer.pid(), SIGKILL);
        writer.stop();
    }
    auto check = station({"db", "check", "--db", backup});
    EXPECT_EQ(check.exit_code, 0) << check.err << check.out;
    EXPECT_NE(check.out.find("integrity: ok"), std::string::npos);
    auto history = station({"history", "--fsn", "FSN-A", "--db", backup});
    EXPECT_EQ(history.exit_code, 0) << history.err;
    EXPECT_NE(history.out.find("3 results"), std::string::npos);
    // The copy holds the kill run too, as far as it had got.
    auto pallet = station({"report", "--pallet", "PAL-KILL", "--format", "json", "--db", backup});
    EXPECT_EQ(pallet.exit_code, 0) << pallet.err;

    auto again = station({"db", "backup", backup, "--db", db()});
    EXPECT_EQ(again.exit_code, 2);
    EXPECT_NE(again.err.find(backup + ": already exists"), std::string::npos) << again.err;
}

}  // namespace
}  // namespace tests::store_cli
