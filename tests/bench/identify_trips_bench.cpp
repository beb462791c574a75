// Round trips of `station identify` on an XR90 NA unit at 50 ms per command line (routersim
// latency), through the built station: lines sent, identify wall (first send to last answer,
// from the --transcript offsets) and wall / floor, medians of several runs, side by side for:
//   concat    the module accepts concatenated lines (xr90-na),
//   refused   the module refuses them (learnt per unit here: each identify is its own run),
//   no-concat --no-concat,
//   old plan  the base commit's ten-command plan (a profiles copy with ATE0 and AT+CMEE=1 always,
//             no yields, no join), on today's channel (so without its two 60 ms quiet waits).
// Floors: "plan" = this configuration's own fewest sequential lines (the sync AT included);
// "fields" = the floor, the lines that carry every field (ATI + 4 queries, or ATI + 1
// combined line), without the sync AT. Target (issue 14): no-concat wall / plan floor <= 1.1.
//   usage: identify_trips_bench [--runs N] [--latency-ms N]
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../integration/sim_bench.hpp"
#include "process.hpp"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Config {
    const char* name;
    const char* personality;
    std::vector<std::string> extra;  // station options
    bool old_plan;
    int fields_floor;  // lines that carry every field
};

struct Sample {
    double wall_ms = 0;
    int lines = 0;
    bool pass = false;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// The shipped profiles with xr90-na's plan as it was before issue 14: every step always run.
std::string old_plan_profiles(const std::string& dir) {
    const fs::path src = STATION_SOURCE_DIR "/profiles";
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(src)) {
        if (e.path().extension() != ".toml") continue;
        std::ifstream in(e.path());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (e.path().filename() == "xr90-na.toml") {
            std::string out;
            std::size_t pos = 0;
            while (pos < text.size()) {
                auto end = text.find('\n', pos);
                if (end == std::string::npos) end = text.size();
                const std::string line = text.substr(pos, end - pos);
                pos = end + 1;
                if (line.starts_with("when =") || line.starts_with("on_error_of =") ||
                    line.starts_with("join =") || line.starts_with("yields =")) {
                    continue;
                }
                out += line + "\n";
                if (line.starts_with("reader =")) out += "yields = []\n";  // never skipped
            }
            text = out;
        }
        std::ofstream(fs::path(dir) / e.path().filename()) << text;
    }
    return dir;
}

Sample run_once(const tests::SimBench& bench, const Config& c, const std::string& old_dir) {
    std::vector<std::string> argv{tests::station_binary(), "identify", "--port",
                                  bench.ports().at(0).path, "--json", "--transcript",
                                  "--profile", "xr90-na", "--manifest", bench.manifest()};
    if (c.old_plan) argv.insert(argv.end(), {"--profiles-dir", old_dir});
    argv.insert(argv.end(), c.extra.begin(), c.extra.end());
    const auto r = tests::run_process(argv, std::chrono::seconds(30));
    const auto doc = json::parse(r.out, nullptr, false);
    Sample s;
    if (!doc.is_object()) return s;
    s.pass = doc["outcome"] == "PASS";
    double first_tx = -1;
    double last_rx = 0;
    for (const auto& e : doc["transcript"]) {
        const double t = e["t"];
        if (e["dir"] == "tx") {
            ++s.lines;
            if (first_tx < 0) first_tx = t;
        }
        if (e["dir"] == "rx") last_rx = t;
    }
    s.wall_ms = (last_rx - first_tx) * 1000.0;
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 7;
    int latency = 50;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        if (key == "--runs") runs = std::stoi(argv[i + 1]);
        if (key == "--latency-ms") latency = std::stoi(argv[i + 1]);
    }
    tests::TempDir dir;
    const std::string old_dir = old_plan_profiles(dir.path() + "/profiles");
    const std::string refusing =
        STATION_SOURCE_DIR "/fixtures/personalities/cases/xr90-na-refuses-concat.toml";
    const std::vector<Config> configs{
        {"concat", "xr90-na", {}, false, 2},
        {"refused", refusing.c_str(), {}, false, 5},
        {"no-concat", "xr90-na", {"--no-concat"}, false, 5},
        {"old plan", "xr90-na", {"--no-concat"}, true, 5},
    };
    std::printf("identify_trips_bench: XR90 NA unit, %d ms per command line, median of %d runs\n",
                latency, runs);
    std::printf("%-10s %6s %10s %12s %12s %14s\n", "config", "lines", "wall_ms", "plan_floor",
                "wall/plan", "wall/fields");
    for (const auto& c : configs) {
        tests::SimBench bench({c.personality}, {}, {"--latency-ms", std::to_string(latency)});
        if (bench.ports().empty()) {
            std::printf("%-10s routersim did not start\n", c.name);
            return 1;
        }
        std::vector<double> walls;
        std::vector<double> lines;
        for (int i = 0; i < runs; ++i) {
            const auto s = run_once(bench, c, old_dir);
            if (!s.pass) {
                std::printf("%-10s identify did not PASS\n", c.name);
                return 1;
            }
            walls.push_back(s.wall_ms);
            lines.push_back(s.lines);
        }
        const double wall = median(walls);
        const double n = median(lines);
        std::printf("%-10s %6.0f %10.1f %9.0f ms %12.3f %14.3f\n", c.name, n, wall, n * latency,
                    wall / (n * latency), wall / (c.fields_floor * latency));
    }
    return 0;
}
