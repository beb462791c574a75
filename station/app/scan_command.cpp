// station scan: list the bench's slots (or the USB routers when there is no rig), each with
// its device, AT port and state; with --identify, identify every unit in parallel, and with
// --sku / --expect decide each unit's SKU and data center.
#include <ostream>

#include <boost/program_options.hpp>

#include <drivers/usb/modem_manager.hpp>
#include <profiles/loader.hpp>
#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/profile_lookup.hpp>
#include <station/app/scan_view.hpp>
#include <station/app/usage_error.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;
using fixtures::rig::SlotKind;

struct ScanArgs {
    std::string rig;
    bool json = false;
    bool identify = false;
    int timeout_ms = 2000;
    bool no_concat = false;
    int probe_ms = 500;
    int at_interface = -1;
    int jobs = 32;
    bool sku = false;
    std::string expect;
    std::string profiles_dir;
    std::string manifest;
};

po::options_description scan_options(ScanArgs& a) {
    po::options_description desc("station scan options");
    desc.add_options()("help,h", "show this help")(
        "rig", po::value(&a.rig), "rig file: one row per slot (default: one row per device)")(
        "json", po::bool_switch(&a.json), "print one JSON object")(
        "identify", po::bool_switch(&a.identify), "identify every unit, all slots in parallel")(
        "timeout-ms", po::value(&a.timeout_ms)->default_value(2000), "deadline per AT command")(
        "no-concat", po::bool_switch(&a.no_concat), "with --identify: one AT command per line")(
        "probe-ms", po::value(&a.probe_ms)->default_value(500), "AT probe deadline per tty")(
        "at-interface", po::value(&a.at_interface),
        "USB interface of the AT port (default: probe every tty with AT)")(
        "jobs", po::value(&a.jobs)->default_value(32), "slots probed at once (1..256)")(
        "sku", po::bool_switch(&a.sku),
        "with --identify: decide each unit's SKU, region and data center")(
        "expect", po::value(&a.expect), "with --identify: the SKU profile every unit must be")(
        "profiles-dir", po::value(&a.profiles_dir),
        "folder of SKU profiles (their USB ids pick the devices listed)")(
        "manifest", po::value(&a.manifest),
        "with --identify: the pallet's packing list; each unit's SKU comes from its line");
    return desc;
}

void check_range(const char* name, int value, int min, int max) {
    if (value < min || value > max) {
        throw UsageError(std::string("scan: ") + name + " must be " + std::to_string(min) + ".." +
                         std::to_string(max));
    }
}

std::optional<ScanArgs> parse_scan(std::span<const std::string> args, Console console) {
    ScanArgs a;
    const auto desc = scan_options(a);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station scan [--rig FILE] [--json] [--identify] [options]\n" << desc;
        return std::nullopt;
    }
    po::notify(vm);
    check_range("--timeout-ms", a.timeout_ms, 1, k_max_timeout_ms);
    check_range("--probe-ms", a.probe_ms, 1, k_max_timeout_ms);
    check_range("--jobs", a.jobs, 1, 256);
    if (vm.count("at-interface") != 0U) check_range("--at-interface", a.at_interface, 0, 255);
    if (vm.count("rig") != 0U && a.rig.empty()) throw UsageError("scan: --rig is empty");
    if (!a.expect.empty() || !a.manifest.empty()) a.sku = true;
    if (a.sku && !a.identify) {
        throw UsageError("scan: --sku, --expect and --manifest need --identify");
    }
    return a;
}

bool needs_usb(const std::optional<fixtures::rig::Rig>& rig) {
    if (!rig) return true;
    return std::any_of(rig->slots.begin(), rig->slots.end(),
                       [](const auto& slot) { return slot.kind == SlotKind::usb; });
}

// The exit code: 0 for a listing; with --identify, the worst outcome of the units found.
int exit_code(const std::vector<ScanRow>& rows, bool identify, Console console) {
    if (!identify) return static_cast<int>(ExitCode::pass);
    std::optional<core::Outcome> worst_seen;
    for (const auto& row : rows) {
        std::optional<core::Outcome> outcome;
        if (row.identify) outcome = row.identify->verdict.outcome;
        if (row.state == SlotState::no_at_port || row.state == SlotState::missing) {
            outcome = core::Outcome::error;
        }
        if (outcome) worst_seen = worst_seen ? core::worst(*worst_seen, *outcome) : *outcome;
    }
    if (!worst_seen) {
        print_error(console.err, "scan", "no units to identify");
        return static_cast<int>(ExitCode::error);
    }
    return static_cast<int>(exit_code_of(*worst_seen));
}

}  // namespace

int run_scan(std::span<const std::string> args, Console console) {
    const auto parsed = parse_scan(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const ScanArgs& a = *parsed;

    // The profile set first: which USB devices are routers (the profiles' vendor/product ids;
    // with --expect, that profile's, and its pinned AT interface), and the SKU rules. A broken
    // set stops --sku / --expect before any unit is touched; a plain listing then falls back
    // to every Sierra device, with a warning.
    std::vector<std::string> warnings;
    std::vector<core::SkuProfile> skus;
    std::vector<drivers::usb::UsbMatch> filter = drivers::usb::default_filter();
    std::optional<int> pinned;
    const auto set = profiles::load_profile_dir(profiles::profiles_dir(a.profiles_dir),
                                                profiles::FileHashes::skip);
    if (!set.ok()) {
        if (a.sku) throw UsageError("scan: SKU profiles do not load:\n" + set.error_text());
        warnings.push_back("SKU profiles do not load, listing every Sierra device:\n" +
                           set.error_text());
    } else if (!a.expect.empty()) {
        const auto& expected = profile_named(set, a.expect, "scan", "--expect");
        filter = profiles::usb_filter(expected);
        pinned = expected.usb.at_interface;
    } else {
        filter = profiles::usb_filter(set.profiles);
    }
    if (a.sku) skus = set.skus();

    std::optional<fixtures::rig::Rig> rig;
    if (!a.rig.empty()) {
        auto loaded = fixtures::rig::load_rig(a.rig);
        if (!loaded) throw UsageError("scan: " + loaded.error().message);
        rig = std::move(*loaded);
    }
    std::vector<drivers::usb::UsbDevice> devices;
    if (needs_usb(rig)) {
        if (const auto pid = drivers::usb::find_modem_manager()) {
            warnings.push_back(drivers::usb::modem_manager_warning(*pid));
        }
        auto listed = workflows::list_usb_devices(filter);
        if (!listed) {
            print_error(console.err, "scan", "cannot list USB devices: " + listed.error().message);
            return static_cast<int>(ExitCode::error);
        }
        devices = std::move(*listed);
    }
    for (const auto& warning : warnings) console.err << "station: warning: " << warning << '\n';

    auto rows = workflows::build_rows(rig ? &*rig : nullptr, devices);
    workflows::ResolveOptions options;
    options.at_rule.pinned_interface = pinned;
    if (a.at_interface >= 0) options.at_rule.pinned_interface = a.at_interface;
    options.probe.timeout = std::chrono::milliseconds(a.probe_ms);
    options.identify = a.identify;
    options.command_timeout = std::chrono::milliseconds(a.timeout_ms);
    drivers::router::ConcatMemory concat_memory;
    options.concat = !a.no_concat;
    options.concat_memory = &concat_memory;
    options.max_parallel = static_cast<std::size_t>(a.jobs);
    options.sku.skus = std::move(skus);
    options.sku.expect = a.expect;
    if (a.sku) {
        options.sku.tables = set.tables;
        options.sku.manifest = manifest_for("scan", a.manifest, set);
    }
    workflows::resolve_rows(rows, options);

    const ScanView view{rig ? (rig->name.empty() ? a.rig : rig->name) : "", rows, a.identify,
                        warnings, a.sku};
    console.out << (a.json ? render_scan_json(view) : render_scan_text(view));
    return exit_code(rows, a.identify, console);
}

}  // namespace station::app
