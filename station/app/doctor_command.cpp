// station doctor [--json] [--online] [--db FILE] [--profiles-dir DIR] [--rig FILE]...
//                [--credentials FILE]: checks the bench, one line per check with its fix.
#include <cstdlib>
#include <ostream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/doctor.hpp>
#include <station/app/usage_error.hpp>
#include <station/core/text.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;
using doctor::Check;
using doctor::Level;

struct DoctorArgs {
    doctor::Inputs inputs;
    std::string db;
    bool json = false;
};

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

template <class Int>
std::optional<Int> env_number(const char* name) {
    const auto text = env(name);
    if (!text) return std::nullopt;
    const auto value = core::parse_integer<Int>(*text);
    if (!value) throw UsageError(std::string("doctor: $") + name + ": not a number");
    return value;
}

// The test hooks the README documents: STATION_DOCTOR_ROOT, _GROUPS, _NOW, _FREE_MIB.
void read_environment(doctor::Inputs& in) {
    in.root = env("STATION_DOCTOR_ROOT").value_or("");
    if (const auto groups = env("STATION_DOCTOR_GROUPS")) {
        std::vector<std::string> list;
        std::size_t start = 0;
        while (start <= groups->size()) {
            const std::size_t end = std::min(groups->find(',', start), groups->size());
            if (end > start) list.push_back(groups->substr(start, end - start));
            start = end + 1;
        }
        in.groups = list;
    }
    in.now = env_number<std::int64_t>("STATION_DOCTOR_NOW");
    in.free_mib = env_number<std::uint64_t>("STATION_DOCTOR_FREE_MIB");
}

std::optional<DoctorArgs> parse_doctor(std::span<const std::string> args, Console console) {
    DoctorArgs a;
    po::options_description desc("station doctor options");
    desc.add_options()("help,h", "show this help")("json", po::bool_switch(&a.json),
                                                   "print one JSON object")(
        "online", po::bool_switch(&a.inputs.online),
        "also request an ALMS token from each configured data center")(
        "db", po::value(&a.db), k_db_help)("profiles-dir", po::value(&a.inputs.profiles_dir),
                                           "folder of *.toml profiles (default: shipped)")(
        "rig", po::value(&a.inputs.rigs), "a rig file to check (repeatable)")(
        "credentials", po::value(&a.inputs.credentials),
        "ALMS credentials file (default: $STATION_ALMS_CREDENTIALS or "
        "~/.config/station/credentials.toml)");
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station doctor [--json] [--online] [--db FILE] [--profiles-dir DIR]"
                       " [--rig FILE]... [--credentials FILE]\n"
                    << desc;
        return std::nullopt;
    }
    po::notify(vm);
    read_environment(a.inputs);
    a.inputs.db = resolve_db_path(a.db, "doctor");
    return a;
}

std::vector<Check> run_checks(const doctor::Inputs& in) {
    std::vector<Check> checks{doctor::check_groups(in), doctor::check_udev(in),
                              doctor::check_usb(in),    doctor::check_database(in),
                              doctor::check_disk(in),   doctor::check_profiles(in)};
    for (auto& c : doctor::check_rigs(in)) checks.push_back(std::move(c));
    checks.push_back(doctor::check_credentials(in));
    if (in.online) {
        for (auto& c : doctor::check_alms(in)) checks.push_back(std::move(c));
    }
    checks.push_back(doctor::check_clock(in));
    return checks;
}

Level worst(const std::vector<Check>& checks) {
    Level level = Level::ok;
    for (const auto& c : checks) level = std::max(level, c.level);
    return level;
}

void print_text(const std::vector<Check>& checks, Level overall, std::ostream& os) {
    for (const auto& c : checks) {
        std::string head(doctor::to_string(c.level));
        head.resize(6, ' ');
        std::string name = c.name;
        name.resize(std::max<std::size_t>(name.size() + 1, 13), ' ');
        os << head << name << c.message;
        if (!c.fix.empty()) os << "  fix: " << c.fix;
        os << '\n';
    }
    os << "doctor: " << doctor::to_string(overall) << '\n';
}

void print_json(const std::vector<Check>& checks, Level overall, int exit_code, std::ostream& os) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : checks) {
        list.push_back({{"check", c.name},
                        {"status", doctor::to_string(c.level)},
                        {"message", c.message},
                        {"fix", c.fix.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.fix)}});
    }
    const nlohmann::json out{
        {"checks", list}, {"status", doctor::to_string(overall)}, {"exit_code", exit_code}};
    os << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace

int run_doctor(std::span<const std::string> args, Console console) {
    const auto parsed = parse_doctor(args, console);
    if (!parsed) return 0;
    const auto checks = run_checks(parsed->inputs);
    const Level overall = worst(checks);
    const int code = overall == Level::ok ? 0 : (overall == Level::warn ? 1 : 2);
    if (parsed->json) print_json(checks, overall, code, console.out);
    else print_text(checks, overall, console.out);
    return code;
}

}  // namespace station::app
