// The pallet manifest at scale (Google Benchmark): a 100,000-line CSV export (valid IMEIs and
// ICCIDs, so every check runs in full) loads in under 1 s, and the per-unit look-up stays
// under 10 us. Run by scripts/bench.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>

#include <station/config/manifest_file.hpp>
#include <station/core/luhn.hpp>

#include "process.hpp"

namespace {

constexpr int k_lines = 100'000;

std::string digits(long long value, std::size_t width) {
    std::string text = std::to_string(value);
    return std::string(width - text.size(), '0') + text;
}

std::string with_check_digit(const std::string& payload) {
    return payload + station::core::luhn_check_digit(payload);
}

std::string serial_of(int i) {
    return "XR9N" + digits(i, 12);
}
std::string imei_of(int i) {
    return with_check_digit("35412508" + digits(i, 6));
}

constexpr std::array<std::string_view, 3> k_parts{"XR90-1104513", "XR60-1104601", "XR80-1104519"};

bool known(std::string_view part_number) {
    return std::find(k_parts.begin(), k_parts.end(), part_number) != k_parts.end();
}

// A warehouse export: extra columns, quoted company, ';' inside it, every optional field set.
std::string manifest_text() {
    std::string text = "po,serial,imei,part_number,iccid,company,notes\n";
    text.reserve(std::size_t{k_lines} * 110);
    for (int i = 0; i < k_lines; ++i) {
        text += "PO-" + std::to_string(i / 1000) + "," + serial_of(i) + "," + imei_of(i) + "," +
                std::string(k_parts[static_cast<std::size_t>(i % 3)]) + "," +
                with_check_digit("8901260" + digits(i, 11)) +
                ",\"Acme; Logistics, Inc.\",pallet 7\n";
    }
    return text;
}

// The file, written once for every benchmark of the run.
struct Pallet {
    tests::TempDir dir;
    std::string path = dir.path() + "/pallet.csv";
    Pallet() { std::ofstream(path, std::ios::binary) << manifest_text(); }
};

const Pallet& pallet() {
    static const auto instance = std::make_unique<Pallet>();
    return *instance;
}

void bm_load_manifest(benchmark::State& state) {
    const std::string& path = pallet().path;
    for (auto _ : state) {
        auto manifest = station::config::load_manifest(path, known);
        if (!manifest || manifest->size() != k_lines) {
            state.SkipWithError(manifest ? "wrong line count" : manifest.error().message.c_str());
            return;
        }
        benchmark::DoNotOptimize(manifest);
    }
    state.counters["lines"] = k_lines;
}
BENCHMARK(bm_load_manifest)->Unit(benchmark::kMillisecond);

// One unit per iteration, cycling through matched units and the two failure kinds.
void bm_match_manifest(benchmark::State& state) {
    const auto manifest = station::config::load_manifest(pallet().path, known);
    if (!manifest) {
        state.SkipWithError(manifest.error().message.c_str());
        return;
    }
    std::vector<std::pair<std::string, std::string>> units;
    for (int i = 0; i < 1024; ++i) {
        const int line = (i * 97) % k_lines;
        if (i % 8 == 0)
            units.emplace_back(serial_of(line), imei_of(line + 1));  // mismatched
        else if (i % 8 == 1)
            units.emplace_back("XR9NZZ" + digits(i, 10), "359072060054893");
        else
            units.emplace_back(serial_of(line), imei_of(line));
    }
    std::size_t next = 0;
    for (auto _ : state) {
        const auto& [fsn, imei] = units[next++ % units.size()];
        benchmark::DoNotOptimize(station::core::match_manifest(*manifest, fsn, imei));
    }
}
BENCHMARK(bm_match_manifest)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
