// station identify: open one AT port, run the identity plan, print and exit by outcome.
#include <ostream>

#include <station/core/sku_decision.hpp>

#include <boost/program_options.hpp>

#include <drivers/router/identifier.hpp>
#include <drivers/serial/port_opener.hpp>
#include <profiles/loader.hpp>
#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/identity_view.hpp>
#include <station/app/profile_lookup.hpp>
#include <station/app/usage_error.hpp>
#include <station/workflows/at_line.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

struct IdentifyArgs {
    std::string port;
    bool json = false;
    bool transcript = false;
    int timeout_ms = 2000;
    bool no_concat = false;  // one AT command per line
    int baud = 115200;
    std::string profile;       // identity plan to use (and decide the SKU)
    std::string expect;        // the pallet's profile the unit must match
    std::string profiles_dir;  // where profiles live (default: the shipped ones)
    std::string manifest;      // the pallet's packing list: the primary SKU signal
};

po::options_description identify_options(IdentifyArgs& a) {
    po::options_description desc("station identify options");
    desc.add_options()("help,h", "show this help")("port,p", po::value(&a.port)->required(),
                                                   "AT port of the router, e.g. /dev/ttyUSB2")(
        "json", po::bool_switch(&a.json), "print one JSON object")(
        "transcript", po::bool_switch(&a.transcript), "include the raw AT transcript")(
        "timeout-ms", po::value(&a.timeout_ms)->default_value(2000), "deadline per command")(
        "no-concat", po::bool_switch(&a.no_concat), "one AT command per line (no combined lines)")(
        "baud", po::value(&a.baud)->default_value(115200), "line speed (8N1)")(
        "profile", po::value(&a.profile), "identify with this SKU profile's plan, decide the SKU")(
        "expect", po::value(&a.expect), "the pallet's SKU profile the unit must match")(
        "profiles-dir", po::value(&a.profiles_dir), "folder of SKU profiles")(
        "manifest", po::value(&a.manifest),
        "the pallet's packing list (CSV or JSON lines): the unit's SKU comes from its line");
    return desc;
}

std::optional<IdentifyArgs> parse_identify(std::span<const std::string> args, Console console) {
    IdentifyArgs a;
    const auto desc = identify_options(a);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station identify --port PATH [options]\n" << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (a.timeout_ms < 1 || a.timeout_ms > k_max_timeout_ms) {
        throw UsageError("identify: --timeout-ms must be 1.." + std::to_string(k_max_timeout_ms));
    }
    if (!drivers::serial::is_supported_baud(a.baud)) {
        throw UsageError("identify: unsupported --baud " + std::to_string(a.baud));
    }
    if (a.port.empty()) throw UsageError("identify: --port is empty");
    if (!a.profiles_dir.empty() && a.profile.empty() && a.expect.empty()) {
        throw UsageError("identify: --profiles-dir needs --profile or --expect");
    }
    if (!a.manifest.empty() && a.profile.empty() && a.expect.empty()) {
        throw UsageError("identify: --manifest needs --profile or --expect");
    }
    return a;
}

// The profile set, loaded only when the SKU is to be decided. A broken profile file could
// hide a signal, so any error stops the command before the unit is touched.
struct Profiles {
    profiles::ProfileSet set;
    const profiles::Profile* plan_from = nullptr;
    const profiles::Profile* expected = nullptr;
    std::optional<core::Manifest> manifest;
};

std::optional<Profiles> load_profiles(const IdentifyArgs& a) {
    if (a.profile.empty() && a.expect.empty()) return std::nullopt;
    Profiles p;
    p.set = load_profiles_for("identify", a.profiles_dir, profiles::FileHashes::skip);
    const auto named = [&p](const std::string& name, const char* option) {
        return name.empty() ? nullptr : &profile_named(p.set, name, "identify", option);
    };
    p.expected = named(a.expect, "--expect");
    p.plan_from = a.profile.empty() ? p.expected : named(a.profile, "--profile");
    p.manifest = manifest_for("identify", a.manifest, p.set);
    return p;
}

}  // namespace

int run_identify(std::span<const std::string> args, Console console) {
    const auto parsed = parse_identify(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const IdentifyArgs& a = *parsed;
    const auto sku_profiles = load_profiles(a);

    drivers::router::IdentifyReport report;
    std::string backend;
    workflows::AtLine line;
    workflows::LineOptions line_options;
    line_options.settings.baud = a.baud;
    line_options.sync_timeout = std::chrono::milliseconds(a.timeout_ms);
    if (auto opened =
            workflows::open_line(line, drivers::serial::system_ports(), a.port, line_options);
        !opened) {
        const auto& e = opened.error();
        report.verdict = {core::outcome_of(e.reason), e.reason, e.message};
    } else {
        backend = std::string(line.port->backend_name());
        report = drivers::router::identify(
            *line.channel,
            sku_profiles ? sku_profiles->plan_from->plan : drivers::router::default_plan(),
            {std::chrono::milliseconds(a.timeout_ms), nullptr, !a.no_concat, nullptr});
    }
    std::optional<core::SkuDecision> decision;
    if (sku_profiles && report.verdict.outcome == core::Outcome::pass) {
        const auto skus = sku_profiles->set.skus();
        const core::SkuProfile* expected = nullptr;
        for (const auto& sku : skus) {
            if (sku_profiles->expected && sku.name == sku_profiles->expected->name())
                expected = &sku;
        }
        const auto& manifest = sku_profiles->manifest;
        decision = core::decide_sku(report.identity, {skus, &sku_profiles->set.tables, expected,
                                                      manifest ? &*manifest : nullptr});
        report.verdict = {decision->outcome, decision->reason, decision->message};
    }
    IdentifyView view{a.port, backend, report,
                      a.transcript && line.channel ? &line.channel->transcript() : nullptr,
                      std::nullopt};
    if (sku_profiles) {
        view.sku = SkuView{sku_profiles->plan_from->name(),
                           sku_profiles->expected ? sku_profiles->expected->name() : "",
                           decision ? &*decision : nullptr};
    }
    console.out << (a.json ? render_json(view) : render_text(view));
    if (!a.json && report.verdict.outcome != core::Outcome::pass) {
        print_error(console.err, "identify", report.verdict.message);
    }
    return static_cast<int>(exit_code_of(report.verdict.outcome));
}

}  // namespace station::app
