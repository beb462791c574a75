// station db check | backup: the results database's health and an online copy of it.
#include <array>
#include <ostream>

#include <boost/program_options.hpp>

#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/usage_error.hpp>
#include <station/app/verb_help.hpp>
#include <station/core/sanitize.hpp>
#include <station/store/store.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

constexpr const char* k_check_usage = "usage: station db check [--db FILE]\n";
constexpr const char* k_backup_usage = "usage: station db backup FILE [--db FILE]\n";

int fail_with(std::string_view command, const core::Error& error, Console console) {
    print_error(console.err, command, error.message);
    return static_cast<int>(ExitCode::error);
}

// Parses the options after the verb; `positional` receives the verb's FILE argument if any.
bool parse(std::span<const std::string> args, std::string& db, std::string* positional,
           Console console) {
    po::options_description desc("station db options");
    desc.add_options()("help,h", "show this help")("db", po::value(&db), k_db_help);
    po::options_description all;
    all.add(desc);
    std::string file;
    all.add_options()("file", po::value(&file));
    po::positional_options_description pos;
    if (positional != nullptr) pos.add("file", 1);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(po::command_line_parser(argv).options(all).positional(pos).run(), vm);
    if (vm.count("help") != 0U) {
        console.out << (positional != nullptr ? k_backup_usage : k_check_usage) << desc;
        return false;
    }
    po::notify(vm);
    if (positional != nullptr) {
        if (file.empty()) throw UsageError("db backup: give the backup FILE");
        *positional = file;
    }
    return true;
}

int check(std::span<const std::string> args, Console console) {
    std::string db;
    if (!parse(args, db, nullptr, console)) return static_cast<int>(ExitCode::pass);
    const auto path = resolve_db_path(db, "db check");
    auto report = store::inspect(path);
    if (!report) return fail_with("db check", report.error(), console);
    console.out << path.string() << ": schema version " << report->schema_version
                << " (this station writes " << report->supported_version << ")\n";
    if (report->schema_version > report->supported_version) {
        console.out
            << "note: the file is newer than this station; use a newer station to write it\n";
    }
    if (report->ok()) {
        console.out << "integrity: ok\n";
        return static_cast<int>(ExitCode::pass);
    }
    console.out << "integrity: " << report->integrity.size() << " problem(s)\n";
    for (const auto& line : report->integrity) {
        console.out << "  " << core::sanitize_for_display(line, 256) << '\n';
    }
    print_error(console.err, "db check",
                path.string() + ": integrity check failed; restore from a backup");
    return static_cast<int>(ExitCode::error);
}

int backup(std::span<const std::string> args, Console console) {
    std::string db;
    std::string dest;
    if (!parse(args, db, &dest, console)) return static_cast<int>(ExitCode::pass);
    const auto path = resolve_db_path(db, "db backup");
    auto done = store::backup_database(path, dest);
    if (!done) return fail_with("db backup", done.error(), console);
    console.out << "backed up " << path.string() << " to " << dest << '\n';
    return static_cast<int>(ExitCode::pass);
}

constexpr std::array k_db_verbs{
    VerbRow{"check", "integrity and schema of the results database", &check},
    VerbRow{"backup", "copy the database to FILE while stations use it", &backup},
};

}  // namespace

int run_db(std::span<const std::string> args, Console console) {
    if (args.empty()) throw UsageError("db: give a verb: " + verb_list(k_db_verbs));
    const std::string& verb = args.front();
    if (verb == "--help" || verb == "-h" || verb == "help") {
        return print_verb_help("db", k_db_verbs, console);
    }
    if (const auto* row = find_verb(k_db_verbs, verb)) return row->run(args.subspan(1), console);
    throw UsageError("db: unknown verb '" + core::sanitize_for_display(verb, 32) + "' (" +
                     verb_list(k_db_verbs) + ")");
}

}  // namespace station::app
