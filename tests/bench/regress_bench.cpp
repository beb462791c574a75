// The nightly regression at rig scale (issue 17): `station regress --iterations 10` over a rig of
// 24 routersim units (50 ms per AT command), against the same night over ONE of those units
// alone (its own time). Target: the 24-slot night takes at most 1.05 x the one-slot night, i.e.
// the slots run side by side and a night costs what its slowest slot costs. Each night runs as
// the station binary does (its own process, a golden file recorded first, a real SQLite file).
// Run: build/tests/bench/regress_bench [--slots N] [--iterations N] [--latency-ms N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "../integration/sim_bench.hpp"
#include "process.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::minutes k_bound{20};

struct Options {
    int slots = 24;
    int iterations = 10;
    int latency_ms = 50;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const int value = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--slots") == 0) o.slots = value;
        if (std::strcmp(argv[i], "--iterations") == 0) o.iterations = value;
        if (std::strcmp(argv[i], "--latency-ms") == 0) o.latency_ms = value;
    }
    if (o.slots < 1 || o.iterations < 1 || o.latency_ms < 0) {
        std::fprintf(stderr, "regress_bench: --slots, --iterations >= 1, --latency-ms >= 0\n");
        std::exit(64);
    }
    return o;
}

// A rig of the first `count` ports in `dir`, its golden file recorded; returns the rig path.
std::string prepare(const tests::SimBench& bench, int count, const std::string& dir) {
    const std::string rig = dir + "/rig.toml";
    std::ofstream out(rig, std::ios::trunc);
    out << "name = \"bench-rig-" << count << "\"\n";
    for (int i = 0; i < count; ++i) {
        out << "[[slot]]\nlabel = \"S" << (i + 1) << "\"\nport = \""
            << bench.ports()[static_cast<std::size_t>(i)].path << "\"\n";
    }
    out.close();
    const auto r =
        tests::run_process({tests::station_binary(), "regress", "--rig", rig, "--record-golden",
                            dir + "/golden.toml", "--db", dir + "/station.db", "--force"},
                           k_bound);
    if (r.exit_code != 0) {
        std::fprintf(stderr, "regress_bench: recording the golden file failed:\n%s%s\n",
                     r.out.c_str(), r.err.c_str());
        std::exit(2);
    }
    return rig;
}

// Wall seconds of one night over the rig in `dir`.
double night(const std::string& dir, int iterations) {
    const auto start = Clock::now();
    const auto r =
        tests::run_process({tests::station_binary(), "regress", "--rig", dir + "/rig.toml",
                            "--golden", dir + "/golden.toml", "--db", dir + "/station.db",
                            "--iterations", std::to_string(iterations), "--deadline-min", "30"},
                           k_bound);
    const double took = std::chrono::duration<double>(Clock::now() - start).count();
    if (r.exit_code != 0) {
        std::fprintf(stderr, "regress_bench: the night did not pass (exit %d):\n%s%s\n",
                     r.exit_code, r.out.c_str(), r.err.c_str());
        std::exit(2);
    }
    return took;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    tests::SimBench bench(
        {"xr90-na"}, {},
        {"--count", std::to_string(o.slots), "--latency-ms", std::to_string(o.latency_ms)});
    if (bench.ports().size() != static_cast<std::size_t>(o.slots)) {
        std::fprintf(stderr, "regress_bench: routersim did not come up with %d ports\n", o.slots);
        return 2;
    }
    const tests::TempDir all;
    const tests::TempDir one;
    prepare(bench, o.slots, all.path());
    prepare(bench, 1, one.path());
    const double alone = night(one.path(), o.iterations);
    const double rig = night(all.path(), o.iterations);
    std::printf(
        "regress night, %d iterations at %d ms per command: %d slots %.3f s, 1 slot %.3f s,"
        " ratio %.3f (target: <= 1.05)\n",
        o.iterations, o.latency_ms, o.slots, rig, alone, rig / alone);
    return 0;
}
