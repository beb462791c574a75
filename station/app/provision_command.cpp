// station provision: a pallet through identify -> verify SKU -> duplicates -> queue
// registration -> record, every slot in parallel, shown live, ending with a summary.
#include <unistd.h>
#include <cstdlib>
#include <functional>
#include <ostream>

#include <boost/program_options.hpp>

#include <drivers/usb/libusb_bus.hpp>
#include <drivers/usb/modem_manager.hpp>
#include <fixtures/rig/rig.hpp>
#include <profiles/loader.hpp>
#include <station/app/alms_session.hpp>
#include <station/app/central_check.hpp>
#include <station/app/central_config.hpp>
#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/labels.hpp>
#include <station/app/open_files.hpp>
#include <station/app/pallet_view.hpp>
#include <station/app/profile_lookup.hpp>
#include <station/app/provision_push.hpp>
#include <station/app/stop_signals.hpp>
#include <station/app/usage_error.hpp>
#include <station/app/version.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/utf8.hpp>
#include <station/store/store.hpp>
#include <station/workflows/provision.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

struct ProvisionArgs {
    std::string profile;
    std::string pallet;
    std::string rig;
    std::vector<std::string> ports;
    std::string operator_name;
    int term = 1;
    std::string po_number;
    bool watch = false;
    std::int64_t resume = 0;
    std::string db;
    bool json_events = false;
    int timeout_ms = 2000;
    bool no_concat = false;
    int wait_s = 5;
    int settle_ms = 2000;
    std::string profiles_dir;
    bool push = false;
    std::string credentials;
    std::string manifest;
    bool no_manifest = false;
    bool require_complete = false;
    bool label = false;
    std::string label_out;
    std::string printer;
};

// One look-up/create pass per unit during a run: a unit ALMS does not settle at once waits in the
// outbox for `station register push` (full retries), so the end of a run never waits long on ALMS.
constexpr int k_push_attempts = 1;

po::options_description provision_options(ProvisionArgs& a) {
    po::options_description desc("station provision options");
    desc.add_options()("help,h", "show this help")("profile", po::value(&a.profile)->required(),
                                                   "the pallet's SKU profile, e.g. xr90-na")(
        "pallet", po::value(&a.pallet)->required(), "pallet id (from its label)")(
        "rig", po::value(&a.rig), "rig file: the bench's slots")(
        "port", po::value(&a.ports)->composing(), "an AT port as a slot (repeatable)")(
        "operator", po::value(&a.operator_name), "who runs the pallet (default: $USER)")(
        "term", po::value(&a.term)->default_value(1), "registration term in years: 1, 3 or 5")(
        "po", po::value(&a.po_number), "purchase order number")(
        "watch", po::bool_switch(&a.watch), "keep running for a shift: unit after unit")(
        "resume", po::value(&a.resume), "continue an interrupted run")(
        "db", po::value(&a.db), k_db_help)("json-events", po::bool_switch(&a.json_events),
                                           "print one JSON object per event")(
        "timeout-ms", po::value(&a.timeout_ms)->default_value(2000), "deadline per AT command")(
        "no-concat", po::bool_switch(&a.no_concat), "one AT command per line (no combined lines)")(
        "wait-s", po::value(&a.wait_s)->default_value(5), "without --watch: wait for units")(
        "settle-ms", po::value(&a.settle_ms)->default_value(2000),
        "USB: a unit's ports must be stable this long")("profiles-dir", po::value(&a.profiles_dir),
                                                        "folder of SKU profiles")(
        "push", po::bool_switch(&a.push),
        "register each PASS unit in ALMS right away (it stays queued when ALMS is down)")(
        "credentials", po::value(&a.credentials),
        "with --push: ALMS credentials file (default as for `station register push`)")(
        "manifest", po::value(&a.manifest),
        "the pallet's packing list (CSV or JSON lines): each unit's SKU comes from its line")(
        "no-manifest", po::bool_switch(&a.no_manifest),
        "decide on the units' own signals alone (recorded on the run)")(
        "require-complete", po::bool_switch(&a.require_complete),
        "with --manifest: manifest lines no unit matched make the run ERROR")(
        "label", po::bool_switch(&a.label), "a ZPL label per PASS unit (--label-out or --printer)")(
        "label-out", po::value(&a.label_out), "with --label: write each label file into DIR")(
        "printer", po::value(&a.printer), "with --label: print to HOST:PORT (raw 9100) or DEVICE");
    return desc;
}

// After the summary with --push: what ALMS settled and what waits in the outbox.
std::string push_line(store::Store& store, core::DataCenter dc, const PushTally& t) {
    const std::string name = dc == core::DataCenter::na ? "NA" : "EU";
    std::string line = "ALMS " + name + ": " + std::to_string(t.registered) + " registered (" +
                       std::to_string(t.already_registered) + " already there), " +
                       std::to_string(t.conflicts) + " conflicts, " + std::to_string(t.failed) +
                       " refused";
    const auto status = store.outbox_status(0);
    if (!status) return line + "; the outbox could not be read: " + status.error().message + "\n";
    const std::int64_t queued = status->waiting(dc);
    line += "; " + std::to_string(queued) + " queued";
    if (t.alms_down) line += " (ALMS " + name + " did not answer)";
    if (queued > 0) line += ": `station register push` sends them later";
    line += "\n";
    if (t.station_error) line += "ALMS " + name + ": stopped pushing: " + *t.station_error + "\n";
    if (t.conflicts + t.failed > 0) line += "See `station register status` for ALMS's words.\n";
    return line;
}

std::optional<ProvisionArgs> parse_provision(std::span<const std::string> args, Console console) {
    ProvisionArgs a;
    const auto desc = provision_options(a);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station provision --profile NAME --pallet ID"
                       " (--rig FILE | --port PATH...) [options]\n"
                    << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (a.rig.empty() == a.ports.empty()) {
        throw UsageError("provision: give either --rig FILE or --port PATH (one or more)");
    }
    if (a.term != 1 && a.term != 3 && a.term != 5) {
        throw UsageError("provision: --term must be 1, 3 or 5 (years)");
    }
    if (a.timeout_ms < 1 || a.timeout_ms > k_max_timeout_ms) {
        throw UsageError("provision: --timeout-ms must be 1..600000");
    }
    if (a.wait_s < 0 || a.wait_s > 3600) throw UsageError("provision: --wait-s must be 0..3600");
    if (a.settle_ms < 0 || a.settle_ms > 60000) {
        throw UsageError("provision: --settle-ms must be 0..60000");
    }
    if (vm.count("resume") != 0U && a.resume <= 0) {
        throw UsageError("provision: --resume needs a run id (a positive number)");
    }
    if (a.operator_name.empty()) {
        const char* user = std::getenv("USER");
        a.operator_name = user && *user ? user : "unknown";
    }
    check_operator_text("provision", "--pallet", a.pallet, k_max_operator_text);
    check_operator_text("provision", "--operator", a.operator_name, k_max_operator_text);
    check_operator_text("provision", "--po", a.po_number, k_max_operator_text);
    if (a.pallet.empty()) throw UsageError("provision: --pallet is empty");
    return a;
}

std::vector<workflows::SlotTarget> slots_of(const ProvisionArgs& a) {
    std::vector<workflows::SlotTarget> slots;
    if (!a.rig.empty()) {
        auto rig = fixtures::rig::load_rig(a.rig);
        if (!rig) throw UsageError("provision: " + rig.error().message);
        for (const auto& slot : rig->slots) {
            if (slot.kind == fixtures::rig::SlotKind::sim) {
                throw UsageError("provision: " + a.rig + ":" + std::to_string(slot.line) +
                                 ": slot " + slot.label +
                                 " is a simulated router not bound to a pty (start routersim "
                                 "and give its ports with --port, see scripts/demo)");
            }
            slots.push_back({slot.label, slot.usb, slot.port});
        }
    }
    for (const auto& port : a.ports) {
        if (port.empty()) throw UsageError("provision: --port is empty");
        slots.push_back({port, "", port});
    }
    return slots;
}

// A --port that is not there is said at once, not after waiting --wait-s for it: a typo stops
// the run (exit 64); with --watch a unit may still be plugged in later, so it only warns.
void check_ports_exist(const ProvisionArgs& a, Console console) {
    for (const auto& port : a.ports) {
        std::error_code ec;
        if (std::filesystem::exists(port, ec)) continue;
        const std::string what = "--port " + core::sanitize_for_display(port, 256) + ": " +
                                 (ec ? ec.message() : "no such file or directory");
        if (!a.watch) throw UsageError("provision: " + what);
        console.err << "station: warning: " << what << " (waiting for it: --watch)\n";
    }
}

// A second Ctrl-C / SIGTERM: the store's queued writes are committed and this run is closed as
// interrupted (what the next open would do), then the process exits 3 without waiting.
std::function<void()> second_stop(store::Store& store, std::ostream& err) {
    return [&store, &err] {
        auto closed = store.interrupt_own_runs();
        std::string line = "station: provision: stopped at once (second signal)";
        if (!closed) {
            line += "; " + closed.error().message;
        } else {
            for (const auto& run : *closed) {
                const auto id = std::to_string(run.value);
                line += "; run " + id + " interrupted (continue it with --resume " + id + ")";
            }
        }
        err << line << '\n' << std::flush;
    };
}

// --label with its one target; the folder must exist (checked before any unit).
std::optional<LabelTarget> label_target_of(const ProvisionArgs& a) {
    const bool given = !a.label_out.empty() || !a.printer.empty();
    if (!a.label) {
        if (given) throw UsageError("provision: --label-out and --printer need --label");
        return std::nullopt;
    }
    if (a.label_out.empty() == a.printer.empty()) {
        throw UsageError("provision: --label needs one of --label-out DIR or --printer TARGET");
    }
    if (!a.printer.empty()) {
        auto target = parse_printer(a.printer);
        if (!target) throw UsageError("provision: " + target.error().message);
        return *target;
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(a.label_out, ec)) {
        throw UsageError("provision: --label-out " + core::sanitize_for_display(a.label_out, 300) +
                         ": not a folder");
    }
    return label_dir(a.label_out);
}

}  // namespace

int run_provision(std::span<const std::string> args, Console console) {
    const auto parsed = parse_provision(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const ProvisionArgs& a = *parsed;

    const auto set = load_profiles_for("provision", a.profiles_dir, profiles::FileHashes::compute);
    const profiles::Profile* pallet = &profile_named(set, a.profile, "provision", "--profile");
    const auto slots = slots_of(a);
    check_ports_exist(a, console);
    check_manifest_choice("provision", pallet, !a.manifest.empty(), a.no_manifest);
    if (a.require_complete && a.manifest.empty()) {
        throw UsageError("provision: --require-complete needs --manifest FILE");
    }
    const auto manifest = manifest_for("provision", a.manifest, set);
    const auto label_target = label_target_of(a);
    if (auto files = ensure_open_files("provision", slots.size()); !files) {
        print_command_error(console.err, "provision", files.error().message);
        return static_cast<int>(ExitCode::error);
    }

    std::unique_ptr<drivers::usb::UsbBus> bus;
    const bool needs_usb =
        std::any_of(slots.begin(), slots.end(), [](const auto& s) { return s.port.empty(); });
    if (needs_usb) {
        if (const auto pid = drivers::usb::find_modem_manager()) {
            console.err << "station: warning: " << drivers::usb::modem_manager_warning(*pid)
                        << '\n';
        }
        auto opened = drivers::usb::open_libusb_bus({drivers::usb::HotplugMode::polling, {}});
        if (!opened) {
            print_error(console.err, "provision", "cannot use USB: " + opened.error().message);
            return static_cast<int>(ExitCode::error);
        }
        bus = std::move(*opened);
    }

    const std::filesystem::path db_path = resolve_db_path(a.db, "provision");
    auto store = store::Store::open(db_path);
    if (!store) {
        print_error(console.err, "provision", store.error().message);
        return static_cast<int>(ExitCode::error);
    }

    // --push: the pallet's data center must be reachable with valid settings before any unit
    // is touched; a missing or unsafe credentials file stops here, naming it.
    std::unique_ptr<AlmsSession> alms;
    const core::DataCenter data_center = core::data_center_for(pallet->sku.region);
    if (a.push) {
        auto session = AlmsSession::open(data_center, a.credentials, k_push_attempts);
        if (!session) {
            print_error(console.err, "provision", "--push: " + session.error().message);
            return static_cast<int>(ExitCode::error);
        }
        alms = std::move(*session);
    } else if (!a.credentials.empty()) {
        throw UsageError("provision: --credentials is only used with --push");
    }

    StopSignals signals(second_stop(*store, console.err));
    workflows::ProvisionOptions options;
    options.profiles = &set;
    options.pallet = pallet;
    options.pallet_id = a.pallet;
    options.operator_name = a.operator_name;
    options.station_version = station_version();
    options.term_years = a.term;
    options.po = a.po_number;
    options.manifest = manifest ? &*manifest : nullptr;
    options.no_manifest = a.no_manifest;
    options.require_complete = a.require_complete;
    options.command_timeout = std::chrono::milliseconds(a.timeout_ms);
    options.no_concat = a.no_concat;
    options.wait_for_unit = std::chrono::seconds(a.wait_s);
    options.settle = std::chrono::milliseconds(a.settle_ms);
    options.watch = a.watch;
    if (a.resume > 0) options.resume = store::RunId{a.resume};
    options.stop = &StopSignals::flag();
    options.usb = bus.get();
    auto central = central_check("provision", db_path);
    options.central = central.get();

    const bool tty = ::isatty(STDOUT_FILENO) == 1;
    const ViewMode mode = choose_view(a.json_events, tty);
    std::unique_ptr<workflows::EventSink> sink;
    JsonEvents* json_events = nullptr;  // json mode: writes the summary on the last line
    if (mode == ViewMode::json) {
        auto events = std::make_unique<JsonEvents>(console.out);
        json_events = events.get();
        sink = std::move(events);
    } else {
        sink = make_event_sink(mode, console.out, nullptr, a.watch);
    }
    std::unique_ptr<RunPusher> pusher;
    if (alms)
        pusher = std::make_unique<RunPusher>(*store, std::move(alms), *sink, &StopSignals::flag());
    auto summary = workflows::provision(
        *store, slots, options, pusher ? static_cast<workflows::EventSink&>(*pusher) : *sink);
    if (pusher) pusher->finish();  // the last PASS units' registrations, bounded by timeouts
    if (json_events && summary) json_events->finish(*summary);
    sink.reset();  // final redraw before the summary
    if (!summary) {
        print_error(console.err, "provision", summary.error().message);
        return static_cast<int>(
            summary.error().reason == core::Reason::bad_usage ? ExitCode::usage : ExitCode::error);
    }
    if (summary->already_ended) {
        // Nothing was done: say so (on stderr when stdout carries JSON events), exit as the run.
        (mode == ViewMode::json ? console.err : console.out)
            << "station: provision: run " << summary->run.value << " already ended "
            << to_string(summary->outcome) << "; nothing to resume (see `station report --run "
            << summary->run.value << "`)\n";
        return static_cast<int>(exit_code_of(summary->outcome));
    }
    if (mode != ViewMode::json) {
        const SummaryContext context{a.pallet, pallet->name(), db_path.string()};
        console.out << render_summary(*summary, context, mode == ViewMode::live);
        if (pusher) console.out << push_line(*store, data_center, pusher->tally());
    }
    if (label_target) {
        const auto tally =
            print_run_labels(db_path, *store, summary->run, *label_target, console.err);
        if (mode != ViewMode::json) console.out << label_line(tally, *label_target);
    }
    return static_cast<int>(exit_code_of(summary->outcome));
}

}  // namespace station::app
