// station regress: the nightly rig regression (issue 17). A night of a rig of known units
// through the pallet engine, judged against the golden file and the earlier nights; or, with
// --record-golden, one iteration written as a golden file for a person to review. Made to run
// while nobody watches: no prompts, plain lines, bounded by --deadline-min.
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

#include <boost/program_options.hpp>

#include <fixtures/rig/rig.hpp>
#include <profiles/loader.hpp>
#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/open_files.hpp>
#include <station/app/profile_lookup.hpp>
#include <station/app/stop_signals.hpp>
#include <station/app/usage_error.hpp>
#include <station/app/version.hpp>
#include <station/config/golden_file.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/report/regress.hpp>
#include <station/store/store.hpp>
#include <station/workflows/regress.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

struct RegressArgs {
    std::string rig;
    std::string golden;
    std::string record_golden;
    bool force = false;
    int iterations = 1;
    std::string junit;
    std::string html;
    std::string json;
    int baseline_nights = 7;
    std::string db;
    double deadline_min = 60;
    double slower_percent = 25.0;
    double slower_ms = 20.0;
    std::string profiles_dir;
    int timeout_ms = 2000;
    int wait_s = 5;
    std::string now;  // hidden: the night's start, for tests and replays
};

po::options_description regress_options(RegressArgs& a) {
    po::options_description desc("station regress options");
    auto add = desc.add_options();
    add("help,h", "show this help");
    add("rig", po::value(&a.rig), "rig file: the regression rig's slots (required)");
    add("golden", po::value(&a.golden), "golden file: what each slot's unit must read");
    add("record-golden", po::value(&a.record_golden),
        "run one iteration and write its golden file here (for a person to review)");
    add("force", po::bool_switch(&a.force), "with --record-golden: overwrite the file");
    add("iterations", po::value(&a.iterations)->default_value(1), "runs of the rig tonight");
    add("junit", po::value(&a.junit), "write JUnit XML here");
    add("html", po::value(&a.html), "write the HTML report here");
    add("json", po::value(&a.json), "write the JSON report here");
    add("baseline-nights", po::value(&a.baseline_nights)->default_value(7),
        "earlier nights the timings are compared with");
    add("db", po::value(&a.db), k_db_help);
    add("deadline-min", po::value(&a.deadline_min)->default_value(60.0, "60"),
        "stop the night after this many minutes (its units ABORTED, exit 2)");
    add("slower-percent", po::value(&a.slower_percent)->default_value(25.0),
        "slower: more than this many percent above the baseline...");
    add("slower-ms", po::value(&a.slower_ms)->default_value(20.0),
        "...and more than this many milliseconds above it");
    add("profiles-dir", po::value(&a.profiles_dir), "folder of SKU profiles");
    add("timeout-ms", po::value(&a.timeout_ms)->default_value(2000), "deadline per AT command");
    add("wait-s", po::value(&a.wait_s)->default_value(5), "wait this long for each slot's unit");
    return desc;
}

void require_range(const char* option, double value, double low, double high) {
    if (value < low || value > high) {
        std::ostringstream range;
        range << low << ".." << high;
        throw UsageError(std::string("regress: ") + option + " must be " + range.str());
    }
}

void check_args(const RegressArgs& a, const po::variables_map& vm) {
    if (a.rig.empty()) throw UsageError("regress: --rig FILE is required");
    const bool recording = vm.count("record-golden") != 0U;
    if (recording && a.record_golden.empty()) throw UsageError("regress: --record-golden is empty");
    if (recording && vm.count("golden") != 0U) {
        throw UsageError("regress: give either --golden FILE or --record-golden FILE, not both");
    }
    if (!recording && a.golden.empty()) {
        throw UsageError("regress: --golden FILE is required (or --record-golden FILE)");
    }
    if (a.force && !recording) throw UsageError("regress: --force is only used with --record-golden");
    for (const char* name : {"junit", "html", "json"}) {
        if (vm.count(name) == 0U) continue;
        if (recording) {
            throw UsageError(std::string("regress: --") + name + " is not used with --record-golden");
        }
        if (vm[name].as<std::string>().empty()) {
            throw UsageError(std::string("regress: --") + name + " is empty");
        }
    }
    require_range("--iterations", a.iterations, 1, 1000);
    require_range("--baseline-nights", a.baseline_nights, 1, 365);
    if (!(a.deadline_min > 0 && a.deadline_min <= 1440)) {
        throw UsageError("regress: --deadline-min must be more than 0 and at most 1440");
    }
    require_range("--slower-percent", a.slower_percent, 0, 10000);
    require_range("--slower-ms", a.slower_ms, 0, 600000);
    require_range("--timeout-ms", a.timeout_ms, 1, 600000);
    require_range("--wait-s", a.wait_s, 0, 3600);
}

std::optional<RegressArgs> parse_regress(std::span<const std::string> args, Console console) {
    RegressArgs a;
    const auto desc = regress_options(a);
    po::options_description hidden;
    hidden.add_options()("now", po::value(&a.now), "the night's start (ISO 8601 UTC)");
    po::options_description all;
    all.add(desc).add(hidden);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, all), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station regress --rig FILE --golden FILE [options]\n"
                       "       station regress --rig FILE --record-golden FILE [--force]\n"
                    << desc;
        return std::nullopt;
    }
    po::notify(vm);
    check_args(a, vm);
    if (vm.count("now") != 0U && !core::parse_utc_date(a.now)) {
        throw UsageError("regress: --now " + core::sanitize_for_display(a.now, 64) +
                         ": not an ISO 8601 UTC time (2026-11-28T02:00:00Z)");
    }
    return a;
}

struct RigSlots {
    std::string id;
    std::vector<workflows::SlotTarget> slots;
};

RigSlots rig_slots(const std::string& path) {
    auto rig = fixtures::rig::load_rig(path);
    if (!rig) throw UsageError("regress: --rig: " + rig.error().message);
    RigSlots out{rig->name, {}};
    if (out.id.empty()) out.id = std::filesystem::path(path).stem().string();
    for (const auto& slot : rig->slots) {
        if (slot.kind == fixtures::rig::SlotKind::sim) {
            throw UsageError("regress: --rig: " + path + ":" + std::to_string(slot.line) +
                             ": slot " + slot.label + " is a simulated router not bound to a pty");
        }
        out.slots.push_back({slot.label, slot.usb, slot.port});
    }
    if (out.slots.empty()) throw UsageError("regress: --rig: " + path + ": no slots");
    return out;
}

core::Golden golden_for(const RegressArgs& a, const profiles::ProfileSet& set,
                        const RigSlots& rig) {
    const config::KnownProfile known = [&set](std::string_view name) {
        return set.find(std::string(name)) != nullptr;
    };
    auto golden = config::load_golden(a.golden, known);
    if (!golden) throw UsageError("regress: --golden: " + golden.error().message);
    std::set<std::string> labels;
    for (const auto& slot : rig.slots) labels.insert(slot.label);
    for (const auto& slot : golden->slots) {
        if (labels.count(slot.slot) == 0U) {
            throw UsageError("regress: --golden: " + a.golden + ":" + std::to_string(slot.line) +
                             ": slot " + core::sanitize_for_display(slot.slot, 64) +
                             " is not in the rig " + a.rig);
        }
    }
    return *golden;
}

// Writes beside `path` and renames into place: a reader never sees half a file.
core::Result<void> write_atomically(const std::string& path, const std::string& text) {
    const std::string partial = path + ".partial-" + std::to_string(::getpid());
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(partial, ec);
            return core::fail(core::Reason::store_error, path + ": cannot write");
        }
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) {
        std::filesystem::remove(partial, ec);
        return core::fail(core::Reason::store_error, path + ": cannot write: " + ec.message());
    }
    return {};
}

// Plain output: nothing live (the night's text once it is judged).
class QuietSink final : public workflows::EventSink {
  public:
    void on_event(const workflows::Event&) override {}
};

workflows::RegressOptions night_options(const RegressArgs& a, const profiles::ProfileSet& set,
                                        const RigSlots& rig, const core::Golden* golden) {
    workflows::RegressOptions o;
    o.run.profiles = &set;
    o.run.pallet = &set.profiles.front();
    const char* user = std::getenv("USER");
    o.run.operator_name = user && *user ? user : "regress";
    o.run.station_version = station_version();
    o.run.command_timeout = std::chrono::milliseconds(a.timeout_ms);
    o.run.wait_for_unit = std::chrono::seconds(a.wait_s);
    o.rig = rig.id;
    o.golden = golden;
    o.iterations = a.record_golden.empty() ? a.iterations : 1;
    o.threshold = {a.slower_percent, a.slower_ms, a.baseline_nights};
    o.started = a.now.empty() ? core::Clock::now() : *core::parse_utc_date(a.now);
    o.deadline = std::chrono::steady_clock::now() +
                 std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                     std::chrono::duration<double, std::ratio<60>>(a.deadline_min));
    o.stop = &StopSignals::flag();
    o.record_only = !a.record_golden.empty();
    return o;
}

int record_golden(const RegressArgs& a, const workflows::RegressNight& night,
                  const RigSlots& rig, Console console) {
    const auto golden = workflows::golden_from(night.report.observations, rig.slots, a.record_golden);
    const std::string header = "Golden file of rig " + rig.id + ", recorded " +
                               core::iso_utc(night.report.started, false) +
                               " by `station regress --record-golden`. Review every slot.";
    if (!a.force && std::filesystem::exists(a.record_golden)) {
        print_error(console.err, "regress", a.record_golden + " exists (give --force to overwrite)");
        return static_cast<int>(ExitCode::error);
    }
    if (auto written = write_atomically(a.record_golden, config::golden_text(golden, header));
        !written) {
        print_error(console.err, "regress", written.error().message);
        return static_cast<int>(ExitCode::error);
    }
    for (const auto& o : night.report.observations) {
        console.out << "  " << core::sanitize_for_display(o.slot, 64) << "  "
                    << (o.identity.fsn.empty() ? "-" : core::sanitize_for_display(o.identity.fsn, 64))
                    << "  " << to_string(o.outcome) << '\n';
    }
    console.out << "Golden file written: " << a.record_golden << " (" << golden.slots.size()
                << " slot(s)). A person must review it before a night uses it.\n";
    return static_cast<int>(ExitCode::pass);
}

// The report files, each written atomically and named; false when one could not be written.
bool write_outputs(const RegressArgs& a, const core::RegressReport& report, Console console) {
    bool ok = true;
    const std::pair<const std::string*, std::string (*)(const core::RegressReport&)> files[] = {
        {&a.junit, &report::regress_junit},
        {&a.html, &report::regress_html},
        {&a.json, &report::regress_json}};
    for (const auto& [path, render] : files) {
        if (path->empty()) continue;
        if (auto written = write_atomically(*path, render(report)); !written) {
            print_error(console.err, "regress", written.error().message);
            ok = false;
            continue;
        }
        console.out << "Written: " << *path << '\n';
    }
    return ok;
}

}  // namespace

int run_regress(std::span<const std::string> args, Console console) {
    const auto parsed = parse_regress(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const RegressArgs& a = *parsed;
    if (!a.record_golden.empty() && !a.force && std::filesystem::exists(a.record_golden)) {
        throw UsageError("regress: --record-golden " + a.record_golden +
                         " exists (give --force to overwrite)");
    }
    const auto set = load_profiles_for("regress", a.profiles_dir, profiles::FileHashes::compute);
    if (set.profiles.empty()) throw UsageError("regress: no SKU profiles");
    const RigSlots rig = rig_slots(a.rig);
    std::optional<core::Golden> golden;
    if (a.record_golden.empty()) golden = golden_for(a, set, rig);
    if (auto files = ensure_open_files("regress", rig.slots.size()); !files) {
        print_command_error(console.err, "regress", files.error().message);
        return static_cast<int>(ExitCode::error);
    }
    const std::filesystem::path db_path = resolve_db_path(a.db, "regress");
    auto store = store::Store::open(db_path);
    if (!store) {
        print_error(console.err, "regress", store.error().message);
        return static_cast<int>(ExitCode::error);
    }
    StopSignals signals([&store] { (void)store->interrupt_own_runs(); });
    const auto options = night_options(a, set, rig, golden ? &*golden : nullptr);
    QuietSink sink;
    auto night = workflows::regress(*store, rig.slots, options, sink);
    if (!night) {
        print_error(console.err, "regress", night.error().message);
        return static_cast<int>(night.error().reason == core::Reason::bad_usage ? ExitCode::usage
                                                                                : ExitCode::error);
    }
    if (!a.record_golden.empty()) return record_golden(a, *night, rig, console);
    console.out << report::regress_text(night->report);
    if (night->deadline_reached) {
        console.out << "Deadline of " << a.deadline_min
                    << " min reached: the night was stopped (its units ABORTED)\n";
    }
    const bool written = write_outputs(a, night->report, console);
    console.out << "Results: " << db_path.string() << " (runs of lot " << rig.id << ")\n";
    if (!written) return std::max(night->exit_code, static_cast<int>(ExitCode::error));
    return night->exit_code;
}

}  // namespace station::app
