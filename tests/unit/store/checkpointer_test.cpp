// The WAL's checkpoints off the writer's thread (station/store/checkpointer.hpp): the thread
// copies committed frames into the database file on a connection of its own, says when it
// cannot run (the writer then checkpoints by itself), and a store that writes without pause
// keeps its WAL bounded.
#include <sys/stat.h>

#include <thread>

#include <station/store/checkpointer.hpp>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

// Waits up to 10 s for `done`, polling.
template <class Done>
bool eventually(Done&& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

std::int64_t file_size(const std::filesystem::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::int64_t>(st.st_size) : 0;
}

// Rows of `table` in the database FILE alone: a copy without its -wal, so only what a
// checkpoint has written there counts.
std::int64_t rows_in_file(const std::filesystem::path& db, const std::filesystem::path& copy,
                          const std::string& table) {
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(copy.string() + suffix);
    std::filesystem::copy_file(db, copy, std::filesystem::copy_options::overwrite_existing);
    return raw_int(copy, "SELECT count(*) FROM " + table);  // -1 when there is no such table
}

class CheckpointerTest : public StoreTest {};

TEST_F(CheckpointerTest, CopiesCommittedFramesIntoTheDatabaseFile) {
    const auto db = std::filesystem::path(dir()) / "raw.db";
    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &conn), SQLITE_OK);
    // A writer that never checkpoints by itself, with 1,200 rows of 2 KiB in the WAL.
    std::string sql =
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;"
        " CREATE TABLE t(v BLOB); BEGIN;";
    for (int i = 0; i < 1200; ++i) sql += "INSERT INTO t VALUES (zeroblob(2048));";
    sql += "COMMIT;";
    ASSERT_EQ(sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    const auto copy = std::filesystem::path(dir()) / "copy.db";
    EXPECT_EQ(rows_in_file(db, copy, "t"), -1) << "the table is only in the WAL yet";

    st::Checkpointer checkpointer;
    EXPECT_FALSE(checkpointer.wake()) << "no database to checkpoint yet";
    checkpointer.set_database(db, st::Sync::normal);
    ASSERT_TRUE(checkpointer.wake());
    ASSERT_TRUE(eventually([&] { return checkpointer.passes() >= 1; }));
    EXPECT_EQ(rows_in_file(db, copy, "t"), 1200);
    // Woken again, it makes another pass (the writer's hook wakes it once per 1000 frames).
    ASSERT_TRUE(checkpointer.wake());
    EXPECT_TRUE(eventually([&] { return checkpointer.passes() >= 2; }));
    checkpointer.stop();
    EXPECT_FALSE(checkpointer.wake()) << "a stopped checkpointer is not started again";
    sqlite3_close(conn);
}

TEST_F(CheckpointerTest, SaysWhenItCannotOpenTheDatabase) {
    st::Checkpointer checkpointer;
    const auto missing = std::filesystem::path(dir()) / "gone.db";
    // The first wake starts the thread; once its connection failed, wake says so and the
    // writer's hook checkpoints by itself. It never creates the file.
    checkpointer.set_database(missing, st::Sync::normal);
    (void)checkpointer.wake();
    EXPECT_TRUE(eventually([&] { return !checkpointer.wake(); }));
    EXPECT_EQ(checkpointer.passes(), 0U);
    EXPECT_FALSE(std::filesystem::exists(missing));
}

// About 15,000 WAL frames of transcripts written without a pause: the WAL never passes the
// writer's own bound (10,000 frames) by more than what a few commits add, and the database
// file holds the rows while the store is still open.
TEST_F(CheckpointerTest, AStoreWritingWithoutPauseKeepsItsWalBounded) {
    auto store = open_store();
    auto run = ok(store.begin_run(sample_run()));
    auto slot = ok(store.begin_slot(run, sample_slot()));
    const std::string transcript(64 * 1024, 'x');  // 16 pages and a bit
    const auto wal = db_path().string() + "-wal";
    std::int64_t largest = 0;
    for (int i = 0; i < 900; ++i) {
        ok(store.record_transcript(slot, transcript));
        largest = std::max(largest, file_size(wal));
    }
    constexpr std::int64_t k_frame = 4096 + 24;
    EXPECT_GT(largest, 1000 * k_frame) << "the WAL did grow past the checkpoint bound";
    EXPECT_LE(largest, 12000 * k_frame) << "largest WAL " << largest << " bytes";
    const auto copy = std::filesystem::path(dir()) / "copy.db";
    // Checkpoints reached the file while the store is open (a copy taken mid-checkpoint may be
    // torn: try again).
    EXPECT_TRUE(eventually([&] { return rows_in_file(db_path(), copy, "transcripts") >= 500; }));
}

}  // namespace
}  // namespace tests::store
