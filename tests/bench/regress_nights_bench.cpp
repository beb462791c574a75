// regress_nights at a rig's real size (issue 17): 24 slots x 10 iterations x 30 finished nights
// of the rig (about one attempt in 20 an ERROR retried, 10 AT round trips per attempt), beside
// 30 nights of another rig, then the read `station regress` makes for its baselines and trends:
// regress_nights(rig, now, 30). Target: well under 100 ms. Prints the median and best of 15
// reads. Run by scripts/bench.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <process.hpp>
#include <station/store/store.hpp>

namespace {

namespace st = station::store;
using station::core::Outcome;
using Clock = std::chrono::steady_clock;

constexpr int k_slots = 24;
constexpr int k_iterations = 10;
constexpr int k_nights = 30;
constexpr int k_trips = 10;
constexpr int k_reads = 15;
constexpr std::int64_t k_day_ms = 86'400'000;
constexpr std::int64_t k_first_ms = 1'790'000'000'000;

template <class T>
T need(station::core::Result<T> result) {
    if (!result) {
        std::fprintf(stderr, "regress_nights_bench: %s\n", result.error().message.c_str());
        std::exit(1);
    }
    if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// One attempt of `slot` in `run`, with its round trips.
void attempt(st::Store& store, st::RunId run, int slot, int number, Outcome outcome,
             st::TimePoint at) {
    const std::string label =
        std::string(1, static_cast<char>('A' + slot / 8)) + std::to_string(slot % 8 + 1);
    const auto id =
        need(store.begin_slot(run, {label, "1-1." + label, "/dev/ttyUSB2", number, at}));
    st::SlotFinish finish;
    finish.identity.fsn = "LA" + std::to_string(100000 + slot);
    finish.outcome = outcome;
    finish.ended = at;
    need(store.finish_slot(id, finish));
    std::vector<station::core::RoundTrip> trips;
    for (int t = 0; t < k_trips; ++t) {
        trips.push_back(
            {"AT+CMD" + std::to_string(t), std::chrono::microseconds(20'000 + t * 997 + slot)});
    }
    need(store.record_round_trips(id, trips));
}

void night(st::Store& store, const std::string& rig, int day, unsigned& seed) {
    const auto at = st::from_ms(k_first_ms + day * k_day_ms);
    const auto id = need(store.open_night(rig, "/etc/station/golden.toml", at));
    for (int it = 1; it <= k_iterations; ++it) {
        const auto run =
            need(store.begin_run({st::RunMode::regress, "nightly", rig, "xr90-na", at}));
        need(store.link_iteration(id, run, it));
        for (int slot = 0; slot < k_slots; ++slot) {
            seed = seed * 1'103'515'245U + 12'345U;
            const bool retried = (seed >> 16) % 20 == 0;
            if (retried) attempt(store, run, slot, 1, Outcome::error, at);
            attempt(store, run, slot, retried ? 2 : 1, Outcome::pass, at);
        }
        need(store.finish_run(run, Outcome::pass, at));
    }
    need(store.finish_night(id, 0, at));
}

}  // namespace

// argv[1]: a folder to keep the filled file in (regress.db, replaced), to inspect it.
int main(int argc, char** argv) {
    tests::TempDir temp;
    const std::string path = (argc > 1 ? std::string(argv[1]) : temp.path()) + "/regress.db";
    std::filesystem::remove(path);
    auto store = need(st::Store::open(path));
    const auto fill_start = Clock::now();
    unsigned seed = 17;
    need(store.bulk([&]() -> station::core::Result<void> {
        for (int day = 0; day < k_nights; ++day) {
            night(store, "RIG-1", day, seed);
            night(store, "RIG-2", day, seed);
        }
        return {};
    }));
    std::printf("fill: 2 rigs x %d nights x %d slots x %d iterations: %.1f s\n", k_nights, k_slots,
                k_iterations, std::chrono::duration<double>(Clock::now() - fill_start).count());
    std::vector<double> ms;
    std::size_t rows = 0;
    for (int i = 0; i < k_reads; ++i) {
        const auto start = Clock::now();
        const auto slots =
            need(store.regress_nights("RIG-1", st::from_ms(k_first_ms + 365 * k_day_ms), k_nights));
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        rows = slots.size();
    }
    std::sort(ms.begin(), ms.end());
    std::printf(
        "regress_nights(rig, now, %d): %zu night slots, median %.1f ms, best %.1f ms"
        " (target: well under 100 ms)\n",
        k_nights, rows, ms[ms.size() / 2], ms.front());
    return rows == static_cast<std::size_t>(k_nights * k_slots) ? 0 : 1;
}
