// The retest's look-up at depot scale (issue 16, Google Benchmark): a store of 1,000,000 slot
// results (about 1.4 per unit: provision PASS, FAIL, retests; a third of the units queued for
// ALMS, half of those registered), then per unit provisioning_history (by FSN and by IMEI) and
// compare_history. Target: under 1 ms per unit. The filled file is kept in the build folder
// (tests/bench/compare_history_1m.db) and reused while its schema version matches. Run by
// scripts/bench.
#include <benchmark/benchmark.h>

#include <sqlite3.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <station/core/retest.hpp>
#include <station/store/store.hpp>

namespace {

namespace st = station::store;
using station::core::Outcome;

constexpr int k_results = 1'000'000;
constexpr int k_units = 700'000;
constexpr int k_per_run = 100;
constexpr int k_per_transaction = 50'000;

// Wall time per unit of the last (longest) run of bm_retest_lookup, printed at the end.
double g_per_unit_us = 0.0;

std::string digits(long long value, std::size_t width) {
    std::string text = std::to_string(value);
    return std::string(width - text.size(), '0') + text;
}
std::string fsn_of(int unit) {
    return "LA" + digits(unit, 8);
}
std::string imei_of(int unit) {
    return "35327009" + digits(unit, 7);
}
std::string iccid_of(int unit) {
    return "890141042" + digits(unit, 11);
}

std::filesystem::path db_path() {
    return std::filesystem::path(STATION_BINARY_DIR) / "tests/bench/compare_history_1m.db";
}

// Result i: unit i % k_units; every 7th a FAIL, every 10th run a retest.
st::SlotFinish finish_of(int i) {
    const int unit = i % k_units;
    st::SlotFinish f;
    f.identity.fsn = fsn_of(unit);
    f.identity.imei = imei_of(unit);
    f.identity.iccid = iccid_of(unit);
    f.identity.firmware = "SWI9X50C_01.14.03.00";
    f.region = station::core::Region::na;
    f.data_center = station::core::DataCenter::na;
    f.outcome = i % 7 == 3 ? Outcome::fail : Outcome::pass;
    if (f.outcome == Outcome::fail) f.reason = station::core::Reason::sku_mismatch;
    f.profile = "xr90-na";
    f.ended = st::from_ms(1'790'000'000'000 + i);
    return f;
}

st::Result<void> fill_run(st::Store& store, int first) {
    const auto mode = (first / k_per_run) % 10 == 9 ? st::RunMode::retest : st::RunMode::provision;
    auto run = store.begin_run({mode, "bench", "PAL-" + std::to_string(first / k_per_run),
                                "xr90-na", st::from_ms(1'790'000'000'000 + first)});
    if (!run) return tl::unexpected(run.error());
    for (int i = first; i < first + k_per_run; ++i) {
        auto slot = store.begin_slot(
            *run, {"A" + std::to_string(i % k_per_run), "1-1", "/dev/ttyUSB2", 1, st::from_ms(0)});
        if (!slot) return tl::unexpected(slot.error());
        const auto finish = finish_of(i);
        if (auto done = store.finish_slot(*slot, finish); !done) return done;
        if (mode == st::RunMode::provision && finish.outcome == Outcome::pass && i % 3 == 0 &&
            i < k_units) {
            st::Registration r;
            r.fsn = r.serial = finish.identity.fsn;
            r.imei = finish.identity.imei;
            r.iccid = finish.identity.iccid;
            r.slot_result = *slot;
            r.queued = finish.ended;
            if (auto queued = store.enqueue_registration(r); !queued) {
                return tl::unexpected(queued.error());
            }
        }
    }
    return store.finish_run(*run, Outcome::pass, st::from_ms(1'790'000'000'000 + first));
}

int raw_int(const std::filesystem::path& path, const char* sql) {
    sqlite3* db = nullptr;
    int value = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW) {
            value = sqlite3_column_int(stmt, 0);
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return value;
}

// Half the queued rows registered, as a pusher would leave them.
bool mark_half_registered(const std::filesystem::path& path) {
    sqlite3* db = nullptr;
    bool ok = sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
              sqlite3_exec(db, "UPDATE outbox SET state = 'registered' WHERE id % 2 = 0", nullptr,
                           nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

// The filled file: reused when complete and of this schema, else written beside and renamed.
std::string prepare_store() {
    const auto path = db_path();
    if (std::filesystem::exists(path) &&
        raw_int(path, "PRAGMA user_version") == st::k_schema_version &&
        raw_int(path, "SELECT count(*) FROM slot_results") == k_results) {
        return {};
    }
    const auto partial = std::filesystem::path(path.string() + ".partial");
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(partial.string() + suffix);
    }
    const auto started = std::chrono::steady_clock::now();
    {
        st::OpenOptions options;
        options.cache_kib = 512 * 1024;  // the whole file's pages: index inserts never reread
        auto store = st::Store::open(partial, options);
        if (!store) return store.error().message;
        for (int first = 0; first < k_results; first += k_per_transaction) {
            auto done = store->bulk([&]() -> st::Result<void> {
                for (int run = first; run < first + k_per_transaction; run += k_per_run) {
                    if (auto filled = fill_run(*store, run); !filled) return filled;
                }
                return {};
            });
            if (!done) return done.error().message;
        }
    }
    if (!mark_half_registered(partial)) return "cannot mark outbox rows registered";
    std::filesystem::rename(partial, path);
    const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    std::fprintf(stderr, "filled %d results in %.1f s: %s\n", k_results, took.count(),
                 path.c_str());
    return {};
}

// The n-th unit retested: a third come back with a new SIM, every 11th is a unit the store never
// saw.
station::core::RetestedUnit retested(int n) {
    const int unit = n % 11 == 10 ? k_units + n : (n * 7919) % k_units;
    station::core::RetestedUnit now;
    now.identity.fsn = fsn_of(unit);
    now.identity.imei = imei_of(unit);
    now.identity.iccid = (n + 1) % 3 == 0 ? iccid_of(unit + 1) : iccid_of(unit);
    now.identity.firmware = "SWI9X50C_01.14.03.00";
    now.profile = "xr90-na";
    now.region = station::core::Region::na;
    return now;
}

// One unit per iteration (retested()): looked up by FSN and IMEI, then compared.
void bm_retest_lookup(benchmark::State& state) {
    // Filled and opened once: Google Benchmark calls this function several times.
    static const std::string failed = prepare_store();
    if (!failed.empty()) {
        state.SkipWithError(failed.c_str());
        return;
    }
    static auto store = [] {
        st::OpenOptions options;
        options.access = st::Access::read_only;
        return st::Store::open(db_path(), options);
    }();
    if (!store) {
        state.SkipWithError(store.error().message.c_str());
        return;
    }
    std::size_t findings = 0;
    int next = 0;
    const auto started = std::chrono::steady_clock::now();
    for (auto _ : state) {
        const auto now = retested(next++);
        auto history = store->provisioning_history(now.identity.fsn, now.identity.imei);
        if (!history) {
            state.SkipWithError(history.error().message.c_str());
            return;
        }
        findings += station::core::compare_history(*history, now).size();
    }
    const std::chrono::duration<double, std::micro> took =
        std::chrono::steady_clock::now() - started;
    g_per_unit_us = took.count() / std::max(next, 1);
    state.counters["findings_per_unit"] =
        static_cast<double>(findings) / static_cast<double>(std::max<int>(next, 1));
    state.counters["results"] = k_results;
}
BENCHMARK(bm_retest_lookup)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    std::cout << "per unit: provisioning_history + compare_history against " << k_results
              << " results: " << g_per_unit_us << " us wall (target: under 1000 us)\n";
    return g_per_unit_us > 0.0 && g_per_unit_us < 1000.0 ? 0 : 1;
}
