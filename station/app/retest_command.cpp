// station retest: returned units of one RMA through the pallet engine, each compared with its
// provisioning record (and with --alms-check looked up in ALMS), shown live, ending with every
// unit, its findings and the action to take.
#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <set>

#include <boost/program_options.hpp>

#include <fixtures/rig/rig.hpp>
#include <profiles/loader.hpp>
#include <station/app/alms_check_session.hpp>
#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/open_files.hpp>
#include <station/app/pallet_view.hpp>
#include <station/app/profile_lookup.hpp>
#include <station/app/stop_signals.hpp>
#include <station/app/usage_error.hpp>
#include <station/app/version.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/sku_profile.hpp>
#include <station/core/utf8.hpp>
#include <station/store/store.hpp>
#include <station/workflows/retest.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

struct RetestArgs {
    std::string rma;
    std::vector<std::string> ports;
    std::string rig;
    std::vector<std::string> slots;
    std::string profile;
    std::string part_number;
    bool alms_check = false;
    bool reregister = false;
    std::string customer;
    std::string note;
    std::string operator_name;
    std::string db;
    bool json_events = false;
    std::string credentials;
    int timeout_ms = 2000;
    int wait_s = 5;
    bool no_concat = false;
    std::string profiles_dir;
};

constexpr std::size_t k_max_note = 1000;
constexpr std::size_t k_max_fsn = 64;

po::options_description retest_options(RetestArgs& a) {
    po::options_description desc("station retest options");
    auto add = desc.add_options();
    add("help,h", "show this help");
    add("rma", po::value(&a.rma)->required(), "the RMA number the units came back under");
    add("port", po::value(&a.ports)->composing(), "an AT port as a slot (repeatable)");
    add("rig", po::value(&a.rig), "rig file: the bench's slots");
    add("slot", po::value(&a.slots)->composing(), "with --rig: only this slot (repeatable)");
    add("profile", po::value(&a.profile),
        "units with neither a record nor --part-number must be this SKU profile");
    add("part-number", po::value(&a.part_number),
        "the label's part number, for units the store has no record of");
    add("alms-check", po::bool_switch(&a.alms_check),
        "look each unit up in ALMS (both data centers, read-only)");
    add("reregister", po::bool_switch(&a.reregister),
        "queue an ALMS update for units whose SIM was swapped (`register push` sends it)");
    add("customer", po::value(&a.customer), "the customer who returned the units");
    add("note", po::value(&a.note), "a note kept with the RMA");
    add("operator", po::value(&a.operator_name), "who runs the retest (default: $USER)");
    add("db", po::value(&a.db), k_db_help);
    add("json-events", po::bool_switch(&a.json_events), "print one JSON object per event");
    add("credentials", po::value(&a.credentials), "with --alms-check: ALMS credentials file");
    add("timeout-ms", po::value(&a.timeout_ms)->default_value(2000), "deadline per AT command");
    add("wait-s", po::value(&a.wait_s)->default_value(5), "wait this long for units");
    add("no-concat", po::bool_switch(&a.no_concat), "one AT command per line");
    add("profiles-dir", po::value(&a.profiles_dir), "folder of SKU profiles");
    return desc;
}

std::optional<RetestArgs> parse_retest(std::span<const std::string> args, Console console) {
    RetestArgs a;
    const auto desc = retest_options(a);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station retest --rma ID (--port PATH... | --rig FILE [--slot "
                       "LABEL...]) [options]\n"
                    << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (a.rig.empty() == a.ports.empty()) {
        throw UsageError("retest: give either --rig FILE or --port PATH (one or more)");
    }
    if (!a.slots.empty() && a.rig.empty()) throw UsageError("retest: --slot needs --rig FILE");
    if (a.timeout_ms < 1 || a.timeout_ms > 600000) {
        throw UsageError("retest: --timeout-ms must be 1..600000");
    }
    if (a.wait_s < 0 || a.wait_s > 3600) throw UsageError("retest: --wait-s must be 0..3600");
    if (!a.credentials.empty() && !a.alms_check) {
        throw UsageError("retest: --credentials is only used with --alms-check");
    }
    if (vm.count("part-number") != 0U && a.part_number.empty()) {
        throw UsageError("retest: --part-number is empty");
    }
    if (a.operator_name.empty()) {
        const char* user = std::getenv("USER");
        a.operator_name = user && *user ? user : "unknown";
    }
    if (a.rma.empty()) throw UsageError("retest: --rma is empty");
    check_operator_text("retest", "--rma", a.rma, k_max_operator_text);
    check_operator_text("retest", "--customer", a.customer, k_max_operator_text);
    check_operator_text("retest", "--note", a.note, k_max_note);
    check_operator_text("retest", "--operator", a.operator_name, k_max_operator_text);
    check_operator_text("retest", "--part-number", a.part_number, k_max_operator_text);
    return a;
}

std::vector<workflows::SlotTarget> retest_slots(const RetestArgs& a) {
    std::vector<workflows::SlotTarget> slots;
    if (!a.rig.empty()) {
        auto rig = fixtures::rig::load_rig(a.rig);
        if (!rig) throw UsageError("retest: " + rig.error().message);
        std::set<std::string> wanted(a.slots.begin(), a.slots.end());
        for (const auto& slot : rig->slots) {
            if (!wanted.empty() && wanted.erase(slot.label) == 0U) continue;
            if (slot.kind == fixtures::rig::SlotKind::sim) {
                throw UsageError("retest: " + a.rig + ":" + std::to_string(slot.line) + ": slot " +
                                 slot.label +
                                 " is a simulated router not bound to a pty (give its port "
                                 "with --port)");
            }
            slots.push_back({slot.label, slot.usb, slot.port});
        }
        if (!wanted.empty()) {
            throw UsageError("retest: --slot " + core::sanitize_for_display(*wanted.begin(), 64) +
                             ": no such slot in " + a.rig);
        }
    }
    for (const auto& port : a.ports) {
        std::error_code ec;
        if (port.empty()) throw UsageError("retest: --port is empty");
        if (!std::filesystem::exists(port, ec)) {
            throw UsageError("retest: --port " + core::sanitize_for_display(port, 256) +
                             ": no such file or directory");
        }
        slots.push_back({port, "", port});
    }
    return slots;
}

// The profile the units are read with (its identify plan): --profile, else the one the part
// number names, else the first of the set (every shipped profile has the same plan).
const profiles::Profile& reading_profile(const profiles::ProfileSet& set, const RetestArgs& a) {
    if (!a.profile.empty()) return profile_named(set, a.profile, "retest", "--profile");
    if (set.profiles.empty()) throw UsageError("retest: no SKU profiles");
    if (a.part_number.empty()) return set.profiles.front();
    const auto skus = set.skus();
    const auto* sku = core::profile_with_part(skus, a.part_number);
    if (sku == nullptr) {
        std::string known;
        for (const auto& p : set.profiles) {
            for (const auto& part : p.sku.part_numbers) {
                known += (known.empty() ? "" : ", ") + part + " (" + p.name() + ")";
            }
        }
        throw UsageError("retest: --part-number " + core::sanitize_for_display(a.part_number, 64) +
                         " is listed by no profile (known: " + known + ")");
    }
    return *set.find(sku->name);
}

std::string render_retest(const workflows::RunSummary& s, const RetestArgs& a,
                          const std::string& db) {
    std::string out = "\nRMA " + a.rma + ": run " + std::to_string(s.run.value) + " " +
                      std::string(to_string(s.outcome)) + ", " + std::to_string(s.units.size()) +
                      " unit(s)\n";
    for (const auto& u : s.units) {
        const auto action = workflows::retest_action(u.outcome, u.findings);
        out += "  " + core::sanitize_for_display(u.slot, 64) + "  " +
               (u.fsn.empty() ? std::string("-") : core::sanitize_for_display(u.fsn, k_max_fsn)) +
               "  " + std::string(to_string(u.outcome));
        if (u.reason) out += " " + std::string(to_string(*u.reason));
        out += "  action: " + (action.empty() ? std::string("retest it") : action) + "\n";
        for (const auto& f : u.findings) out += "      " + workflows::describe_finding(f) + "\n";
        if (u.findings.empty() && u.outcome != core::Outcome::pass) {
            out += "      " + core::sanitize_for_display(u.message, 400) + "\n";
        }
    }
    for (const auto& slot : s.empty_slots) out += "  " + slot + "  (no unit)\n";
    for (const auto& slot : s.quarantined_slots) out += "  " + slot + "  quarantined\n";
    out += "Results: " + db + " (`station report --rma " + a.rma + "`)\n";
    return out;
}

}  // namespace

int run_retest(std::span<const std::string> args, Console console) {
    const auto parsed = parse_retest(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const RetestArgs& a = *parsed;
    const auto set = load_profiles_for("retest", a.profiles_dir, profiles::FileHashes::compute);
    const profiles::Profile& reading = reading_profile(set, a);
    const auto slots = retest_slots(a);
    if (slots.empty()) throw UsageError("retest: no slots to test");
    if (auto files = ensure_open_files("retest", slots.size()); !files) {
        print_command_error(console.err, "retest", files.error().message);
        return static_cast<int>(ExitCode::error);
    }
    // Settings or credentials that cannot be loaded end every unit ERROR alms_unavailable
    // naming the cause (make_alms_check_hook), never a PASS without the look-up.
    workflows::AlmsCheckHook alms;
    if (a.alms_check) alms = make_alms_check_hook(a.credentials);
    const std::filesystem::path db_path = resolve_db_path(a.db, "retest");
    auto store = store::Store::open(db_path);
    if (!store) {
        print_error(console.err, "retest", store.error().message);
        return static_cast<int>(ExitCode::error);
    }

    // A second Ctrl-C / SIGTERM: queued writes committed, this run closed as interrupted, exit 3.
    StopSignals signals([&store, &console] {
        auto closed = store->interrupt_own_runs();
        console.err << "station: retest: stopped at once (second signal)"
                    << (closed ? "" : "; " + closed.error().message) << '\n'
                    << std::flush;
    });
    workflows::RetestOptions options;
    options.run.profiles = &set;
    options.run.pallet = &reading;
    options.run.operator_name = a.operator_name;
    options.run.station_version = station_version();
    options.run.command_timeout = std::chrono::milliseconds(a.timeout_ms);
    options.run.no_concat = a.no_concat;
    options.run.wait_for_unit = std::chrono::seconds(a.wait_s);
    options.run.stop = &StopSignals::flag();
    options.rma = a.rma;
    options.customer = a.customer;
    options.note = a.note;
    options.expected = a.profile.empty() ? nullptr : &reading;
    options.part_number = a.part_number;
    options.alms_check = std::move(alms);
    options.reregister = a.reregister;

    const ViewMode mode = choose_view(a.json_events, ::isatty(STDOUT_FILENO) == 1);
    std::unique_ptr<workflows::EventSink> sink;
    JsonEvents* json_events = nullptr;
    if (mode == ViewMode::json) {
        auto events = std::make_unique<JsonEvents>(console.out);
        json_events = events.get();
        sink = std::move(events);
    } else {
        sink = make_event_sink(mode, console.out);
    }
    auto summary = workflows::retest(*store, slots, options, *sink);
    if (json_events && summary) json_events->finish(*summary);
    sink.reset();
    if (!summary) {
        print_error(console.err, "retest", summary.error().message);
        return static_cast<int>(
            summary.error().reason == core::Reason::bad_usage ? ExitCode::usage : ExitCode::error);
    }
    if (mode != ViewMode::json) console.out << render_retest(*summary, a, db_path.string());
    return static_cast<int>(exit_code_of(summary->outcome));
}

}  // namespace station::app
