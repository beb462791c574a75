// Store benchmark: history look-ups among 1,000,000 slot results (the database built in one
// transaction; its build time printed), and the sustained rate of units stored by 64 concurrent
// slot threads through the group-commit writer, each unit with the write set `station provision`
// gives it (slot result, 7 steps, transcript, duplicate look-ups and device sighting, outbox row,
// result with its signals).
//   store_bench [--results N] [--threads T] [--seconds S] [--dir DIR]
// Targets (issue 14): look-up median < 1 ms at 1 M results; >= 5,000 units/s from 64 slots.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <process.hpp>
#include <station/store/store.hpp>

namespace st = station::store;
using station::core::Outcome;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::int64_t results = 1'000'000;
    int threads = 64;
    double seconds = 5.0;
        std::string dir;
};

st::TimePoint t(std::int64_t ms) {
    return st::from_ms(1'790'000'000'000 + ms);
}

std::string fsn_of(std::int64_t unit) {
    return "FSN" + std::to_string(100000000 + unit);
}
std::string imei_of(std::int64_t unit) {
    return "35" + std::to_string(1000000000000 + unit);
}
std::string iccid_of(std::int64_t unit, std::int64_t sim) {
    return "8901" + std::to_string(100000000000000 + unit * 4 + sim);
}

void check(bool good, const std::string& what) {
    if (!good) {
        std::cerr << "store_bench: " << what << '\n';
        std::exit(1);
    }
}

// N slot results in runs of 128 slots; each unit is seen about three times (a SIM swapped on
// every tenth), each result with one step and a device sighting. One transaction.
void fill(st::Store& store, std::int64_t results) {
    const std::int64_t units = std::max<std::int64_t>(1, results / 3);
    const auto done = store.bulk([&]() -> st::Result<void> {
        st::RunId run;
        for (std::int64_t i = 0; i < results; ++i) {
            if (i % 128 == 0) {
                auto r = store.begin_run({st::RunMode::provision, "bench",
                                          "PAL-" + std::to_string(i / 128), "xr90-na", t(i)});
                if (!r) return tl::unexpected(r.error());
                run = *r;
            }
            const std::int64_t unit = (i * 7919) % units;
            const std::int64_t sim = (unit % 10 == 0 && i >= units) ? 1 : 0;
            auto slot = store.begin_slot(
                run, {"S" + std::to_string(i % 128), "1-1." + std::to_string(i % 7),
                      "/dev/ttyUSB" + std::to_string(i % 128), 1, t(i)});
            if (!slot) return tl::unexpected(slot.error());
            auto step = store.record_step(
                *slot, {"identify", Outcome::pass, std::nullopt, "ok", t(i), t(i + 1)});
            if (!step) return step;
            st::SlotFinish finish;
            finish.identity.fsn = fsn_of(unit);
            finish.identity.imei = imei_of(unit);
            finish.identity.iccid = iccid_of(unit, sim);
            finish.identity.model = "EM7565";
            finish.outcome = Outcome::pass;
            finish.region = station::core::Region::na;
            finish.data_center = station::core::DataCenter::na;
            finish.ended = t(i + 2);
            auto finished = store.finish_slot(*slot, finish);
            if (!finished) return finished;
            auto device = store.upsert_device({finish.identity.fsn, finish.identity.imei,
                                               finish.identity.iccid, t(i + 2), *slot});
            if (!device) return tl::unexpected(device.error());
        }
        return {};
    });
    check(done.has_value(), done ? "" : done.error().message);
}

void lookups(st::Store& store, std::int64_t results) {
    const std::int64_t units = std::max<std::int64_t>(1, results / 3);
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::int64_t> pick(0, units - 1);
    for (const auto key : {st::UnitKey::fsn, st::UnitKey::imei, st::UnitKey::iccid}) {
        std::vector<double> us;
        std::size_t rows = 0;
        for (int i = 0; i < 20000; ++i) {
            const std::int64_t unit = pick(rng);
            const std::string value = key == st::UnitKey::fsn    ? fsn_of(unit)
                                      : key == st::UnitKey::imei ? imei_of(unit)
                                                                 : iccid_of(unit, 0);
            const auto start = Clock::now();
            auto history = store.history(key, value);
            const auto end = Clock::now();
            check(history.has_value(), "history failed");
            rows += history->size();
            us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
        }
        std::sort(us.begin(), us.end());
        std::printf(
            "history by %-5s: median %7.1f us  p99 %7.1f us  max %8.1f us  (%.2f rows/look-up)\n",
            std::string(st::to_string(key)).c_str(), us[us.size() / 2], us[us.size() * 99 / 100],
            us.back(), static_cast<double>(rows) / static_cast<double>(us.size()));
    }
}

// One unit's write set as `station provision` writes it: its slot result, 7 steps, the identify
// transcript, the duplicate check (look-ups by ICCID and IMEI, the device sighting), the
// re-provision check and outbox row, and the result with the decision's signals.
struct UnitWrites {
    st::RunId run;
    int thread = 0;
    std::int64_t serial = 0;

    std::string fsn() const { return "RATE" + std::to_string(thread) + "-" + std::to_string(serial); }
    std::string imei() const { return "35" + std::to_string(2000000000000 + thread * 100000000LL + serial); }
    std::string iccid() const {
        return "8901" + std::to_string(200000000000000 + thread * 100000000LL + serial);
    }
    st::StepRecord step(const char* name) const {
        return {name, Outcome::pass, std::nullopt, std::string(name) + ": ok", t(serial), t(serial)};
    }
    st::SlotFinish finish() const {
        st::SlotFinish f;
        f.identity.fsn = fsn();
        f.identity.imei = imei();
        f.identity.iccid = iccid();
        f.identity.imsi = "310410" + std::to_string(100000000 + serial);
        f.identity.model = "EM7565";
        f.identity.firmware = "SWI9X50C_01.14.03.00";
        f.identity.carrier_images = {"GENERIC_001.050_000", "ATT_002.031_000"};
        f.outcome = Outcome::pass;
        f.region = station::core::Region::na;
        f.data_center = station::core::DataCenter::na;
        f.message = "NA unit for the NA data center";
        f.ended = t(serial + 1);
        for (const char* source : {"manifest", "sim", "carrier_image", "imsi"}) {
            f.signals.push_back({source, "value of " + std::string(source), station::core::Region::na, "rule"});
        }
        return f;
    }
    st::Registration registration(st::SlotResultId slot) const {
        return {fsn(), fsn(), imei(), iccid(), "310410123456789", station::core::DataCenter::na, 1,
                "PO-1", "", slot, t(serial)};
    }
};

// About what routersim's identify transcript holds (10 commands and their answers).
const std::string k_transcript = [] {
    std::string text;
    for (int i = 0; i < 10; ++i) {
        text += "> AT+COMMAND" + std::to_string(i) + "\r\n< +ANSWER: " + std::string(80, 'x') +
                "\r\n< OK\r\n";
    }
    return text;
}();

// Every call waits for its own commit (as the slot threads did before issue 14).
bool unit_waiting(st::Store& store, const UnitWrites& u) {
    auto slot = store.begin_slot(u.run, {"S" + std::to_string(u.thread), "1-1", "/dev/ttyUSB0", 1,
                                         t(u.serial)});
    if (!slot) return false;
    bool good = true;
    for (const char* name : {"wait_for_unit", "open_port"}) {
        good = good && store.record_step(*slot, u.step(name)).has_value();
    }
    good = good && store.record_transcript(*slot, k_transcript).has_value();
    for (const char* name : {"identify", "validate", "decide_sku"}) {
        good = good && store.record_step(*slot, u.step(name)).has_value();
    }
    good = good && store.claim_identity({u.fsn(), u.imei(), u.iccid(), t(u.serial), *slot}).has_value();
    good = good && store.record_step(*slot, u.step("check_duplicates")).has_value();
    good = good && store.enqueue_registration(u.registration(*slot)).has_value();
    good = good && store.record_step(*slot, u.step("queue_registration")).has_value();
    return good && store.finish_slot(*slot, u.finish()).has_value();
}

using UnitWriter = bool (*)(st::Store&, const UnitWrites&);

double insert_rate(const std::string& path, const Options& o, UnitWriter writer, const char* how,
                   st::Sync sync) {
    st::OpenOptions options;
    options.sync = sync;
    options.busy_timeout = std::chrono::seconds(30);
    auto store = st::Store::open(path, options);
    check(store.has_value(), store ? "" : store.error().message);
    auto run = store->begin_run({st::RunMode::provision, "bench", "PAL-RATE", "xr90-na", t(0)});
    check(run.has_value(), "begin run");
    std::atomic<bool> stop{false};
    std::atomic<std::int64_t> done{0};
    std::atomic<std::int64_t> errors{0};
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int th = 0; th < o.threads; ++th) {
        threads.emplace_back([&, th] {
            for (std::int64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
                if (writer(*store, {*run, th, i})) {
                    ++done;
                } else {
                    ++errors;
                }
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
    stop = true;
    for (auto& th : threads) th.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const double rate = static_cast<double>(done.load()) / elapsed;
    std::printf("units stored, %d slot threads, %-28s synchronous=%s: %7.0f units/s (%lld errors)\n",
                o.threads, how, sync == st::Sync::full ? "FULL  " : "NORMAL", rate,
                static_cast<long long>(errors.load()));
    std::fflush(stdout);
    return rate;
}

void remove_db(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--results")
            o.results = std::stoll(value);
        else if (flag == "--threads")
            o.threads = std::stoi(value);
        else if (flag == "--seconds")
            o.seconds = std::stod(value);
        else if (flag == "--dir")
            o.dir = value;
        else
            check(false, "unknown option " + flag);
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    tests::TempDir temp;
    const std::string dir = o.dir.empty() ? temp.path() : o.dir;
    const std::string big = dir + "/big.db";
    remove_db(big);
    {
        auto store = st::Store::open(big);
        check(store.has_value(), store ? "" : store.error().message);
        const auto start = Clock::now();
        fill(*store, o.results);
        const double s = std::chrono::duration<double>(Clock::now() - start).count();
        std::printf(
            "fill: %lld slot results in one transaction: %.1f s (%.0f results/s), file %.0f MB\n",
            static_cast<long long>(o.results), s, static_cast<double>(o.results) / s,
            static_cast<double>(std::filesystem::file_size(big) +
                                std::filesystem::file_size(big + "-wal")) /
                1e6);
        lookups(*store, o.results);
    }
    const std::string path = dir + "/rate.db";
    for (const auto sync : {st::Sync::normal, st::Sync::full}) {
        remove_db(path);
        insert_rate(path, o, &unit_waiting, "each call waiting,", sync);
    }
    // Into the big file too: indexes over 1,000,000 results.
    insert_rate(big, o, &unit_waiting, "each call waiting, 1M file,", st::Sync::normal);
    return 0;
}
