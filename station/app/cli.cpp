#include <station/app/cli.hpp>

#include <array>
#include <exception>
#include <ostream>
#include <string_view>

#include <boost/program_options/errors.hpp>

#include <station/app/commands.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/usage_error.hpp>

namespace station::app {
namespace {

struct CommandRow {
    std::string_view name;
    std::string_view summary;
    int (*run)(std::span<const std::string>, Console);
};

constexpr std::array k_commands{
    CommandRow{"identify", "read one router's identity over its AT port", &run_identify},
    CommandRow{"provision", "provision a pallet: every slot in parallel, live, resumable",
               &run_provision},
    CommandRow{"scan", "list the bench's slots and routers (--identify: read them all)", &run_scan},
    CommandRow{"rig", "learn or check a rig file; list or release quarantined slots", &run_rig},
    CommandRow{"history", "every result that touched one unit (by FSN, IMEI or ICCID)",
               &run_history},
    CommandRow{"report", "one run's or pallet's results: table, CSV, JSON or JUnit XML",
               &run_report},
    CommandRow{"runs", "list runs (id, pallet, outcome, counts) to find one to resume or report",
               &run_runs},
    CommandRow{"db", "check the results database or back it up while it is in use", &run_db},
    CommandRow{"profiles", "list SKU profiles or check profile files", &run_profiles},
    CommandRow{"register", "push queued units to ALMS, show the outbox, export it", &run_register},
};

void print_usage(std::ostream& os) {
    os << "usage: station <command> [options]\n\ncommands:\n";
    for (const auto& row : k_commands) {
        os << "  " << row.name << std::string(12 - row.name.size(), ' ') << row.summary << '\n';
    }
    os << "\n`station <command> --help` shows a command's options.\n";
}

}  // namespace

int run(std::span<const std::string> args, Console console) {
    try {
        if (args.empty()) throw UsageError("no command given (try `station --help`)");
        const std::string& name = args.front();
        if (name == "--help" || name == "-h" || name == "help") {
            print_usage(console.out);
            return static_cast<int>(ExitCode::pass);
        }
        for (const auto& row : k_commands) {
            if (row.name == name) return row.run(args.subspan(1), console);
        }
        throw UsageError("unknown command '" + name + "' (try `station --help`)");
    } catch (const UsageError& e) {
        console.err << "station: error: " << e.what() << '\n';
        return static_cast<int>(ExitCode::usage);
    } catch (const boost::program_options::error& e) {
        console.err << "station: error: " << args.front() << ": " << e.what() << '\n';
        return static_cast<int>(ExitCode::usage);
    } catch (const std::exception& e) {
        console.err << "station: error: " << e.what() << '\n';
        return static_cast<int>(ExitCode::error);
    }
}

}  // namespace station::app
