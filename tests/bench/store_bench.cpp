// Store benchmark: history look-ups among 1,000,000 slot results, and the sustained insert rate
// of 64 concurrent slot threads (each call commits), for one shared Store (one connection, a
// mutex) against one Store per thread (connections contending on SQLite's write lock).
//   store_bench [--results N] [--threads T] [--seconds S] [--steps K] [--dir DIR]
// Targets (issue 4): look-up median < 1 ms; >= 5000 results/s from 64 slots.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <process.hpp>
#include <station/store/store.hpp>

namespace st = station::store;
using station::core::Outcome;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::int64_t results = 1'000'000;
    int threads = 64;
    double seconds = 5.0;
    int steps = 5;
    std::string dir;
};

st::TimePoint t(std::int64_t ms) {
    return st::from_ms(1'790'000'000'000 + ms);
}

std::string fsn_of(std::int64_t unit) {
    return "FSN" + std::to_string(100000000 + unit);
}
std::string imei_of(std::int64_t unit) {
    return "35" + std::to_string(1000000000000 + unit);
}
std::string iccid_of(std::int64_t unit, std::int64_t sim) {
    return "8901" + std::to_string(100000000000000 + unit * 4 + sim);
}

void check(bool good, const std::string& what) {
    if (!good) {
        std::cerr << "store_bench: " << what << '\n';
        std::exit(1);
    }
}

// N slot results in runs of 128 slots; each unit is seen about three times (a SIM swapped on
// every tenth), each result with one step and a device sighting. One transaction.
void fill(st::Store& store, std::int64_t results) {
    const std::int64_t units = std::max<std::int64_t>(1, results / 3);
    const auto done = store.bulk([&]() -> st::Result<void> {
        st::RunId run;
        for (std::int64_t i = 0; i < results; ++i) {
            if (i % 128 == 0) {
                auto r = store.begin_run({st::RunMode::provision, "bench",
                                          "PAL-" + std::to_string(i / 128), "xr90-na", t(i)});
                if (!r) return tl::unexpected(r.error());
                run = *r;
            }
            const std::int64_t unit = (i * 7919) % units;
            const std::int64_t sim = (unit % 10 == 0 && i >= units) ? 1 : 0;
            auto slot = store.begin_slot(
                run, {"S" + std::to_string(i % 128), "1-1." + std::to_string(i % 7),
                      "/dev/ttyUSB" + std::to_string(i % 128), 1, t(i)});
            if (!slot) return tl::unexpected(slot.error());
            auto step = store.record_step(
                *slot, {"identify", Outcome::pass, std::nullopt, "ok", t(i), t(i + 1)});
            if (!step) return step;
            st::SlotFinish finish;
            finish.identity.fsn = fsn_of(unit);
            finish.identity.imei = imei_of(unit);
            finish.identity.iccid = iccid_of(unit, sim);
            finish.identity.model = "EM7565";
            finish.outcome = Outcome::pass;
            finish.region = station::core::Region::na;
            finish.data_center = station::core::DataCenter::na;
            finish.ended = t(i + 2);
            auto finished = store.finish_slot(*slot, finish);
            if (!finished) return finished;
            auto device = store.upsert_device({finish.identity.fsn, finish.identity.imei,
                                               finish.identity.iccid, t(i + 2), *slot});
            if (!device) return tl::unexpected(device.error());
        }
        return {};
    });
    check(done.has_value(), done ? "" : done.error().message);
}

void lookups(st::Store& store, std::int64_t results) {
    const std::int64_t units = std::max<std::int64_t>(1, results / 3);
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::int64_t> pick(0, units - 1);
    for (const auto key : {st::UnitKey::fsn, st::UnitKey::imei, st::UnitKey::iccid}) {
        std::vector<double> us;
        std::size_t rows = 0;
        for (int i = 0; i < 20000; ++i) {
            const std::int64_t unit = pick(rng);
            const std::string value = key == st::UnitKey::fsn    ? fsn_of(unit)
                                      : key == st::UnitKey::imei ? imei_of(unit)
                                                                 : iccid_of(unit, 0);
            const auto start = Clock::now();
            auto history = store.history(key, value);
            const auto end = Clock::now();
            check(history.has_value(), "history failed");
            rows += history->size();
            us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
        }
        std::sort(us.begin(), us.end());
        std::printf(
            "history by %-5s: median %7.1f us  p99 %7.1f us  max %8.1f us  (%.2f rows/look-up)\n",
            std::string(st::to_string(key)).c_str(), us[us.size() / 2], us[us.size() * 99 / 100],
            us.back(), static_cast<double>(rows) / static_cast<double>(us.size()));
    }
}

enum class Sharing { one_store, store_per_thread };

double insert_rate(const std::string& path, const Options& o, Sharing sharing, st::Sync sync) {
    st::OpenOptions options;
    options.sync = sync;
    options.busy_timeout = std::chrono::seconds(30);
    auto shared = st::Store::open(path, options);
    check(shared.has_value(), shared ? "" : shared.error().message);
    auto run = shared->begin_run({st::RunMode::provision, "bench", "PAL-RATE", "xr90-na", t(0)});
    check(run.has_value(), "begin run");
    std::atomic<bool> stop{false};
    std::atomic<std::int64_t> done{0};
    std::atomic<std::int64_t> errors{0};
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int th = 0; th < o.threads; ++th) {
        threads.emplace_back([&, th] {
            std::optional<st::Store> own;
            if (sharing == Sharing::store_per_thread) {
                auto opened = st::Store::open(path, options);
                if (!opened) {
                    ++errors;
                    return;
                }
                own.emplace(std::move(*opened));
            }
            st::Store& store = own ? *own : *shared;
            for (std::int64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
                auto slot = store.begin_slot(
                    *run, {"S" + std::to_string(th), "1-1", "/dev/ttyUSB0", 1, t(i)});
                bool good = slot.has_value();
                for (int s = 0; good && s < o.steps; ++s) {
                    good = store
                               .record_step(*slot,
                                            {"step", Outcome::pass, std::nullopt, "ok", t(i), t(i)})
                               .has_value();
                }
                st::SlotFinish finish;
                finish.identity.fsn = "RATE-" + std::to_string(th) + "-" + std::to_string(i);
                finish.outcome = Outcome::pass;
                finish.ended = t(i);
                good = good && store.finish_slot(*slot, finish).has_value();
                if (good) {
                    ++done;
                } else {
                    ++errors;
                }
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
    stop = true;
    for (auto& th : threads) th.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const double rate = static_cast<double>(done.load()) / elapsed;
    std::printf(
        "insert, %d slot threads, %s, synchronous=%s: %8.0f results/s (%d commits each; %lld "
        "errors)\n",
        o.threads, sharing == Sharing::one_store ? "one shared Store " : "one Store/thread",
        sync == st::Sync::full ? "FULL  " : "NORMAL", rate, o.steps + 2,
        static_cast<long long>(errors.load()));
    return rate;
}

void remove_db(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--results")
            o.results = std::stoll(value);
        else if (flag == "--threads")
            o.threads = std::stoi(value);
        else if (flag == "--seconds")
            o.seconds = std::stod(value);
        else if (flag == "--steps")
            o.steps = std::stoi(value);
        else if (flag == "--dir")
            o.dir = value;
        else
            check(false, "unknown option " + flag);
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    tests::TempDir temp;
    const std::string dir = o.dir.empty() ? temp.path() : o.dir;
    const std::string big = dir + "/big.db";
    remove_db(big);
    {
        auto store = st::Store::open(big);
        check(store.has_value(), store ? "" : store.error().message);
        const auto start = Clock::now();
        fill(*store, o.results);
        const double s = std::chrono::duration<double>(Clock::now() - start).count();
        std::printf(
            "fill: %lld slot results in one transaction: %.1f s (%.0f results/s), file %.0f MB\n",
            static_cast<long long>(o.results), s, static_cast<double>(o.results) / s,
            static_cast<double>(std::filesystem::file_size(big) +
                                std::filesystem::file_size(big + "-wal")) /
                1e6);
        lookups(*store, o.results);
    }
    for (const auto sharing : {Sharing::one_store, Sharing::store_per_thread}) {
        const std::string path = dir + "/rate.db";
        remove_db(path);
        insert_rate(path, o, sharing, st::Sync::normal);
    }
    const std::string path = dir + "/rate.db";
    remove_db(path);
    insert_rate(path, o, Sharing::one_store, st::Sync::full);
    // Insert rate into the big file too: indexes over 1,000,000 rows.
    insert_rate(big, o, Sharing::one_store, st::Sync::normal);
    return 0;
}
