// station register push|status|export: the registration outbox from the command line.
// Credentials come from the credentials file or the environment (alms::load_config), never
// from arguments; --credentials names a file, not a secret.
#include <unistd.h>
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <station/alms/client.hpp>
#include <station/alms/config.hpp>
#include <station/alms/mapping.hpp>
#include <station/app/alms_session.hpp>
#include <station/app/central_config.hpp>
#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/stop_signals.hpp>
#include <station/app/usage_error.hpp>
#include <station/app/verb_help.hpp>
#include <station/central/central_outbox.hpp>
#include <station/central/schema.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>
#include <station/core/time_text.hpp>
#include <station/store/store.hpp>
#include <station/workflows/register_export.hpp>
#include <station/workflows/register_push.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;
using core::sanitize_for_display;

constexpr int k_max_attempts = 10;

std::vector<std::string> to_argv(std::span<const std::string> args) {
    return {args.begin(), args.end()};
}

// Parses options; nullopt after printing --help.
std::optional<po::variables_map> parse(std::span<const std::string> args,
                                       const po::options_description& desc,
                                       const std::string& usage, Console console) {
    po::variables_map vm;
    po::store(parse_options(to_argv(args), desc), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: " << usage << "\n" << desc;
        return std::nullopt;
    }
    po::notify(vm);
    return vm;
}

store::Store open_store(const std::string& db, const std::string& verb) {
    const std::filesystem::path path = resolve_db_path(db, "register " + verb);
    store::OpenOptions options;
    options.create = store::Create::must_exist;
    if (verb != "push") options.access = store::Access::read_only;  // status, export: reading
    auto opened = store::Store::open(path, options);
    if (!opened) throw std::runtime_error(opened.error().message);
    return std::move(*opened);
}

core::DataCenter data_center_arg(const std::string& text, const std::string& verb) {
    const auto dc = core::data_center_from_string(text);
    if (!dc) {
        throw UsageError("register " + verb + ": --data-center must be na or eu, not '" +
                         sanitize_for_display(text, 20) + "'");
    }
    return *dc;
}

// --- push -------------------------------------------------------------------------------

struct PushArgs {
    std::string data_center;
    int max = 0;
    std::string db;
    std::string credentials;
    int attempts = 4;
    bool central = false;
};

// Which outbox a push drains: the station's own, or the central one (--central), whose faults
// (the server gone mid-push, a lease lost) leave work for a later push (75), not an error.
enum class OutboxKind { local, central };

void print_event(std::ostream& out, core::DataCenter dc, const workflows::PushEvent& event) {
    const auto& reg = event.row.registration;
    std::string state(workflows::to_string(event.state));
    state.resize(std::max<std::size_t>(state.size(), 18), ' ');
    out << state << ' ' << core::to_string(dc) << ' ' << sanitize_for_display(reg.serial, 64)
        << " IMEI " << sanitize_for_display(reg.imei, 32);
    if (!event.row.station.empty()) {  // a central outbox row: whose unit it is
        out << " (station " << sanitize_for_display(event.row.station, 64) << ')';
    }
    out << ": " << sanitize_for_display(event.detail, 600) << '\n';
}

// Done only when nothing waits: rows left for a later attempt (backing off, in doubt, claimed by
// another pusher) make it a temporary failure (75), with the time the next one is due.
ExitCode waiting_after_push(store::Outbox& outbox, core::DataCenter dc, ExitCode settled,
                            Console console) {
    auto waiting = workflows::waiting_rows(outbox, dc);
    if (!waiting) {
        console.err << "station: error: register push " << core::to_string(dc) << ": "
                    << sanitize_for_display(waiting.error().message, 800) << '\n';
        return ExitCode::error;
    }
    if (waiting->rows == 0) return settled;
    console.out << "push " << core::to_string(dc) << ": " << waiting->rows
                << " waiting for a later attempt";
    if (waiting->next_attempt) {
        console.out << ", next at " << core::iso_utc(*waiting->next_attempt, false);
    }
    console.out << '\n';
    return settled == ExitCode::pass ? ExitCode::temporary_failure : settled;
}

// How bad an exit code is, for the worst of several data centers.
int severity(ExitCode code) {
    switch (code) {
        case ExitCode::pass:
            return 0;
        case ExitCode::temporary_failure:
            return 1;
        case ExitCode::fail:
            return 2;
        case ExitCode::error:
            return 3;
        case ExitCode::aborted:
            return 4;
        case ExitCode::usage:
            return -1;
    }
    return 3;
}

// Pushes one data center; returns the exit code for it.
ExitCode push_one(store::Outbox& store, OutboxKind kind, core::DataCenter dc, const PushArgs& a,
                  Console console) {
    auto session = AlmsSession::open(dc, a.credentials, a.attempts);
    if (!session) {
        print_error(console.err, "register push", session.error().message);
        return ExitCode::error;
    }
    workflows::PushOptions options;
    options.data_center = dc;
    options.max_units = a.max;
    options.lease = (*session)->lease();
    options.request_timeout = (*session)->request_timeout();
    options.stop = &StopSignals::flag();
    const auto summary = workflows::push_outbox(
        store, (*session)->client(), (*session)->clock(), options,
        [&](const workflows::PushEvent& event) { print_event(console.out, dc, event); });

    console.out << "push " << core::to_string(dc) << ": " << summary.registered << " registered ("
                << summary.already_registered << " already in ALMS), " << summary.conflicts
                << " conflicts, " << summary.failed << " failed, " << summary.retry_later
                << " to retry later";
    if (summary.recovered > 0)
        console.out << ", " << summary.recovered << " taken back from dead pushers";
    console.out << '\n';
    if (summary.aborted) {
        console.err << "station: register push " << core::to_string(dc) << ": stopped by signal\n";
        return ExitCode::aborted;
    }
    if (summary.error) {
        print_error(console.err, "register push",
                    std::string(core::to_string(dc)) + ": " +
                        sanitize_for_display(summary.error->message, 800));
        if (kind == OutboxKind::central && summary.error->reason == core::Reason::store_error) {
            console.err << "station: register push: the central outbox keeps every row; a row "
                           "claimed now is taken back when its lease ends: run it again later\n";
            return ExitCode::temporary_failure;
        }
        return ExitCode::error;
    }
    if (summary.stopped_unsettled) {
        print_error(console.err, "register push",
                    std::string(core::to_string(dc)) + ": ALMS " +
                        core::ascii_upper(core::to_string(dc)) +
                        " is not answering; stopped, the rest stays queued");
        return ExitCode::error;
    }
    const ExitCode settled =
        summary.conflicts > 0 || summary.failed > 0 ? ExitCode::fail : ExitCode::pass;
    return waiting_after_push(store, dc, settled, console);
}

// Pushes each data center of `centers` with rows waiting in `outbox`; the worst exit code.
int push_centers(store::Outbox& outbox, OutboxKind kind, const std::string& name,
                 const std::vector<core::DataCenter>& centers, const PushArgs& a,
                 Console console) {
    auto status = outbox.outbox_status(0);
    if (!status) {
        print_error(console.err, "register push", sanitize_for_display(status.error().message, 800));
        return static_cast<int>(kind == OutboxKind::central ? ExitCode::temporary_failure
                                                            : ExitCode::error);
    }
    ExitCode worst = ExitCode::pass;
    bool pushed = false;
    for (const auto dc : centers) {
        const std::int64_t queued = status->waiting(dc);
        if (queued == 0 && a.data_center.empty())
            continue;  // nothing queued: no credentials needed
        pushed = true;
        const ExitCode code = push_one(outbox, kind, dc, a, console);
        if (severity(code) > severity(worst)) worst = code;
        if (code == ExitCode::aborted) break;
    }
    if (!pushed) console.out << "push: nothing waiting in " << name << '\n';
    return static_cast<int>(worst);
}

// register push --central: the central outbox (every station's synced rows) on a connection
// made from the station config's [central] table. Not configured: 64; not answering: 75.
int push_central(const std::vector<core::DataCenter>& centers, const PushArgs& a,
                 Console console) {
    auto db = connect_central("register push");
    if (!db) {
        const bool later = db.error().code == ExitCode::temporary_failure;
        print_error(console.err, "register push",
                    sanitize_for_display(db.error().message, 800) +
                        (later ? " (nothing was claimed: run it again later)" : ""));
        return static_cast<int>(db.error().code);
    }
    if (auto migrated = central::migrate_central(*db); !migrated) {
        print_error(console.err, "register push",
                    sanitize_for_display(migrated.error().message, 800) +
                        " (nothing was claimed)");
        // The server gone meanwhile: run it again later; a newer schema, say: an error.
        return static_cast<int>(db->ok() ? ExitCode::error : ExitCode::temporary_failure);
    }
    central::CentralOutbox outbox(*db);
    return push_centers(outbox, OutboxKind::central, "the central outbox", centers, a, console);
}

int run_push(std::span<const std::string> args, Console console) {
    PushArgs a;
    po::options_description desc("station register push options");
    desc.add_options()("help,h", "show this help")("data-center", po::value(&a.data_center),
                                                   "na or eu (default: both, NA first)")(
        "max", po::value(&a.max)->default_value(0),
        "push at most N units per data center (0: all due)")("db", po::value(&a.db), k_db_help)(
        "credentials", po::value(&a.credentials),
        "ALMS credentials file (default: $STATION_ALMS_CREDENTIALS or "
        "~/.config/station/credentials.toml; environment STATION_ALMS_<NA|EU>_* wins)")(
        "attempts", po::value(&a.attempts)->default_value(4),
        "look-up/create passes per unit before it waits for the next push")(
        "central", po::bool_switch(&a.central),
        "drain the central outbox (every station's synced rows; [central] in the config)");
    if (!parse(args, desc,
               "station register push [--data-center na|eu] [--max N] [--db FILE | --central]",
               console)) {
        return static_cast<int>(ExitCode::pass);
    }
    if (a.max < 0) throw UsageError("register push: --max must be >= 0");
    if (a.attempts < 1 || a.attempts > k_max_attempts) {
        throw UsageError("register push: --attempts must be 1.." + std::to_string(k_max_attempts));
    }
    if (a.central && !a.db.empty()) {
        throw UsageError("register push: give --db or --central, not both");
    }
    std::vector<core::DataCenter> centers{core::DataCenter::na, core::DataCenter::eu};
    if (!a.data_center.empty()) centers = {data_center_arg(a.data_center, "push")};
    if (a.central) return push_central(centers, a, console);
    auto store = open_store(a.db, "push");
    return push_centers(store, OutboxKind::local,
                        "the outbox of " + sanitize_for_display(store.path().string(), 512),
                        centers, a, console);
}

// --- status -----------------------------------------------------------------------------

// A central row's station: a JSON field and " at station X" on its text line (local rows: none).
void add_station(nlohmann::json& entry, const store::OutboxRow& row) {
    if (!row.station.empty()) entry["station"] = sanitize_for_display(row.station, 64);
}

std::string at_station(const store::OutboxRow& row) {
    if (row.station.empty()) return {};
    return " at station " + sanitize_for_display(row.station, 64);
}

// Rows whose unit shares its SIM identity with another: withdrawn (never sent), or already
// sent to ALMS before the duplicate showed (to inspect there).
nlohmann::json held_json(const std::vector<store::OutboxRow>& held) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& row : held) {
        out.push_back({{"id", row.id.value},
                       {"data_center", core::to_string(row.registration.data_center)},
                       {"state", store::to_string(row.state)},
                       {"fsn", sanitize_for_display(row.registration.fsn, 64)},
                       {"imei", sanitize_for_display(row.registration.imei, 32)},
                       {"iccid", sanitize_for_display(row.registration.iccid, 32)},
                       {"to_inspect", row.state != store::OutboxState::withdrawn},
                       {"action", store::to_string(row.registration.action)},
                       {"hold", sanitize_for_display(row.hold, 600)}});
        add_station(out.back(), row);
    }
    return out;
}

// When a waiting row is next tried: its next attempt, or for a row claimed now the end of the
// pusher's lease.
std::string next_try(const store::OutboxRow& row) {
    if (row.state == store::OutboxState::claimed && row.lease_until) {
        return core::iso_utc(*row.lease_until, false);
    }
    return core::iso_utc(row.next_attempt, false);
}

// " update to ICCID <iccid>" for an update row (its unit's system moves to a new SIM); "" for
// a create, so the lines of creates read as before.
std::string action_text(const store::OutboxRow& row) {
    if (row.registration.action != store::OutboxAction::update) return {};
    return " update to ICCID " + sanitize_for_display(row.registration.iccid, 32);
}

nlohmann::json waiting_json(const std::vector<store::OutboxRow>& waiting) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& row : waiting) {
        out.push_back({{"id", row.id.value},
                       {"data_center", core::to_string(row.registration.data_center)},
                       {"state", store::to_string(row.state)},
                       {"serial", sanitize_for_display(row.registration.serial, 64)},
                       {"imei", sanitize_for_display(row.registration.imei, 32)},
                       {"attempts", row.attempts},
                       {"next_attempt", next_try(row)},
                       {"action", store::to_string(row.registration.action)}});
        add_station(out.back(), row);
    }
    return out;
}

void print_waiting(const std::vector<store::OutboxRow>& waiting, Console console) {
    for (const auto& row : waiting) {
        console.out << "waiting: " << core::to_string(row.registration.data_center) << ' '
                    << store::to_string(row.state) << ' '
                    << sanitize_for_display(row.registration.serial, 64) << action_text(row)
                    << " (attempts " << row.attempts << "): next attempt " << next_try(row)
                    << at_station(row) << '\n';
    }
}

void print_held(const std::vector<store::OutboxRow>& held, Console console) {
    for (const auto& row : held) {
        const bool withdrawn = row.state == store::OutboxState::withdrawn;
        console.out << (withdrawn ? "withdrawn: " : "to inspect: ")
                    << core::to_string(row.registration.data_center) << ' '
                    << sanitize_for_display(row.registration.fsn, 64) << " ICCID "
                    << sanitize_for_display(row.registration.iccid, 32) << ' '
                    << (withdrawn ? "not sent"
                                  : std::string(store::to_string(row.state)) +
                                        " in ALMS though its SIM is shared")
                    << at_station(row) << ": " << sanitize_for_display(row.hold, 600) << '\n';
    }
}

// The outbox's status (a station's own or the central one) as lines or one JSON object.
int print_status(store::Outbox& outbox, std::string_view verb, std::size_t errors, bool json,
                 Console console) {
    auto status = outbox.outbox_status(std::min<std::size_t>(errors, 1000));
    if (!status) {
        print_error(console.err, std::string(verb), sanitize_for_display(status.error().message, 800));
        return static_cast<int>(ExitCode::error);
    }
    const auto now = std::chrono::system_clock::now();
    std::optional<long long> oldest_s;
    if (status->oldest_pending) {
        oldest_s =
            std::chrono::duration_cast<std::chrono::seconds>(now - *status->oldest_pending).count();
    }
    if (json) {
        nlohmann::json out;
        out["counts"] = nlohmann::json::object();
        for (const auto& dc : {core::DataCenter::na, core::DataCenter::eu}) {
            auto& counts = out["counts"][std::string(core::to_string(dc))];
            for (const auto state :
                 {store::OutboxState::pending, store::OutboxState::claimed,
                  store::OutboxState::registered, store::OutboxState::conflict,
                  store::OutboxState::failed, store::OutboxState::withdrawn,
                  store::OutboxState::in_doubt}) {
                counts[std::string(store::to_string(state))] = 0;
            }
        }
        for (const auto& c : status->counts) {
            out["counts"][std::string(core::to_string(c.data_center))]
               [std::string(store::to_string(c.state))] = c.count;
        }
        out["oldest_pending_age_s"] =
            oldest_s ? nlohmann::json(*oldest_s) : nlohmann::json(nullptr);
        out["last_errors"] = nlohmann::json::array();
        for (const auto& row : status->last_errors) {
            out["last_errors"].push_back(
                {{"id", row.id.value},
                 {"data_center", core::to_string(row.registration.data_center)},
                 {"state", store::to_string(row.state)},
                 {"serial", sanitize_for_display(row.registration.serial, 64)},
                 {"imei", sanitize_for_display(row.registration.imei, 32)},
                 {"attempts", row.attempts},
                 {"error", sanitize_for_display(row.last_error, 600)},
                 {"action", store::to_string(row.registration.action)}});
            add_station(out["last_errors"].back(), row);
        }
        out["held"] = held_json(status->held);
        out["waiting"] = waiting_json(status->waiting_rows);
        console.out << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return static_cast<int>(ExitCode::pass);
    }
    if (status->counts.empty()) console.out << "outbox empty\n";
    for (const auto& c : status->counts) {
        console.out << core::to_string(c.data_center) << ' ' << store::to_string(c.state) << ' '
                    << c.count << '\n';
    }
    if (oldest_s) console.out << "oldest pending: " << *oldest_s << " s ago\n";
    for (const auto& row : status->last_errors) {
        console.out << "last error: " << core::to_string(row.registration.data_center) << ' '
                    << store::to_string(row.state) << ' '
                    << sanitize_for_display(row.registration.serial, 64) << action_text(row)
                    << " (attempts " << row.attempts
                    << ")" << at_station(row) << ": " << sanitize_for_display(row.last_error, 600)
                    << '\n';
    }
    print_waiting(status->waiting_rows, console);
    print_held(status->held, console);
    return static_cast<int>(ExitCode::pass);
}

int run_status(std::span<const std::string> args, Console console) {
    std::string db;
    bool json = false;
    bool central = false;
    std::size_t errors = 10;
    po::options_description desc("station register status options");
    desc.add_options()("help,h", "show this help")("db", po::value(&db), k_db_help)(
        "json", po::bool_switch(&json), "print one JSON object")(
        "errors", po::value(&errors)->default_value(10), "last errors shown")(
        "central", po::bool_switch(&central),
        "the central outbox (every station's synced rows; [central] in the config)");
    if (!parse(args, desc, "station register status [--db FILE | --central] [--json]", console)) {
        return static_cast<int>(ExitCode::pass);
    }
    if (central && !db.empty()) throw UsageError("register status: give --db or --central, not both");
    if (!central) {
        auto store = open_store(db, "status");
        return print_status(store, "register status", errors, json, console);
    }
    auto conn = connect_central("register status");
    if (!conn) {
        print_error(console.err, "register status", sanitize_for_display(conn.error().message, 800));
        return static_cast<int>(conn.error().code);
    }
    central::CentralOutbox outbox(*conn);
    const int code = print_status(outbox, "register status", errors, json, console);
    // The server gone meanwhile: ask again later.
    if (code != static_cast<int>(ExitCode::pass) && !conn->ok()) {
        return static_cast<int>(ExitCode::temporary_failure);
    }
    return code;
}

// --- export -----------------------------------------------------------------------------

void write_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("register export: cannot write " + tmp);
        out << text;
        out.flush();
        if (!out) throw std::runtime_error("register export: write to " + tmp + " failed");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw std::runtime_error("register export: cannot move the file into place at " + path);
    }
}

int run_export(std::span<const std::string> args, Console console) {
    std::string dc_text, format = "alms-csv", out, db, columns_text, state = "pending", company;
    po::options_description desc("station register export options");
    desc.add_options()("help,h", "show this help")("data-center", po::value(&dc_text)->required(),
                                                   "na or eu")(
        "format", po::value(&format)->default_value("alms-csv"), "alms-csv or json")(
        "out", po::value(&out)->required(), "file to write (replaced atomically)")(
        "columns", po::value(&columns_text),
        "comma-separated columns (default NAME,LABELS,GATEWAY[IMEI],GATEWAY[SERIAL NUMBER],ICCID)")(
        "state", po::value(&state)->default_value("pending"),
        "rows to export: pending, failed, conflict, registered or all")(
        "company", po::value(&company), "value of the COMPANY column (reseller target company)")(
        "db", po::value(&db), k_db_help);
    if (!parse(args, desc,
               "station register export --data-center na|eu [--format alms-csv|json] --out FILE",
               console)) {
        return static_cast<int>(ExitCode::pass);
    }
    const auto dc = data_center_arg(dc_text, "export");
    workflows::ExportFormat fmt = workflows::ExportFormat::alms_csv;
    if (format == "json") {
        fmt = workflows::ExportFormat::json;
    } else if (format != "alms-csv") {
        throw UsageError("register export: --format must be alms-csv or json");
    }
    std::vector<std::string> columns = alms::mapping::default_export_columns();
    if (!columns_text.empty()) {
        auto parsed = workflows::parse_export_columns(columns_text);
        if (!parsed) throw UsageError("register export: " + parsed.error().message);
        columns = *parsed;
    }
    std::vector<store::OutboxState> states;
    if (state == "all") {
        states = {store::OutboxState::pending, store::OutboxState::claimed,
                  store::OutboxState::in_doubt, store::OutboxState::failed,
                  store::OutboxState::conflict, store::OutboxState::registered};
    } else if (state == "pending") {
        states = {store::OutboxState::pending, store::OutboxState::claimed};
    } else if (auto one = store::outbox_state_from_string(state);
               one && state != "claimed" && state != "withdrawn") {
        states = {*one};
    } else {
        throw UsageError(
            "register export: --state must be pending, failed, conflict, registered or all"
            " (withdrawn rows are never exported: `register status` lists them)");
    }
    auto store = open_store(db, "export");
    std::vector<store::OutboxRow> rows;
    for (const auto s : states) {
        auto some = store.list_outbox(s, dc);
        if (!some) throw std::runtime_error(some.error().message);
        rows.insert(rows.end(), some->begin(), some->end());
    }
    std::sort(rows.begin(), rows.end(),
              [](const store::OutboxRow& x, const store::OutboxRow& y) { return x.id < y.id; });
    write_atomically(out, workflows::export_rows(rows, columns, fmt, company));
    console.out << "exported " << rows.size() << " units of " << core::to_string(dc) << " to "
                << sanitize_for_display(out, 300) << '\n';
    const auto updates = std::count_if(rows.begin(), rows.end(), [](const store::OutboxRow& r) {
        return r.registration.action == store::OutboxAction::update;
    });
    if (updates > 0) {
        console.out << "note: " << updates
                    << " of them are updates (action update: the unit's system exists; change its"
                       " SIM to the ICCID given, never create it; column ACTION, JSON action)\n";
    }
    return static_cast<int>(ExitCode::pass);
}

// push: Ctrl-C / SIGTERM stop it between units (the outbox keeps the rest).
int run_push_verb(std::span<const std::string> args, Console console) {
    const StopSignals signals;
    return run_push(args, console);
}

constexpr std::array k_register_verbs{
    VerbRow{"push", "register queued units in ALMS, exactly once", &run_push_verb},
    VerbRow{"status", "the outbox: queued, registered, refused, per data center", &run_status},
    VerbRow{"export", "the queued units of one data center as a bulk-registration file",
            &run_export},
};

}  // namespace

int run_register(std::span<const std::string> args, Console console) {
    if (args.empty()) throw UsageError("register: give a verb: " + verb_list(k_register_verbs));
    const std::string& verb = args.front();
    if (verb == "--help" || verb == "-h" || verb == "help") {
        return print_verb_help("register", k_register_verbs, console);
    }
    if (const auto* row = find_verb(k_register_verbs, verb)) {
        return row->run(args.subspan(1), console);
    }
    throw UsageError("register: unknown verb '" + sanitize_for_display(verb, 40) + "' (" +
                     verb_list(k_register_verbs) + ")");
}

}  // namespace station::app
