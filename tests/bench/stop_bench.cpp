// Stop benchmark: how long `station provision` takes to end after Ctrl-C while a unit is in
// flight in a long AT wait (a routersim unit that never answers, --timeout-ms 10000). Issue 12
// item 3 targets 500 ms from the signal to the process's exit (units stored ABORTED, exit 3).
// Prints min / median / max over the runs. Run: build/tests/bench/stop_bench [RUNS]
#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "../integration/sim_bench.hpp"
#include "process.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

bool file_has(const std::string& path, const std::string& text) {
    std::ifstream in(path);
    const std::string all{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return all.find(text) != std::string::npos;
}

// One run: the milliseconds from SIGINT to the station's exit, or -1 when it went wrong.
double one_stop(const tests::SimBench& bench) {
    tests::TempDir dir;
    const std::string events = dir.path() + "/events.jsonl";
    tests::BackgroundProcess station(
        {tests::station_binary(), "provision", "--profile", "xr90-na", "--pallet", "STOP",
         "--operator", "bench", "--db", dir.path() + "/bench.db", "--timeout-ms", "10000",
         "--json-events", "--no-manifest", "--port", bench.ports()[0].path},
        events);
    const auto give_up = Clock::now() + 10s;
    while (!file_has(events, "\"unit_started\"") && Clock::now() < give_up)
        std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(200ms);  // well inside the first AT command's 10 s wait
    const auto signalled = Clock::now();
    station.signal(SIGINT);
    const auto status = station.wait(10s);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - signalled).count();
    if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 3) return -1;
    return ms;
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 9;
    tests::SimBench bench({"xr90-na"}, {"silent"}, {"--latency-ms", "0"});
    if (bench.ports().size() != 1U) {
        std::fprintf(stderr, "stop_bench: routersim did not start\n");
        return 2;
    }
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const double one = one_stop(bench);
        if (one < 0) {
            std::fprintf(stderr, "stop_bench: run %d did not end with exit 3 in 10 s\n", i + 1);
            return 1;
        }
        ms.push_back(one);
    }
    std::sort(ms.begin(), ms.end());
    std::printf(
        "Ctrl-C to exit, a unit in a 10 s AT wait (%d runs): min %.0f ms, median %.0f ms, "
        "max %.0f ms (target <= 500 ms; includes up to 10 ms of polling by this bench)\n",
        runs, ms.front(), ms[ms.size() / 2], ms.back());
    return 0;
}
