// Store benchmark: history look-ups among 1,000,000 slot results (the database built in one
// transaction; its build time printed), and the sustained rate of units stored by 64 concurrent
// slot threads through the group-commit writer, each unit with the write set `station provision`
// gives it (slot result, 7 steps, transcript, duplicate look-ups and device sighting, outbox row,
// result with its signals).
//   store_bench [--results N] [--threads T] [--seconds S] [--dir DIR] [--queued-only 1]
// Targets (issue 14): look-up median < 1 ms at 1 M results; >= 5,000 units/s from 64 slots.
#include <sys/resource.h>

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

#include <sqlite3.h>

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
    bool queued_only = false;  // --queued-only 1: only the queued rate (for profiling)
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

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto secs = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return secs(usage.ru_utime) + secs(usage.ru_stime);
}

void check(bool good, const std::string& what) {
    if (!good) {
        std::cerr << "store_bench: " << what << '\n';
        std::exit(1);
    }
}

// A raw connection for the fill: prepared statements, stepped and reset.
class Raw {
  public:
    explicit Raw(const std::string& path) { check(sqlite3_open(path.c_str(), &m_db) == SQLITE_OK, "open"); }
    ~Raw() {
        for (auto* stmt : m_stmts) sqlite3_finalize(stmt);
        sqlite3_close(m_db);
    }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;
    void exec(const std::string& sql) {
        char* error = nullptr;
        const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error);
        check(rc == SQLITE_OK, sql + ": " + (error != nullptr ? error : "?"));
    }
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* stmt = nullptr;
        check(sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr) == SQLITE_OK, sql);
        m_stmts.push_back(stmt);
        return stmt;
    }
    // Binds integers and texts in order, steps once, resets.
    template <class... Args>
    void run(sqlite3_stmt* stmt, const Args&... args) {
        int i = 0;
        (bind(stmt, ++i, args), ...);
        const int rc = sqlite3_step(stmt);
        check(rc == SQLITE_DONE, std::string(sqlite3_sql(stmt)) + ": " + sqlite3_errstr(rc) + ": " +
                                     sqlite3_errmsg(m_db));
        sqlite3_reset(stmt);
    }
    std::vector<std::string> column(const char* sql) {
        std::vector<std::string> out;
        sqlite3_stmt* stmt = prepare(sql);
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
        }
        return out;
    }

  private:
    static void bind(sqlite3_stmt* stmt, int i, std::int64_t v) { sqlite3_bind_int64(stmt, i, v); }
    static void bind(sqlite3_stmt* stmt, int i, const std::string& v) {
        sqlite3_bind_text(stmt, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    sqlite3* m_db = nullptr;
    std::vector<sqlite3_stmt*> m_stmts;
};

// N slot results in runs of 128 slots; each unit is seen about three times (a SIM swapped on
// every tenth), each result with one step, a device sighting and, the first time, its outbox
// row. Built on the store's schema (Store::open makes it) in one transaction with prepared
// statements and no journal, the secondary indexes dropped meanwhile and made again at the end
// (one sort each instead of millions of scattered inserts). Any later Store::open sees a
// normal database.
void fill(const std::string& path, std::int64_t results) {
    check(st::Store::open(path).has_value(), "create the schema");
    Raw db(path);
    db.exec("PRAGMA journal_mode = DELETE");
    db.exec("PRAGMA journal_mode = OFF");
    db.exec("PRAGMA synchronous = OFF");
    db.exec("PRAGMA cache_size = -262144");
    const auto indexes = db.column("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
    for (const auto& name : db.column("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")) {
        db.exec("DROP INDEX " + name);
    }
    db.exec("BEGIN");
    db.exec("INSERT INTO stations(id, hostname, first_seen_ms) VALUES (1, 'bench', 0)");
    auto* run = db.prepare("INSERT INTO runs(id, station_id, mode, operator, lot, profile, started_ms,"
                           " ended_ms, outcome) VALUES (?, 1, 'provision', 'bench', ?, 'xr90-na', ?, ?, 'PASS')");
    auto* slot = db.prepare(
        "INSERT INTO slot_results(id, run_id, slot, port_chain, port_path, attempt, manufacturer,"
        " model, firmware, fsn, imei, imsi, iccid, iccid_command, sim_status, sim_status_text,"
        " carrier_images, region, data_center, outcome, message, started_ms, ended_ms, profile)"
        " VALUES (?1, ?2, ?3, ?4, ?5, 1, 'Sierra Wireless', 'EM7565', 'SWI9X50C_01.14.03.00', ?6,"
        " ?7, '310410123456789', ?8, 'AT!ICCID?', 'ready', 'READY', 'GENERIC', 'na', 'na', 'PASS',"
        " 'NA unit', ?9, ?10, 'xr90-na')");
    auto* step = db.prepare("INSERT INTO step_results(slot_result_id, name, outcome, message, started_ms,"
                            " ended_ms) VALUES (?, 'identify', 'PASS', 'ok', ?, ?)");
    auto* device = db.prepare(
        "INSERT INTO devices(fsn, imei, iccid, first_seen_ms, last_seen_ms, last_slot_result_id)"
        " VALUES (?1, ?2, ?3, ?4, ?4, ?5) ON CONFLICT(fsn) DO UPDATE SET iccid = ?3,"
        " last_seen_ms = ?4, last_slot_result_id = ?5");
    auto* outbox = db.prepare(
        "INSERT INTO outbox(fsn, serial, imei, iccid, imsi, data_center, region, term_years, po,"
        " slot_result_id, state, next_attempt_ms, created_ms, updated_ms) VALUES (?1, ?1, ?2, ?3,"
        " '310410123456789', 'na', 'na', 1, 'PO-1', ?4, 'registered', ?5, ?5, ?5)");
    const std::int64_t units = std::max<std::int64_t>(1, results / 3);
    for (std::int64_t i = 0; i < results; ++i) {
        const std::int64_t ms = st::to_ms(t(i));
        if (i % 128 == 0) db.run(run, i / 128 + 1, "PAL-" + std::to_string(i / 128), ms, ms + 1000);
        const std::int64_t unit = (i * 7919) % units;
        const std::int64_t sim = (unit % 10 == 0 && i >= units) ? 1 : 0;
        const std::string fsn = fsn_of(unit);
        const std::string imei = imei_of(unit);
        const std::string iccid = iccid_of(unit, sim);
        db.run(slot, i + 1, i / 128 + 1, "S" + std::to_string(i % 128), "1-1." + std::to_string(i % 7),
               "/dev/ttyUSB" + std::to_string(i % 128), fsn, imei, iccid, ms, ms + 2);
        db.run(step, i + 1, ms, ms + 1);
        db.run(device, fsn, imei, iccid, ms + 2, i + 1);
        if (i < units) db.run(outbox, fsn, imei, iccid, i + 1, ms + 2);
    }
    db.exec("COMMIT");
    for (const auto& sql : indexes) db.exec(sql);
    db.exec("PRAGMA journal_mode = WAL");
}

// Median, p99 and max of `n` timed look-ups of random units by `key`.
template <class LookUp>
void time_lookups(const char* what, st::UnitKey key, std::int64_t units, LookUp&& look_up) {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::int64_t> pick(0, units - 1);
    std::vector<double> us;
    std::size_t rows = 0;
    for (int i = 0; i < 20000; ++i) {
        const std::int64_t unit = pick(rng);
        const std::string value = key == st::UnitKey::fsn    ? fsn_of(unit)
                                  : key == st::UnitKey::imei ? imei_of(unit)
                                                             : iccid_of(unit, 0);
        const auto start = Clock::now();
        rows += look_up(value, fsn_of(unit));
        const auto end = Clock::now();
        us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
    std::sort(us.begin(), us.end());
    std::printf("%s by %-5s: median %7.1f us  p99 %7.1f us  max %8.1f us  (%.2f rows/look-up)\n",
                what, std::string(st::to_string(key)).c_str(), us[us.size() / 2],
                us[us.size() * 99 / 100], us.back(),
                static_cast<double>(rows) / static_cast<double>(us.size()));
    std::fflush(stdout);
}

// `station history` by each key, then the duplicate check's look-ups (other units whose latest
// sighting holds the ICCID / IMEI).
void lookups(st::Store& store, std::int64_t results) {
    const std::int64_t units = std::max<std::int64_t>(1, results / 3);
    for (const auto key : {st::UnitKey::fsn, st::UnitKey::imei, st::UnitKey::iccid}) {
        time_lookups("history      ", key, units, [&](const std::string& value, const std::string&) {
            auto history = store.history(key, value);
            check(history.has_value(), "history failed");
            return history->size();
        });
    }
    for (const auto key : {st::UnitKey::imei, st::UnitKey::iccid}) {
        time_lookups("other holders", key, units,
                     [&](const std::string& value, const std::string& fsn) {
                         auto others = store.other_units_with(key, value, fsn);
                         check(others.has_value(), "look-up failed");
                         return others->size();
                     });
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

// As `station provision` writes now: queued without waiting (SlotLog), the duplicate check, the
// registration and the result in one write that shares the writer's commit with other slots'.
bool unit_deferred(st::Store& store, const UnitWrites& u) {
    st::SlotLog log(store, u.run,
                    {"S" + std::to_string(u.thread), "1-1", "/dev/ttyUSB0", 1, t(u.serial)});
    for (const char* name : {"wait_for_unit", "open_port"}) log.record_step(u.step(name));
    log.record_transcript(k_transcript);
    for (const char* name : {"identify", "validate", "decide_sku"}) log.record_step(u.step(name));
    const auto done = log.write(
        "store steps", [&](st::SlotResultId slot, const st::Roles& write) -> st::Result<void> {
            auto claim =
                write.units.claim_identity({u.fsn(), u.imei(), u.iccid(), t(u.serial), slot});
            if (!claim) return tl::unexpected(claim.error());
            auto ok = write.runs.record_step(slot, u.step("check_duplicates"));
            if (!ok) return ok;
            auto queued = write.outbox.enqueue_registration(u.registration(slot));
            if (!queued) return tl::unexpected(queued.error());
            ok = write.runs.record_step(slot, u.step("queue_registration"));
            if (!ok) return ok;
            return write.runs.finish_slot(slot, u.finish());
        });
    return done.has_value();
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
    const double cpu0 = cpu_seconds();
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
    const double cpu_us = (cpu_seconds() - cpu0) * 1e6 / static_cast<double>(std::max<std::int64_t>(done.load(), 1));
    std::printf("units stored, %d slot threads, %-28s synchronous=%s: %7.0f units/s, %5.0f us CPU"
                " per unit (%lld errors)\n",
                o.threads, how, sync == st::Sync::full ? "FULL  " : "NORMAL", rate, cpu_us,
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
        else if (flag == "--queued-only")
            o.queued_only = value == "1";
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
    if (o.queued_only) {
        insert_rate(dir + "/rate.db", o, &unit_deferred, "queued (SlotLog),", st::Sync::normal);
        return 0;
    }
    {
        const auto start = Clock::now();
        fill(big, o.results);
        const double s = std::chrono::duration<double>(Clock::now() - start).count();
        std::printf("build: %lld slot results (with steps, devices, outbox rows) in one transaction:"
                    " %.1f s (%.0f results/s), file %.0f MB\n",
                    static_cast<long long>(o.results), s, static_cast<double>(o.results) / s,
                    static_cast<double>(std::filesystem::file_size(big)) / 1e6);
        std::fflush(stdout);
        auto store = st::Store::open(big);
        check(store.has_value(), store ? "" : store.error().message);
        lookups(*store, o.results);
    }
    const std::string path = dir + "/rate.db";
    for (const auto sync : {st::Sync::normal, st::Sync::full}) {
        remove_db(path);
        insert_rate(path, o, &unit_waiting, "each call waiting,", sync);
        remove_db(path);
        insert_rate(path, o, &unit_deferred, "queued (SlotLog),", sync);
    }
    // Into the big file too: indexes over 1,000,000 results.
    insert_rate(big, o, &unit_waiting, "each call waiting, 1M file,", st::Sync::normal);
    insert_rate(big, o, &unit_deferred, "queued (SlotLog), 1M file,", st::Sync::normal);
    return 0;
}
