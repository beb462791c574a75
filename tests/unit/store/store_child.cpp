// Test helper process for the store tests: writes like a station would until killed.
//   store_child write DB PROGRESS   results in a loop from 4 slot threads; after each committed
//                                   result appends its slot result id to PROGRESS (killed
//                                   mid-run by the test)
//   store_child hold DB READY       opens a run and a slot, writes READY, sleeps (a live station)
//   store_child claim DB OWNER      claims NA outbox rows one by one, prints each id, marks it
#include <fcntl.h>
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <station/store/store.hpp>

namespace st = station::store;
using station::core::Outcome;

namespace {

st::TimePoint now() {
    return std::chrono::system_clock::now();
}

int fail(const std::string& message) {
    std::cerr << "store_child: " << message << '\n';
    return 2;
}

constexpr int k_writer_threads = 4;

int write_slots(st::Store& store, st::RunId run, int thread, int fd) {
    for (int i = thread; i < 1'000'000; i += k_writer_threads) {
        auto slot =
            store.begin_slot(run, {"S" + std::to_string(thread), "1-1", "/dev/pts/9", 1, now()});
        if (!slot) return fail(slot.error().message);
        for (const char* step : {"open", "identify", "decide"}) {
            auto done =
                store.record_step(*slot, {step, Outcome::pass, std::nullopt, "ok", now(), now()});
            if (!done) return fail(done.error().message);
        }
        if (!store.record_transcript(*slot, "> ATI\r\n< OK\r\n")) return fail("transcript");
        st::SlotFinish finish;
        finish.identity.fsn = "FSN-" + std::to_string(i);
        finish.identity.imei = "35" + std::to_string(100000000000 + i);
        finish.identity.iccid = "8901" + std::to_string(1000000000000000 + i);
        finish.outcome = Outcome::pass;
        finish.ended = now();
        auto done = store.finish_slot(*slot, finish);
        if (!done) return fail(done.error().message);
        // One write(2) per line on an O_APPEND file: lines from the threads never interleave.
        const std::string line = std::to_string(slot->value) + "\n";
        if (::write(fd, line.data(), line.size()) < 0) return fail("write progress");
    }
    return 0;
}

int write_loop(st::Store& store, const std::string& progress) {
    const int fd = ::open(progress.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return fail("cannot open " + progress);
    auto run = store.begin_run({st::RunMode::provision, "child", "PAL-KILL", "xr90-na", now()});
    if (!run) return fail(run.error().message);
    std::vector<std::thread> threads;
    std::atomic<int> status{0};
    for (int t = 0; t < k_writer_threads; ++t) {
        threads.emplace_back([&, t] {
            if (const int rc = write_slots(store, *run, t, fd); rc != 0) status = rc;
        });
    }
    for (auto& thread : threads) thread.join();
    return status;
}

int hold(st::Store& store, const std::string& ready) {
    auto run = store.begin_run({st::RunMode::regress, "child", "RIG-LIVE", "xr90-na", now()});
    if (!run) return fail(run.error().message);
    auto slot = store.begin_slot(*run, {"A1", "1-1", "/dev/pts/9", 1, now()});
    if (!slot) return fail(slot.error().message);
    const int fd = ::open(ready.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const std::string line = std::to_string(run->value) + "\n";
    if (fd < 0 || ::write(fd, line.data(), line.size()) < 0) return fail("write ready");
    ::close(fd);
    std::this_thread::sleep_for(std::chrono::seconds(60));
    return 0;
}

int claim(st::Store& store, const std::string& owner) {
    for (;;) {
        auto rows = store.claim_pending(station::core::DataCenter::na, 1,
                                        {owner, now(), now() + std::chrono::minutes(5)});
        if (!rows) return fail(rows.error().message);
        if (rows->empty()) return 0;
        std::cout << rows->front().id.value << '\n';
        auto done = store.mark_registered(rows->front().id, owner, "uid", now());
        if (!done) return fail(done.error().message);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) return fail("usage: store_child write|hold|claim DB ARG");
    const std::string mode = argv[1];
    auto store = st::Store::open(argv[2]);
    if (!store) return fail(store.error().message);
    if (mode == "write") return write_loop(*store, argv[3]);
    if (mode == "hold") return hold(*store, argv[3]);
    if (mode == "claim") return claim(*store, argv[3]);
    return fail("unknown mode " + mode);
}
