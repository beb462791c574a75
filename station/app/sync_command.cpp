// station sync: ships this station's store to the central PostgreSQL (issue 20): once, or
// following it until SIGINT/SIGTERM, riding out outages (sync.hpp: batches, marks, idempotence).
#include <unistd.h>

#include <ostream>
#include <thread>

#include <boost/program_options.hpp>

#include <station/app/central_config.hpp>
#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/stop_signals.hpp>
#include <station/app/usage_error.hpp>
#include <station/central/sync.hpp>
#include <station/store/store.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;
using namespace std::chrono_literals;

constexpr const char* k_sync_usage =
    "usage: station sync [--to postgresql://...] [--once | --follow] [--db FILE]\n"
    "                    [--batch N] [--connections N] [--interval-s N]\n";

struct SyncArgs {
    std::string to;
    std::string db;
    bool follow = false;
    int batch = 5000;
    int connections = 2;
    int interval_s = 5;
};

std::optional<SyncArgs> parse_sync(std::span<const std::string> args, Console console) {
    SyncArgs a;
    bool once = false;
    po::options_description desc("station sync options");
    desc.add_options()("help,h", "show this help")(
        "to", po::value(&a.to), "central database URL (default: [central] url in the config)")(
        "once", po::bool_switch(&once), "ship what is new, then exit (the default)")(
        "follow", po::bool_switch(&a.follow), "keep shipping until SIGINT/SIGTERM")(
        "db", po::value(&a.db), k_db_help)(
        "batch", po::value(&a.batch), "rows per central transaction (1..50000, default 5000)")(
        "connections", po::value(&a.connections),
        "central connections shipping tables at once (1..8, default 2)")(
        "interval-s", po::value(&a.interval_s), "--follow: seconds between passes (1..3600)");
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out << k_sync_usage << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (once && a.follow) throw UsageError("sync: give --once or --follow, not both");
    if (a.batch < 1 || a.batch > 50000) throw UsageError("sync: --batch: must be 1..50000");
    if (a.connections < 1 || a.connections > 8) {
        throw UsageError("sync: --connections: must be 1..8");
    }
    if (a.interval_s < 1 || a.interval_s > 3600) {
        throw UsageError("sync: --interval-s: must be 1..3600");
    }
    return a;
}

std::string counts_text(const central::SyncCounts& counts) {
    std::string text;
    for (const auto& [table, n] : counts.rows) {
        if (n == 0) continue;
        text += (text.empty() ? " (" : ", ") + table + " " + std::to_string(n);
    }
    return text.empty() ? "" : text + ")";
}

std::string host() {
    std::array<char, 256> name{};
    if (gethostname(name.data(), name.size() - 1) != 0) return "";
    return name.data();
}

// The connections' life: connect one per local reader, prepare, passes until an error or a stop.
core::Result<void> session(const central::ConnectSpec& spec,
                           std::vector<central::LocalSource>& locals,
                           const central::SyncOptions& options, const SyncArgs& a,
                           Console console) {
    std::vector<central::Connection> dbs;
    for (std::size_t i = 0; i < locals.size(); ++i) {
        auto db = central::Connection::connect(spec);
        if (!db) return tl::unexpected(db.error());
        dbs.push_back(std::move(*db));
    }
    std::vector<central::Lane> lanes;
    for (std::size_t i = 0; i < locals.size(); ++i) lanes.push_back({locals[i], dbs[i]});
    central::Syncer syncer(lanes, options);
    if (auto ready = syncer.prepare(); !ready) return ready;
    for (;;) {
        auto counts = syncer.pass();
        if (!counts) return tl::unexpected(counts.error());
        if (counts->registered_centrally > 0) {
            console.out << "sync: " << counts->registered_centrally
                        << " outbox rows registered by register push --central recorded here\n";
        }
        if (counts->total() > 0 || !a.follow) {
            console.out << "sync: " << counts->total() << " rows shipped to the central database"
                        << counts_text(*counts) << '\n'
                        << std::flush;
        }
        if (!a.follow) return {};
        for (int i = 0; i < a.interval_s * 10 && !StopSignals::requested(); ++i) {
            std::this_thread::sleep_for(100ms);
        }
        if (StopSignals::requested()) return {};
    }
}

}  // namespace

int run_sync(std::span<const std::string> args, Console console) {
    const auto a = parse_sync(args, console);
    if (!a) return static_cast<int>(ExitCode::pass);
    const auto settings = central_settings("sync", a->to);
    if (!settings) throw UsageError("sync: give --to postgresql://... or [central] url in the station config");
    const auto path = resolve_db_path(a->db, "sync");
    // Opened once through the store: it migrates the file (the change log is version 11).
    store::OpenOptions open_options;
    open_options.create = store::Create::must_exist;
    auto store = store::Store::open(path, open_options);
    auto station = store ? station_id(*settings, path) : tl::unexpected(store.error());
    auto spec = station ? connect_spec(*settings) : tl::unexpected(station.error());
    // One local reader per connection (each its own SQLite connection: they read at once).
    std::vector<central::LocalSource> locals;
    core::Result<void> opened = spec ? core::Result<void>{} : tl::unexpected(spec.error());
    while (opened && static_cast<int>(locals.size()) < a->connections) {
        auto local = central::LocalSource::open(path);
        if (!local) {
            opened = tl::unexpected(local.error());
        } else {
            locals.push_back(std::move(*local));
        }
    }
    if (!opened) {
        print_error(console.err, "sync", opened.error().message);
        return static_cast<int>(ExitCode::error);
    }
    const central::SyncOptions options{*station, host(), a->batch};
    StopSignals signals;
    auto backoff = std::chrono::seconds(a->interval_s);
    for (;;) {
        auto done = session(*spec, locals, options, *a, console);
        if (done || StopSignals::requested()) return static_cast<int>(ExitCode::pass);
        print_error(console.err, "sync", done.error().message);
        if (!a->follow) return static_cast<int>(ExitCode::temporary_failure);
        console.err << "sync: retrying in " << backoff.count() << " s\n" << std::flush;
        for (int i = 0; i < backoff.count() * 10 && !StopSignals::requested(); ++i) {
            std::this_thread::sleep_for(100ms);
        }
        if (StopSignals::requested()) return static_cast<int>(ExitCode::pass);
        backoff = std::min(backoff * 2, std::chrono::seconds(60));
    }
}

}  // namespace station::app
