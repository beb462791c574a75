// Reading never needs write access (issue 12, item 8): history, report, register status and
// export, db check and db backup read an archive that the user can write neither as a file nor
// as a folder (read-only media: SQLite cannot create the WAL index there), including one at an
// older schema; a --db whose folder does not exist is refused, not created.
//
// Tests run as root, and root ignores file permissions: the reader runs as `nobody` through
// setpriv (util-linux) or su; without either (and as root) the tests are skipped.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>

#include "process.hpp"
#include "sim_bench.hpp"

namespace {

namespace st = station::store;
namespace fs = std::filesystem;
using station::core::Outcome;
constexpr std::chrono::seconds k_reader_bound{60};

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

std::string quoted(const std::string& word) {
    std::string out = "'";
    for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The command line that runs `args` as a user without write access; empty when there is none.
std::vector<std::string> as_reader(const std::vector<std::string>& args) {
    if (::geteuid() != 0) return args;
    if (fs::exists("/usr/bin/setpriv")) {
        std::vector<std::string> out{"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup",
                                     "--clear-groups"};
        out.insert(out.end(), args.begin(), args.end());
        return out;
    }
    if (fs::exists("/bin/su")) {
        std::string line;
        for (const auto& a : args) line += (line.empty() ? "" : " ") + quoted(a);
        return {"/bin/su", "nobody", "-s", "/bin/sh", "-c", line};
    }
    return {};
}

class ReadOnly : public testing::Test {
  protected:
    void SetUp() override {
        if (as_reader({"x"}).empty()) GTEST_SKIP() << "no setpriv or su to drop root";
        fs::permissions(m_dir.path(), fs::perms(0755));
        fs::create_directory(archive());
        fs::create_directory(scratch());
        fs::permissions(scratch(), fs::perms(0777));
    }
    void TearDown() override {
        std::error_code ec;
        fs::permissions(archive(), fs::perms(0755), ec);
    }

    // Writes one run with a PASS unit and its queued registration into the archive, then makes
    // the folder and the file read-only.
    void make_archive() {
        {
            auto store = st::Store::open(db());
            ASSERT_TRUE(store) << store.error().message;
            const auto now = std::chrono::system_clock::now();
            auto run =
                store->begin_run({st::RunMode::provision, "alice", "PAL-RO", "xr90-na", now});
            ASSERT_TRUE(run);
            auto slot = store->begin_slot(*run, {"A1", "", "/dev/ttyUSB2", 1, now});
            ASSERT_TRUE(slot);
            ASSERT_TRUE(store->record_transcript(*slot, "+0.000100 >> ATI\\r\n"));
            st::SlotFinish finish;
            finish.identity.fsn = "LA51234567890123";
            finish.identity.imei = "353270090000011";
            finish.data_center = station::core::DataCenter::na;
            finish.outcome = Outcome::pass;
            finish.ended = now;
            ASSERT_TRUE(store->finish_slot(*slot, finish));
            st::Registration reg;
            reg.fsn = reg.serial = "LA51234567890123";
            reg.imei = "353270090000011";
            reg.iccid = "89014104279999999995";
            reg.queued = now;
            ASSERT_TRUE(store->enqueue_registration(reg));
            ASSERT_TRUE(store->finish_run(*run, Outcome::pass, now));
        }
        seal();
    }

    void seal() {
        ASSERT_FALSE(fs::exists(db() + "-wal")) << "a clean close leaves no WAL";
        fs::permissions(db(), fs::perms(0444));
        fs::permissions(archive(), fs::perms(0555));
    }

    tests::ProcessResult reader(std::vector<std::string> args) const {
        args.insert(args.begin(), tests::station_binary());
        return tests::run_process(as_reader(args), k_reader_bound);
    }

    std::string archive() const { return m_dir.path() + "/archive"; }
    std::string scratch() const { return m_dir.path() + "/scratch"; }
    std::string db() const { return archive() + "/station.db"; }

  private:
    tests::TempDir m_dir;
};

TEST_F(ReadOnly, EveryReadingCommandWorksWithoutWriteAccess) {
    make_archive();
    const std::string before = read_text(db());
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<Case> cases{
        {{"history", "--fsn", "LA51234567890123", "--db", db()}, "1 result, 1 PASS"},
        {{"report", "--pallet", "PAL-RO", "--format", "csv", "--db", db()}, "PAL-RO"},
        {{"report", "--run", "1", "--format", "json", "--db", db()}, "\"lot\": \"PAL-RO\""},
        {{"register", "status", "--db", db()}, "pending"},
        {{"register", "export", "--data-center", "na", "--out", scratch() + "/na.csv", "--db",
          db()},
         "exported 1 units"},
        {{"db", "check", "--db", db()}, "integrity: ok"},
        {{"db", "backup", scratch() + "/copy.db", "--db", db()}, ""},
        {{"runs", "--db", db()}, "PAL-RO"},
        {{"rig", "quarantined", "--db", db()}, "no slot is quarantined"},
    };
    ASSERT_EQ(cases.size(), 9U);
    for (const auto& c : cases) {
        const auto r = reader(c.args);
        EXPECT_EQ(r.exit_code, 0) << c.args[0] << " " << c.args[1] << ": " << r.err;
        EXPECT_NE(r.out.find(c.says), std::string::npos) << c.args[0] << ": " << r.out;
        EXPECT_EQ(r.err.find("error"), std::string::npos) << r.err;
    }
    EXPECT_EQ(read_text(db()), before) << "nothing was written";
    EXPECT_FALSE(fs::exists(db() + "-wal"));
    EXPECT_FALSE(fs::exists(db() + "-shm"));
    EXPECT_NE(read_text(scratch() + "/na.csv").find("353270090000011"), std::string::npos);
}

TEST_F(ReadOnly, AnOlderSchemaIsReadWithoutMigratingTheFile) {
    const std::string sql = read_text(std::string(STATION_SOURCE_DIR) + "/tests/data/store/v2.sql");
    ASSERT_FALSE(sql.empty());
    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(db().c_str(), &conn), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(conn, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(conn);
    seal();
    const auto r = reader({"report", "--pallet", "PAL-OLD", "--format", "json", "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["results"].size(), 2U);
    const auto check = reader({"db", "check", "--db", db()});
    EXPECT_NE(check.out.find("schema version 2"), std::string::npos) << check.out;
}

TEST_F(ReadOnly, WritesToAReadOnlyArchiveStillFailNamingTheFile) {
    make_archive();
    const auto r = reader({"rig", "release", "A1", "--db", db()});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("station: rig release: error: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(db()), std::string::npos) << r.err;
}

TEST(DbFolder, ANamedDatabaseWhoseFolderIsMissingIsRefusedNotCreated) {
    tests::TempDir dir;
    const std::string missing = dir.path() + "/no/such/folder";
    const std::string db = missing + "/station.db";
    const std::vector<std::vector<std::string>> cases{
        {"provision", "--profile", "xr90-na", "--pallet", "P-1", "--port", "/dev/null", "--db", db,
         "--no-manifest"},
        {"rig", "release", "A1", "--db", db},  // a writer; readers say "no such database"
    };
    ASSERT_EQ(cases.size(), 2U);
    for (auto args : cases) {
        args.insert(args.begin(), tests::station_binary());
        const auto r = tests::run_process(args, k_reader_bound);
        EXPECT_EQ(r.exit_code, 2) << args[1] << ": " << r.out << r.err;
        EXPECT_NE(r.err.find("station: " + args[1]), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(": error: "), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(db + ": folder " + missing + " does not exist"), std::string::npos)
            << r.err;
        EXPECT_FALSE(fs::exists(dir.path() + "/no")) << args[1] << " created the folder";
    }
}

}  // namespace
