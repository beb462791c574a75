// The station's own CPU per identify, and per AT command, against a zero-latency routersim
// on a real pty. routersim runs as a separate process, so the CPU counted here (this
// thread's, CLOCK_THREAD_CPUTIME_ID) is the station's alone: serial I/O, framing, parsing.
// Target (issue 2): at most 0.1 ms of station CPU per command.
#include <benchmark/benchmark.h>
#include <time.h>

#include <drivers/at/channel.hpp>
#include <drivers/router/identifier.hpp>
#include <drivers/serial/serial_port.hpp>

#include "../integration/sim_bench.hpp"

namespace {

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void bm_identify_zero_latency(benchmark::State& state) {
    tests::SimBench bench({"em7455-att"}, {}, {"--latency-ms", "0"});
    if (bench.ports().empty()) {
        state.SkipWithError("routersim did not start");
        return;
    }
    auto port = drivers::serial::open_port(bench.ports()[0].path, {});
    if (!port) {
        state.SkipWithError(port.error().message.c_str());
        return;
    }
    double cpu = 0;
    std::size_t commands = 0;
    for (auto _ : state) {
        drivers::at::Channel channel(**port);
        const double before = thread_cpu_seconds();
        const auto report = drivers::router::identify(channel, drivers::router::default_plan(),
                                                      {std::chrono::milliseconds(2000)});
        cpu += thread_cpu_seconds() - before;
        if (report.verdict.outcome != station::core::Outcome::pass) {
            state.SkipWithError(report.verdict.message.c_str());
            return;
        }
        for (const auto& entry : channel.transcript().entries()) {
            if (entry.direction == drivers::at::Direction::tx) ++commands;
        }
    }
    const auto n = static_cast<double>(state.iterations());
    state.counters["commands_per_identify"] = static_cast<double>(commands) / n;
    state.counters["station_cpu_us_per_identify"] = cpu / n * 1e6;
    state.counters["station_cpu_us_per_command"] = cpu / static_cast<double>(commands) * 1e6;
}
BENCHMARK(bm_identify_zero_latency)->Unit(benchmark::kMillisecond)->Iterations(100);

}  // namespace

BENCHMARK_MAIN();
