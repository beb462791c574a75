// Checkpointer: the WAL's checkpoints on a thread and connection of their own (store_impl.hpp).
//
// Why it is built this way: a checkpoint copies the pages the WAL holds into the database file
// and syncs both files. SQLite runs it inside the COMMIT that crosses 1000 frames, on the
// writer thread, so every slot waiting for that commit waited for the fsyncs too. A PASSIVE
// checkpoint on another connection runs beside the writer (it takes the checkpoint lock, not
// the write lock) and never waits for it. The thread and its connection start at the first
// commit that crosses the bound: a command that writes little never starts them.
#include "store_impl.hpp"

#include <sqlite3.h>

namespace station::store {

namespace {

// SQLite's default automatic checkpoint bound, in WAL frames (pages): the checkpointer is woken
// once per this many frames written.
constexpr int k_checkpoint_frames = 1000;
// Past this many frames (about 40 MB of 4 KiB pages) the writer checkpoints by itself: under a
// steady load the checkpointer is always a commit behind, and the WAL starts again from its
// beginning only after a checkpoint that leaves no frame behind. (A reader that keeps an old
// snapshot open holds the WAL back from both, as it would SQLite's own checkpoint.)
constexpr int k_writer_checkpoint_frames = 10000;

// After each commit, with the WAL's size in frames. Commits are made one at a time on the
// connection, so impl.wal_frames_checkpointed needs no lock of its own.
int wal_hook(void* arg, sqlite3* db, const char* name, int frames) {
    auto& impl = *static_cast<Store::Impl*>(arg);
    int& last = impl.wal_frames_checkpointed;
    if (frames < last) last = 0;  // the WAL started again from its beginning
    // A checkpoint per 1000 frames written, as SQLite's own: not one per commit.
    if (frames - last < k_checkpoint_frames) return SQLITE_OK;
    last = frames;
    // Errors are left to the next commit, as SQLite's own automatic checkpoint does: what is
    // not checkpointed stays in the WAL, committed.
    if (frames >= k_writer_checkpoint_frames) {
        // Every frame up to this commit goes into the file here, so the next commit starts the
        // WAL again from its beginning.
        impl.checkpointer.hold();
        (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        impl.checkpointer.release();
    } else if (!impl.checkpointer.wake()) {
        (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    return SQLITE_OK;
}

}  // namespace

void install_wal_hook(Store::Impl& impl, Sync sync) {
    impl.checkpointer.set_database(impl.path, sync);
    // Replaces the automatic checkpoint (sqlite3_wal_autocheckpoint is this hook's default).
    sqlite3_wal_hook(impl.db, &wal_hook, &impl);
}

void Checkpointer::set_database(std::filesystem::path path, Sync sync) {
    const std::lock_guard<std::mutex> guard(m_mutex);
    m_path = std::move(path);
    m_sync = sync;
}

bool Checkpointer::wake() {
    {
        const std::lock_guard<std::mutex> guard(m_mutex);
        if (m_failed || m_stopping || m_path.empty()) return false;
        m_pending = true;
        if (!m_thread.joinable()) {
            m_thread = std::thread([this] { loop(); });
            return true;
        }
    }
    m_woken.notify_one();
    return true;
}

void Checkpointer::stop() {
    {
        const std::lock_guard<std::mutex> guard(m_mutex);
        m_stopping = true;
    }
    m_woken.notify_one();
    if (m_thread.joinable()) m_thread.join();
}

void Checkpointer::hold() {
    std::unique_lock<std::mutex> guard(m_mutex);
    m_held = true;
    m_idle.wait(guard, [&] { return !m_in_pass; });
}

void Checkpointer::release() {
    {
        const std::lock_guard<std::mutex> guard(m_mutex);
        m_held = false;
    }
    m_woken.notify_one();
}

// m_path and m_sync are set before the thread starts and never change after.
void Checkpointer::loop() {
    sqlite3* db = nullptr;
    // Not SQLITE_OPEN_CREATE: a database removed meanwhile is not made again here.
    int rc =
        sqlite3_open_v2(m_path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    // The checkpoint's syncs follow this connection's setting: the store's own.
    if (rc == SQLITE_OK) {
        rc = sqlite3_exec(db, synchronous_pragma(m_sync), nullptr, nullptr, nullptr);
    }
    if (rc != SQLITE_OK) {
        sqlite3_close_v2(db);
        const std::lock_guard<std::mutex> guard(m_mutex);
        m_failed = true;  // the writer's hook checkpoints by itself from now on
        return;
    }
    for (;;) {
        {
            std::unique_lock<std::mutex> guard(m_mutex);
            m_woken.wait(guard, [&] { return (m_pending && !m_held) || m_stopping; });
            if (m_stopping) break;
            m_pending = false;
            m_in_pass = true;
        }
        // SQLITE_BUSY (another process's checkpoint) and I/O errors are left to the next pass:
        // the frames stay in the WAL, committed.
        (void)sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        m_passes.fetch_add(1);
        {
            const std::lock_guard<std::mutex> guard(m_mutex);
            m_in_pass = false;
        }
        m_idle.notify_all();
    }
    sqlite3_close_v2(db);
}

}  // namespace station::store
