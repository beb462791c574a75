// The nightly regression's outputs at the size of a full rig (issue 17): the HTML report (with
// its inline SVG charts) for 30 nights x 24 slots, then JUnit and JSON, and the three together,
// which must stay under 1 s (the slowest iteration is checked). Run by scripts/bench.
#include <benchmark/benchmark.h>

#include <chrono>

#include <regress_sample.hpp>
#include <station/report/regress.hpp>

namespace {

constexpr std::size_t k_slots = 24;
constexpr std::size_t k_nights = 30;
constexpr auto k_budget = std::chrono::seconds(1);

const station::core::RegressReport& full_rig() {
    static const auto report = tests::regress_sample(k_slots, k_nights, true);
    return report;
}

template <std::string (*Writer)(const station::core::RegressReport&)>
void bm_writer(benchmark::State& state) {
    const auto& report = full_rig();
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string out = Writer(report);
        bytes = out.size();
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes"] = static_cast<double>(bytes);
    state.counters["trend_points"] = static_cast<double>(report.trend.size());
}
BENCHMARK(bm_writer<station::report::regress_html>)
    ->Name("regress_html/30_nights_x_24_slots")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(bm_writer<station::report::regress_junit>)
    ->Name("regress_junit/30_nights_x_24_slots")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(bm_writer<station::report::regress_json>)
    ->Name("regress_json/30_nights_x_24_slots")
    ->Unit(benchmark::kMillisecond);

// HTML, JUnit and JSON of one night, as `station regress` writes them: each iteration under 1 s.
void bm_regress_outputs(benchmark::State& state) {
    const auto& report = full_rig();
    std::chrono::steady_clock::duration slowest{0};
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(station::report::regress_html(report).size());
        benchmark::DoNotOptimize(station::report::regress_junit(report).size());
        benchmark::DoNotOptimize(station::report::regress_json(report).size());
        slowest = std::max(slowest, std::chrono::steady_clock::now() - start);
    }
    state.counters["slowest_ms"] = std::chrono::duration<double, std::milli>(slowest).count();
    if (slowest >= k_budget) state.SkipWithError("HTML + JUnit + JSON took 1 s or more");
}
BENCHMARK(bm_regress_outputs)
    ->Name("regress_outputs/30_nights_x_24_slots")
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
