// Internal to station_store (with store_impl.hpp, which includes it); its own header so that its
// unit test reaches it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>

#include <station/store/store.hpp>

namespace station::store {

// Checkpoints of the write-ahead log, off the writer's path (checkpointer.cpp). SQLite's own
// automatic checkpoint runs inside the COMMIT that crosses 1000 WAL frames: the writer thread
// copies every changed page into the database file and waits for two fsyncs while 64 slots
// queue behind it (about a quarter of the writer's time in store_bench). Instead, the WAL hook
// (install_wal_hook) wakes this thread, which checkpoints PASSIVE on a connection of its own,
// concurrently with the writer. The writer still checkpoints by itself at a hard bound
// (k_writer_checkpoint_frames) so the WAL stays bounded when this thread cannot keep up, and at
// the soft bound when this thread could not open its connection: what SQLite would do.
class Checkpointer {
  public:
    Checkpointer() = default;
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;
    ~Checkpointer() { stop(); }

    // The database to checkpoint, and how its checkpoints sync: the store's own setting. Set
    // once, before the first wake.
    void set_database(std::filesystem::path path, Sync sync);
    // Wakes the thread, started (with its connection to the database) the first time; false
    // when it cannot run (no database set, stopped, or its connection failed): the caller
    // checkpoints itself.
    bool wake();
    // Stops the thread and closes its connection (before the store's own connection closes, so
    // that the last close still checkpoints the whole WAL and removes it).
    void stop();
    // While held, the thread starts no pass; hold() first waits for the one it is in. The writer
    // holds it around its own checkpoint at the hard bound: a PASSIVE checkpoint fails at once
    // (SQLITE_BUSY) while another runs, and with a commit every few milliseconds the thread is
    // nearly always in one.
    void hold();
    void release();
    // Passes made so far (for tests).
    std::uint64_t passes() const { return m_passes.load(); }

  private:
    void loop();

    std::filesystem::path m_path;
    Sync m_sync = Sync::normal;
    std::mutex m_mutex;
    std::condition_variable m_woken;
    std::condition_variable m_idle;  // a pass ended
    bool m_pending = false;
    bool m_in_pass = false;
    bool m_held = false;
    bool m_stopping = false;
    bool m_failed = false;
    std::thread m_thread;
    std::atomic<std::uint64_t> m_passes{0};
};

}  // namespace station::store
