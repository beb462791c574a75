// Pallet benchmark: `station provision`'s workflow over pallets of 1, 8, 32 and 128 routersim
// units, with a realistic per-command latency (50 ms) and with none. Prints, per pallet:
// wall time, the slowest single unit's time, their ratio (target at 128 slots: <= 1.03), the
// station's CPU time per unit and its peak memory (whole process, and per slot above the
// 1-unit pallet's). Run: build/tests/bench/pallet_bench [--quick | --slots N] (--slots: one
// pallet of N units at 50 ms, e.g. 1024 for a full rig).
// --spread N [--runs R]: R pallets (default 5) of N units (e.g. 64) at 50 ms, timing the events:
// the spread between the first and the last slot's first AT command (the open_port step's
// event, after which identify sends), and per unit the time from its SKU decision to its
// check_duplicates result and to its own result (the store's part at the end of a unit).
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include <profiles/loader.hpp>
#include <station/store/store.hpp>
#include <station/workflows/provision.hpp>

#include "../integration/sim_bench.hpp"
#include "process.hpp"

namespace {

using namespace station;
using Clock = std::chrono::steady_clock;

class NullSink : public workflows::EventSink {
  public:
    void on_event(const workflows::Event& /*event*/) override {}
};

// Steady-clock arrival time of each slot's step events and its result.
class TimingSink : public workflows::EventSink {
  public:
    void on_event(const workflows::Event& e) override {
        const auto now = Clock::now();
        std::lock_guard lock(m_mutex);
        if (e.kind == workflows::EventKind::step_finished) m_at[e.slot][e.step] = now;
        if (e.kind == workflows::EventKind::unit_finished) m_at[e.slot]["(result)"] = now;
        if (e.kind == workflows::EventKind::unit_started) m_at[e.slot]["(started)"] = now;
        if (e.kind == workflows::EventKind::run_started) m_run_started = now;
        if (e.kind == workflows::EventKind::run_finished) m_run_finished = now;
    }
    // Milliseconds from the run's start to each time in `times`.
    std::vector<double> since_start(const std::vector<Clock::time_point>& times) const {
        std::vector<double> out;
        for (const auto t : times) {
            out.push_back(std::chrono::duration<double, std::milli>(t - m_run_started).count());
        }
        return out;
    }
    double run_ms() const {
        return std::chrono::duration<double, std::milli>(m_run_finished - m_run_started).count();
    }
    // Per slot, the time of `what`; slots without it are left out.
    std::vector<Clock::time_point> times(const std::string& what) const {
        std::vector<Clock::time_point> out;
        for (const auto& [slot, steps] : m_at) {
            if (auto found = steps.find(what); found != steps.end()) out.push_back(found->second);
        }
        return out;
    }
    // Per slot, milliseconds from `from` to `to` (slots with both).
    std::vector<double> gaps(const std::string& from, const std::string& to) const {
        std::vector<double> out;
        for (const auto& [slot, steps] : m_at) {
            const auto a = steps.find(from);
            const auto b = steps.find(to);
            if (a == steps.end() || b == steps.end()) continue;
            out.push_back(std::chrono::duration<double, std::milli>(b->second - a->second).count());
        }
        return out;
    }

  private:
    std::mutex m_mutex;
    std::map<std::string, std::map<std::string, Clock::time_point>> m_at;
    Clock::time_point m_run_started;
    Clock::time_point m_run_finished;
};

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
double max_of(const std::vector<double>& v) {
    return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto secs = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return secs(usage.ru_utime) + secs(usage.ru_stime);
}

struct Figures {
    double wall_s = 0;
    double slowest_unit_s = 0;
    double cpu_ms_per_unit = 0;
    std::size_t passed = 0;
    double peak_mib = 0;
};

double peak_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Up to the hard open-files limit, as `station provision` does: a full rig needs more than 1024.
void raise_open_files() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

Figures run_pallet(int units, int latency_ms, const profiles::ProfileSet& set,
                   workflows::EventSink* events = nullptr) {
    tests::SimBench bench({"xr90-na"}, {},
                          {"--count", std::to_string(units), "--latency-ms",
                           std::to_string(latency_ms), "--seed", "7"});
    tests::TempDir dir;
    auto store = store::Store::open(dir.path() + "/bench.db");
    if (!store || bench.ports().size() != static_cast<std::size_t>(units)) {
        std::fprintf(stderr, "pallet_bench: set-up failed\n");
        std::exit(2);
    }
    std::vector<workflows::SlotTarget> slots;
    for (const auto& port : bench.ports()) slots.push_back({port.path, "", port.path});
    workflows::ProvisionOptions options;
    options.profiles = &set;
    options.pallet = set.find("xr90-na");
    options.pallet_id = "BENCH-" + std::to_string(units);
    options.operator_name = "bench";
    NullSink null_sink;
    workflows::EventSink& sink = events != nullptr ? *events : null_sink;
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    const auto summary = workflows::provision(*store, slots, options, sink);
    const auto wall = std::chrono::duration<double>(Clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    if (!summary) {
        std::fprintf(stderr, "pallet_bench: %s\n", summary.error().message.c_str());
        std::exit(2);
    }
    Figures f;
    f.wall_s = wall;
    for (const auto& u : summary->units) {
        f.slowest_unit_s =
            std::max(f.slowest_unit_s, std::chrono::duration<double>(u.elapsed).count());
        if (u.outcome == core::Outcome::pass) ++f.passed;
    }
    f.cpu_ms_per_unit = cpu * 1000.0 / units;
    f.peak_mib = peak_mib();
    return f;
}

void print_row(int units, int latency, const Figures& f) {
    std::printf("%-7d %-10s %-8.3f %-10.3f %-12.3f %-8.2f %-9.1f %zu/%d\n", units,
                (std::to_string(latency) + " ms").c_str(), f.wall_s, f.slowest_unit_s,
                f.wall_s / f.slowest_unit_s, f.cpu_ms_per_unit, f.peak_mib, f.passed, units);
    std::fflush(stdout);
}

// The spread of the slots' first AT commands and the units' time in the store's part, per run
// and the median over the runs.
int spread(int units, int runs, const profiles::ProfileSet& set) {
    std::printf("%d slots at 50 ms, %d runs (ms):\n%-5s %-14s %-22s %-22s %s\n", units, runs, "run",
                "first_AT_span", "check_dup med/max", "store_tail med/max", "passed");
    std::vector<double> spans, dup_med, dup_max, tail_med, tail_max;
    for (int r = 0; r < runs; ++r) {
        TimingSink sink;
        const auto f = run_pallet(units, 50, set, &sink);
        const auto first_at = sink.times("open_port");
        const auto [lo, hi] = std::minmax_element(first_at.begin(), first_at.end());
        spans.push_back(std::chrono::duration<double, std::milli>(*hi - *lo).count());
        const auto dup = sink.gaps("decide_sku", "check_duplicates");
        const auto tail = sink.gaps("decide_sku", "(result)");
        dup_med.push_back(median(dup));
        dup_max.push_back(max_of(dup));
        tail_med.push_back(median(tail));
        tail_max.push_back(max_of(tail));
        std::printf("%-5d %-14.1f %7.1f / %-12.1f %7.1f / %-12.1f %zu/%d\n", r + 1, spans.back(),
                    dup_med.back(), dup_max.back(), tail_med.back(), tail_max.back(), f.passed,
                    units);
        const auto starts = sink.since_start(sink.times("(started)"));
        const auto results = sink.since_start(sink.times("(result)"));
        const auto identified = sink.gaps("open_port", "identify");
        std::printf(
            "      run %.1f ms: units started %.1f..%.1f, identify med/max %.1f/%.1f, "
            "results %.1f..%.1f\n",
            sink.run_ms(), starts.empty() ? 0 : *std::min_element(starts.begin(), starts.end()),
            max_of(starts), median(identified), max_of(identified),
            results.empty() ? 0 : *std::min_element(results.begin(), results.end()),
            max_of(results));
        std::fflush(stdout);
    }
    std::printf("median %-14.1f %7.1f / %-12.1f %7.1f / %-12.1f\n", median(spans), median(dup_med),
                median(dup_max), median(tail_med), median(tail_max));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int only = argc > 2 && std::strcmp(argv[1], "--slots") == 0 ? std::atoi(argv[2]) : 0;
    raise_open_files();
    const auto set = profiles::load_profile_dir(STATION_SOURCE_DIR "/profiles");
    if (!set.ok()) {
        std::fprintf(stderr, "pallet_bench: %s\n", set.error_text().c_str());
        return 2;
    }
    if (argc > 2 && std::strcmp(argv[1], "--spread") == 0) {
        const int runs = argc > 4 && std::strcmp(argv[3], "--runs") == 0 ? std::atoi(argv[4]) : 5;
        return spread(std::atoi(argv[2]), runs, set);
    }
    std::printf("%-7s %-10s %-8s %-10s %-12s %-8s %-9s %s\n", "units", "latency", "wall_s",
                "slowest_s", "wall/slowest", "cpu_ms", "peak_MiB", "passed");
    if (only > 0) {
        // The 1-unit pallet first, so the big one's memory per slot is above it.
        const auto one = run_pallet(1, 50, set);
        print_row(1, 50, one);
        const auto f = run_pallet(only, 50, set);
        print_row(only, 50, f);
        std::printf("peak memory per slot: %.1f KiB\n",
                    (f.peak_mib - one.peak_mib) * 1024.0 / std::max(only - 1, 1));
        return 0;
    }
    const std::vector<int> sizes = quick ? std::vector<int>{1, 8} : std::vector<int>{1, 8, 32, 128};
    for (const int latency : {50, 0}) {
        for (const int units : sizes) print_row(units, latency, run_pallet(units, latency, set));
    }
    return 0;
}
