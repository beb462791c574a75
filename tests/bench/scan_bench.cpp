// `station scan --identify` on a simulated 24-slot bench: wall time of identifying every slot
// with 1 worker (one slot after another) and with 24 (one thread per slot), against routersim
// with its personalities' own latencies. And the debouncer's cost per 24-device snapshot,
// which the watcher pays on every poll.
#include <benchmark/benchmark.h>

#include <drivers/usb/debouncer.hpp>
#include <station/workflows/scan_rows.hpp>

#include "../integration/sim_bench.hpp"

namespace {

void bm_scan_identify_24_slots(benchmark::State& state) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "24"});
    if (bench.ports().size() != 24) {
        state.SkipWithError("routersim did not start 24 routers");
        return;
    }
    fixtures::rig::Rig rig;
    for (std::size_t i = 0; i < bench.ports().size(); ++i) {
        rig.slots.push_back({"S" + std::to_string(i + 1),
                             fixtures::rig::SlotKind::port,
                             "",
                             bench.ports()[i].path,
                             "",
                             {},
                             0});
    }
    station::workflows::ResolveOptions options;
    options.identify = true;
    options.max_parallel = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
        auto rows = station::workflows::build_rows(&rig, {});
        station::workflows::resolve_rows(rows, options);
        for (const auto& row : rows) {
            if (!row.identify || row.identify->verdict.outcome != station::core::Outcome::pass) {
                state.SkipWithError("a slot did not PASS");
                return;
            }
        }
    }
    state.counters["slots"] = 24;
}
BENCHMARK(bm_scan_identify_24_slots)
    ->Arg(1)
    ->Arg(24)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

void bm_debounce_24_devices(benchmark::State& state) {
    std::vector<drivers::usb::UsbDevice> snapshot;
    for (int i = 1; i <= 24; ++i) {
        drivers::usb::UsbDevice d;
        d.port_chain =
            "1-" + std::to_string((i - 1) / 6 + 1) + "." + std::to_string((i - 1) % 6 + 1);
        d.address = i + 10;
        d.vendor_id = 0x1199;
        d.product_id = 0x9071;
        d.serial = "LF" + std::to_string(1000 + i);
        d.ttys = {{0, "/dev/ttyUSB" + std::to_string(i * 3)},
                  {2, "/dev/ttyUSB" + std::to_string(i * 3 + 1)},
                  {3, "/dev/ttyUSB" + std::to_string(i * 3 + 2)}};
        snapshot.push_back(d);
    }
    drivers::usb::Debouncer debouncer(std::chrono::milliseconds(2000));
    auto now = drivers::usb::Debouncer::Clock::time_point{};
    for (auto _ : state) {
        now += std::chrono::milliseconds(250);
        benchmark::DoNotOptimize(debouncer.update(snapshot, now));
    }
}
BENCHMARK(bm_debounce_24_devices)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
