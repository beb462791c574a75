// Pallet benchmark: `station provision`'s workflow over pallets of 1, 8, 32 and 128 routersim
// units, with a realistic per-command latency (50 ms) and with none. Prints, per pallet:
// wall time, the slowest single unit's time, their ratio (target at 128 slots: <= 1.03) and
// the station's CPU time per unit. Run: build/tests/bench/pallet_bench [--quick]
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <mutex>

#include <profiles/loader.hpp>
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
};

Figures run_pallet(int units, int latency_ms, const profiles::ProfileSet& set) {
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
    NullSink sink;
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
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const auto set = profiles::load_profile_dir(STATION_SOURCE_DIR "/profiles");
    if (!set.ok()) {
        std::fprintf(stderr, "pallet_bench: %s\n", set.error_text().c_str());
        return 2;
    }
    std::printf("%-7s %-10s %-8s %-10s %-12s %-8s %s\n", "units", "latency", "wall_s", "slowest_s",
                "wall/slowest", "cpu_ms", "passed");
    const std::vector<int> sizes = quick ? std::vector<int>{1, 8} : std::vector<int>{1, 8, 32, 128};
    for (const int latency : {50, 0}) {
        for (const int units : sizes) {
            const auto f = run_pallet(units, latency, set);
            std::printf("%-7d %-10s %-8.3f %-10.3f %-12.3f %-8.2f %zu/%d\n", units,
                        (std::to_string(latency) + " ms").c_str(), f.wall_s, f.slowest_unit_s,
                        f.wall_s / f.slowest_unit_s, f.cpu_ms_per_unit, f.passed, units);
            std::fflush(stdout);
        }
    }
    return 0;
}
