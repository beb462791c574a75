// Opening the store: creation, pragmas, default path, and every way a database file can be bad.
#include <sys/wait.h>
#include <unistd.h>
#include <fstream>
#include <thread>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

st::OpenOptions must_exist() {
    st::OpenOptions options;
    options.create = st::Create::must_exist;
    return options;
}

st::OpenOptions short_busy() {
    st::OpenOptions options;
    options.busy_timeout = std::chrono::milliseconds(50);
    return options;
}

st::OpenOptions capped(std::int64_t pages) {
    st::OpenOptions options;
    options.max_page_count = pages;
    return options;
}

TEST_F(StoreTest, RefusesAMissingFolderAndCreatesCurrentSchema) {
    const auto path = std::filesystem::path(dir()) / "a" / "b" / "station.db";
    auto refused = st::Store::open(path);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find(path.string() + ": folder " +
                                           path.parent_path().string() + " does not exist"),
              std::string::npos)
        << refused.error().message;
    EXPECT_FALSE(std::filesystem::exists(path.parent_path())) << "the folder is not created";

    std::filesystem::create_directories(path.parent_path());
    auto store = ok(st::Store::open(path));
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ(raw_int(path, "PRAGMA user_version"), st::k_schema_version);
    auto check = ok(store.check());
    EXPECT_TRUE(check.ok());
    EXPECT_EQ(check.schema_version, st::k_schema_version);
}

TEST_F(StoreTest, UsesWalAndForeignKeys) {
    auto store = open_store();
    EXPECT_EQ(
        raw_int(db_path(), "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
        1);
    // Foreign keys are on in the store's connection: a slot for a missing run is refused.
    auto slot = store.begin_slot(st::RunId{4242}, sample_slot());
    ASSERT_FALSE(slot);
    EXPECT_EQ(slot.error().reason, Reason::store_error);
    EXPECT_NE(slot.error().message.find("FOREIGN KEY"), std::string::npos) << slot.error().message;
    EXPECT_NE(slot.error().message.find(db_path().string()), std::string::npos);
}

TEST_F(StoreTest, ReopenKeepsData) {
    st::RunId run;
    {
        auto store = open_store();
        run = ok(store.begin_run(sample_run()));
        ok(store.finish_run(run, Outcome::pass, at_ms(900)));
    }
    auto store = open_store();
    auto record = ok(store.run(run));
    ASSERT_TRUE(record);
    EXPECT_EQ(record->info.lot, "PAL-1");
    EXPECT_EQ(record->outcome, Outcome::pass);
    EXPECT_EQ(record->ended, at_ms(900));
    EXPECT_FALSE(record->interrupted);
}

TEST_F(StoreTest, MustExistRefusesMissingFile) {
    auto store = st::Store::open(db_path(), must_exist());
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().message.find(db_path().string() + ": no such database"),
              std::string::npos)
        << store.error().message;
    EXPECT_FALSE(std::filesystem::exists(db_path()));
}

TEST_F(StoreTest, NewerSchemaIsRefusedAndLeftAlone) {
    { open_store(); }
    raw_sql(db_path(), "PRAGMA user_version = 99");
    auto store = st::Store::open(db_path());
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().message.find(db_path().string()), std::string::npos);
    EXPECT_NE(store.error().message.find("schema version 99 is newer"), std::string::npos)
        << store.error().message;
    EXPECT_EQ(raw_int(db_path(), "PRAGMA user_version"), 99);
}

TEST_F(StoreTest, GarbageFileIsNotADatabase) {
    {
        std::ofstream out(db_path(), std::ios::binary);
        out << std::string(8192, 'x');
    }
    auto store = st::Store::open(db_path());
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().message.find(db_path().string()), std::string::npos);
    EXPECT_NE(store.error().message.find("not a database"), std::string::npos)
        << store.error().message;
    auto inspected = st::inspect(db_path());
    ASSERT_FALSE(inspected);
    EXPECT_NE(inspected.error().message.find("not a database"), std::string::npos);
}

TEST_F(StoreTest, DamagedPagesAreFoundByCheck) {
    {
        auto store = open_store();
        auto run = ok(store.begin_run(sample_run()));
        ok(store.bulk([&]() -> st::Result<void> {
            for (int i = 0; i < 400; ++i) {
                auto slot = store.begin_slot(run, sample_slot("S" + std::to_string(i)));
                if (!slot) return tl::unexpected(slot.error());
                auto done = store.finish_slot(
                    *slot, sample_finish("FSN" + std::to_string(i), "35" + std::to_string(i),
                                         "8901" + std::to_string(i)));
                if (!done) return done;
            }
            return {};
        }));
    }
    raw_sql(db_path(), "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE");
    // Overwrite pages in the middle of the file (past the schema page) with garbage.
    const auto size = std::filesystem::file_size(db_path());
    ASSERT_GT(size, 40960U);
    {
        std::fstream file(db_path(), std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(size / 2));
        const std::string junk(8192, '\x5a');
        file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    auto report = st::inspect(db_path());
    if (report) {
        EXPECT_FALSE(report->ok());
        EXPECT_GT(report->integrity.size(), 0U);
    } else {
        EXPECT_NE(report.error().message.find(db_path().string()), std::string::npos);
    }
}

TEST_F(StoreTest, ForeignSqliteDatabaseIsRefused) {
    raw_sql(db_path(), "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL)");
    auto store = st::Store::open(db_path());
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().message.find("not a station database"), std::string::npos)
        << store.error().message;
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM sqlite_master WHERE name = 'runs'"), 0);
}

TEST_F(StoreTest, LockedDatabaseFailsAfterBusyTimeoutNamingTheFile) {
    { open_store(); }
    sqlite3* holder = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &holder), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(holder,
                           "BEGIN IMMEDIATE; INSERT INTO events(at_ms, kind, text)"
                           " VALUES (1, 'x', 'y')",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    auto store = open_store(short_busy());
    const auto started = std::chrono::steady_clock::now();
    auto run = store.begin_run(sample_run());
    const auto waited = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(run);
    EXPECT_NE(run.error().message.find(db_path().string()), std::string::npos);
    EXPECT_NE(run.error().message.find("locked"), std::string::npos) << run.error().message;
    EXPECT_GE(waited, std::chrono::milliseconds(40));
    EXPECT_LT(waited, std::chrono::seconds(5));
    sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(holder);
    // Once the other writer is gone, the same store writes again: nothing was half-written.
    EXPECT_TRUE(store.begin_run(sample_run()));
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM runs"), 1);
}

TEST_F(StoreTest, ExclusiveLockBlocksOpen) {
    { open_store(); }
    sqlite3* holder = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &holder), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(holder, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    auto store = st::Store::open(db_path(), short_busy());
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().message.find(db_path().string()), std::string::npos);
    EXPECT_NE(store.error().message.find("locked"), std::string::npos) << store.error().message;
    sqlite3_close(holder);
}

// Root ignores file modes, so the read-only case runs in a child that drops to "nobody".
TEST_F(StoreTest, ReadOnlyFileIsRefused) {
    { open_store(); }
    raw_sql(db_path(), "PRAGMA journal_mode = DELETE");
    std::filesystem::permissions(db_path(), std::filesystem::perms::owner_read |
                                                std::filesystem::perms::group_read |
                                                std::filesystem::perms::others_read);
    std::filesystem::permissions(dir(), std::filesystem::perms::all);
    std::array<int, 2> fds{};
    ASSERT_EQ(pipe(fds.data()), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(fds[0]);
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
        auto store = st::Store::open(db_path());
        const std::string message = store ? "opened" : store.error().message;
        const auto written = ::write(fds[1], message.data(), message.size());
        _exit(written < 0 ? 4 : 0);
    }
    ::close(fds[1]);
    std::string message;
    std::array<char, 512> buf{};
    ssize_t n = 0;
    while ((n = ::read(fds[0], buf.data(), buf.size())) > 0)
        message.append(buf.data(), static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    EXPECT_NE(message.find(db_path().string()), std::string::npos) << message;
    EXPECT_NE(message.find("read-only"), std::string::npos) << message;
}

TEST_F(StoreTest, FullDatabaseFailsCleanlyAndKeepsCommittedResults) {
    { open_store(); }
    const auto pages = raw_int(db_path(), "PRAGMA page_count");
    auto store = open_store(capped(pages + 8));
    auto run = ok(store.begin_run(sample_run()));
    const std::string big(2000, 'T');
    int committed = 0;
    st::Result<void> last;
    for (int i = 0; i < 1000 && last; ++i) {
        auto slot = store.begin_slot(run, sample_slot("S" + std::to_string(i)));
        if (!slot) {
            last = tl::unexpected(slot.error());
            break;
        }
        last = store.record_transcript(*slot, big);
        if (last) last = store.finish_slot(*slot, sample_finish("F" + std::to_string(i), "1", "2"));
        if (last) ++committed;
    }
    ASSERT_FALSE(last) << "the capped database never filled up";
    EXPECT_NE(last.error().message.find(db_path().string()), std::string::npos);
    EXPECT_NE(last.error().message.find("full"), std::string::npos) << last.error().message;
    EXPECT_GT(committed, 0);
    auto rows = ok(store.results_for_run(run));
    EXPECT_GE(rows.size(), static_cast<std::size_t>(committed));
    EXPECT_TRUE(ok(store.check()).ok());
}

TEST(StoreDefaultPath, FollowsStationDbThenXdgThenHome) {
    auto env = [](std::map<std::string, std::string> vars) {
        return [vars](const char* name) -> std::optional<std::string> {
            auto found = vars.find(name);
            if (found == vars.end()) return std::nullopt;
            return found->second;
        };
    };
    EXPECT_EQ(*st::default_db_path(env({{"STATION_DB", "/x/s.db"}, {"HOME", "/home/a"}})),
              "/x/s.db");
    EXPECT_EQ(*st::default_db_path(env({{"XDG_DATA_HOME", "/data"}, {"HOME", "/home/a"}})),
              "/data/station/station.db");
    EXPECT_EQ(*st::default_db_path(env({{"XDG_DATA_HOME", "relative"}, {"HOME", "/home/a"}})),
              "/home/a/.local/share/station/station.db");
    EXPECT_EQ(*st::default_db_path(env({{"STATION_DB", ""}, {"HOME", "/home/a"}})),
              "/home/a/.local/share/station/station.db");
    auto none = st::default_db_path(env({}));
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("--db"), std::string::npos);
}

}  // namespace
}  // namespace tests::store

namespace tests::store {
namespace {

// Access::read_only (issue 12, item 8): nothing is written, not even a migration or the
// recovery of interrupted runs; write calls fail; a missing file is not created.
TEST_F(StoreTest, ReadOnlyAccessWritesNothing) {
    {
        auto store = open_store();
        ok(store.begin_run(sample_run()));
    }
    raw_sql(db_path(), "UPDATE runs SET owner_pid = 999999999");  // its station is gone
    st::OpenOptions options;
    options.access = st::Access::read_only;
    {
        auto store = ok(st::Store::open(db_path(), options));
        EXPECT_TRUE(store.recovered_runs().empty());
        auto run = ok(store.run(st::RunId{1}));
        ASSERT_TRUE(run.has_value());
        EXPECT_FALSE(run->interrupted) << "recovery is a write";
        auto refused = store.begin_run(sample_run("PAL-2"));
        ASSERT_FALSE(refused);
        EXPECT_NE(refused.error().message.find("opened read-only"), std::string::npos);
    }
    EXPECT_EQ(raw_int(db_path(), "SELECT count(*) FROM runs WHERE interrupted = 0"), 1);

    const auto missing = std::filesystem::path(dir()) / "none.db";
    auto none = st::Store::open(missing, options);
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("no such database"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(missing));
}

}  // namespace
}  // namespace tests::store
