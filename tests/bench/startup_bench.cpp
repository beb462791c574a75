// Start-up benchmark (issue 14 item 3): the process CPU (user + sys from wait4's rusage) of
// `station --version`, `station identify` against a zero-latency routersim unit, with and
// without --profile, and `station profiles list`; medians over RUNS runs (default 50).
//
// "Besides the AT work": the same identify (port open, channel, plan) is run RUNS times inside
// this process against the same unit, timed with this process's CPU clock; the station's start-up
// cost is its identify's process CPU minus that median. Two floors are printed beside: /bin/true
// and startup_floor (a C++ program that prints one line): what any exec costs on this machine.
// Run: build/tests/bench/startup_bench [RUNS] [--station PATH] [--compare PATH]
// --station measures another build's station instead; --compare measures a second one too (e.g.
// a build of an older commit), its runs interleaved with the first's so both see the same load.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <drivers/at/channel.hpp>
#include <drivers/router/identifier.hpp>
#include <drivers/serial/serial_port.hpp>

#include "../integration/sim_bench.hpp"

namespace {

double median(std::vector<double> values) {
    if (values.empty()) return -1;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double ms_of(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) * 1e3 + static_cast<double>(tv.tv_usec) / 1e3;
}

// One run's user + sys CPU in ms; -1 when it could not be started or exited `bad_exit`.
double child_cpu_ms(const std::vector<std::string>& argv, int* exit_code) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid) return -1;
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return ms_of(usage.ru_utime) + ms_of(usage.ru_stime);
}

struct Row {
    std::string what;
    std::vector<std::string> argv;
};

double thread_cpu_ms() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// The AT work of one identify, in this process: open the port, run the default plan.
double in_process_identify_ms(const std::string& port_path) {
    const double before = thread_cpu_ms();
    auto port = drivers::serial::open_port(port_path, {});
    if (!port) return -1;
    drivers::at::Channel channel(**port);
    const auto report = drivers::router::identify(channel, drivers::router::default_plan(),
                                                  {std::chrono::milliseconds(2000)});
    const double spent = thread_cpu_ms() - before;
    return report.verdict.outcome == station::core::Outcome::pass ? spent : -1;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 50;
    std::string station = tests::station_binary();
    std::string compare;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--station" && i + 1 < argc) {
            station = argv[++i];
        } else if (arg == "--compare" && i + 1 < argc) {
            compare = argv[++i];
        } else {
            runs = std::max(1, std::atoi(argv[i]));
        }
    }
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    if (bench.ports().size() != 1U) {
        std::fprintf(stderr, "startup_bench: routersim did not start\n");
        return 2;
    }
    const std::string port = bench.ports()[0].path;
    std::vector<Row> rows{
        {"/bin/true (exec floor)", {"/bin/true"}},
        {"startup_floor (C++ floor)", {STARTUP_FLOOR_BINARY}},
    };
    for (const auto& [label, binary] : {std::pair{std::string(), station}, {"compare: ", compare}}) {
        if (binary.empty()) continue;
        rows.push_back({label + "station --version", {binary, "--version"}});
        rows.push_back({label + "station profiles list", {binary, "profiles", "list"}});
        rows.push_back({label + "station identify", {binary, "identify", "--port", port}});
        rows.push_back({label + "station identify --profile xr90-na",
                        {binary, "identify", "--port", port, "--profile", "xr90-na"}});
    }
    std::vector<double> at_work;
    for (int i = 0; i < runs; ++i) at_work.push_back(in_process_identify_ms(port));
    if (std::count(at_work.begin(), at_work.end(), -1.0) > 0) {
        std::fprintf(stderr, "startup_bench: in-process identify did not pass\n");
        return 2;
    }
    const double at_ms = median(at_work);
    std::printf("startup_bench: process CPU (user+sys, wait4), median of %d runs; station: %s\n",
                runs, station.c_str());
    if (!compare.empty()) std::printf("  compare: %s\n", compare.c_str());
    std::printf("  %-52s %8.2f ms\n", "identify AT work in-process (subtracted)", at_ms);
    std::vector<std::vector<double>> cpu(rows.size());
    std::vector<int> exit_codes(rows.size(), 0);
    for (int i = 0; i < runs; ++i) {  // round robin: every row sees the same load
        for (std::size_t r = 0; r < rows.size(); ++r)
            cpu[r].push_back(child_cpu_ms(rows[r].argv, &exit_codes[r]));
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const double ms = median(cpu[r]);
        std::printf("  %-52s %8.2f ms  (exit %d)", row.what.c_str(), ms, exit_codes[r]);
        if (row.what.find("station identify") != std::string::npos)
            std::printf("  besides the AT work: %.2f ms", ms - at_ms);
        std::printf("\n");
    }
    return 0;
}
