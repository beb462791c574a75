// station profiles list|check: what SKU profiles the station knows, and whether files are valid.
#include <ostream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <profiles/loader.hpp>
#include <station/app/commands.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/usage_error.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

struct ProfilesArgs {
    std::string action;
    std::vector<std::string> files;
    std::string dir;
    bool json = false;
};

std::optional<ProfilesArgs> parse_profiles(std::span<const std::string> args, Console console) {
    ProfilesArgs a;
    po::options_description desc("station profiles options");
    desc.add_options()("help,h", "show this help")(
        "profiles-dir", po::value(&a.dir), "folder of *.toml profiles (default: shipped profiles)")(
        "json", po::bool_switch(&a.json), "list: print JSON");
    po::options_description hidden;
    hidden.add_options()("action", po::value(&a.action))("files", po::value(&a.files));
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description pos;
    pos.add("action", 1).add("files", -1);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(po::command_line_parser(argv).options(all).positional(pos).run(), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station profiles list [--json] [--profiles-dir DIR]\n"
                       "       station profiles check [FILE...] [--profiles-dir DIR]\n"
                    << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (a.action != "list" && a.action != "check") {
        throw UsageError(a.action.empty()
                             ? "profiles: say list or check"
                             : "profiles: unknown action '" + a.action + "' (list or check)");
    }
    if (a.action == "list" && !a.files.empty()) {
        throw UsageError("profiles list: takes no files (use --profiles-dir)");
    }
    return a;
}

std::string ids(const profiles::UsbSpec& usb) {
    char buf[16];
    std::string out;
    for (const auto pid : usb.product_ids) {
        std::snprintf(buf, sizeof buf, "%04x:%04x", usb.vendor_id, pid);
        out += (out.empty() ? "" : ",") + std::string(buf);
    }
    return out;
}

nlohmann::json to_json(const profiles::Profile& p) {
    return {{"name", p.name()},
            {"family", p.sku.family},
            {"region", std::string(to_string(p.sku.region))},
            {"data_center", std::string(to_string(p.sku.data_center()))},
            {"usb", ids(p.usb)},
            {"at_interface",
             p.usb.at_interface ? nlohmann::json(*p.usb.at_interface) : nlohmann::json("probe")},
            {"min_firmware", p.sku.min_firmware},
            {"default_term_years", p.sku.default_term_years},
            {"terms_years", p.sku.terms_years},
            {"part_numbers", p.sku.part_numbers},
            {"require_manifest", p.sku.require_manifest},
            {"module_models", p.sku.signals.module_models},
            // Kept for older scripts, always empty: the SKU no longer comes from ATI.
            {"model_patterns", nlohmann::json::array()},
            {"source", p.source.string()}};
}

std::string line_of(const profiles::Profile& p) {
    std::string out = p.name();
    out.resize(std::max<std::size_t>(out.size() + 1, 14), ' ');
    out += p.sku.family + " " + std::string(display_name(p.sku.region)) + " -> " +
           std::string(to_string(p.sku.data_center())) + " data center, usb " + ids(p.usb) +
           ", min firmware " + (p.sku.min_firmware.empty() ? "-" : p.sku.min_firmware);
    return out;
}

int list(const ProfilesArgs& a, Console console) {
    const auto set =
        profiles::load_profile_dir(profiles::profiles_dir(a.dir), profiles::FileHashes::skip);
    if (a.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : set.profiles) out.push_back(to_json(p));
        console.out << out.dump(2) << '\n';
    } else {
        for (const auto& p : set.profiles) console.out << line_of(p) << '\n';
    }
    for (const auto& e : set.errors) print_error(console.err, "profiles list", e.message);
    return static_cast<int>(set.ok() ? ExitCode::pass : ExitCode::fail);
}

int check(const ProfilesArgs& a, Console console) {
    profiles::ProfileSet set;
    if (a.files.empty()) {
        set = profiles::load_profile_dir(profiles::profiles_dir(a.dir), profiles::FileHashes::skip);
    } else {
        const std::vector<std::filesystem::path> files(a.files.begin(), a.files.end());
        set = profiles::load_profile_files(files, profiles::FileHashes::skip);
    }
    for (const auto& p : set.profiles) console.out << "ok     " << p.source.string() << '\n';
    if (const auto& t = set.tables; !t.source.empty()) {
        console.out << "ok     " << t.source << " (" << t.home_networks.size() << " home networks, "
                    << t.issuers.size() << " issuers, " << t.carrier_images.size()
                    << " carrier images)\n";
    }
    for (const auto& e : set.errors) console.out << "error  " << e.message << '\n';
    console.out << set.profiles.size() << " profile(s) loaded, " << set.errors.size()
                << " error(s)\n";
    return static_cast<int>(set.ok() ? ExitCode::pass : ExitCode::fail);
}

}  // namespace

int run_profiles(std::span<const std::string> args, Console console) {
    const auto parsed = parse_profiles(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    return parsed->action == "list" ? list(*parsed, console) : check(*parsed, console);
}

}  // namespace station::app
