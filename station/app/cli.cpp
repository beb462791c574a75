#include <station/app/cli.hpp>

#include <algorithm>
#include <array>
#include <exception>
#include <ostream>
#include <string_view>

#include <boost/program_options/errors.hpp>

#include <station/app/commands.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/usage_error.hpp>
#include <station/app/version.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/utf8.hpp>

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
    CommandRow{"retest", "retest returned units of an RMA: what changed since they shipped",
               &run_retest},
    CommandRow{"regress", "the nightly rig regression: golden units against last nights",
               &run_regress},
    CommandRow{"scan", "list the bench's slots and routers (--identify: read them all)", &run_scan},
    CommandRow{"rig", "learn or check a rig file; list or release quarantined slots", &run_rig},
    CommandRow{"history", "every result that touched one unit (by FSN, IMEI or ICCID)",
               &run_history},
    CommandRow{"report", "one run's or pallet's results: table, CSV, JSON or JUnit XML",
               &run_report},
    CommandRow{"transcript", "the stored AT transcript of a slot's attempts or of one unit",
               &run_transcript},
    CommandRow{"runs", "list runs (id, pallet, outcome, counts) to find one to resume or report",
               &run_runs},
    CommandRow{"db", "check the results database or back it up while it is in use", &run_db},
    CommandRow{"profiles", "list SKU profiles or check profile files", &run_profiles},
    CommandRow{"register", "push queued units to ALMS, show the outbox, export it", &run_register},
    CommandRow{"sync", "ship this station's results to the central PostgreSQL database",
               &run_sync},
    CommandRow{"label", "print a unit's stored ZPL label again", &run_label},
    CommandRow{"doctor", "check the bench: groups, udev, USB, database, files, clock", &run_doctor},
};

// Which option a command-line word belongs to: "--opt" for "--opt=value", "--opt value" and the
// option itself; "argument N" for a word that follows none.
std::string owner_of(std::span<const std::string> args, std::size_t index) {
    const std::string& word = args[index];
    if (word.rfind("-", 0) == 0) return word.substr(0, std::min(word.find('='), word.size()));
    if (index > 0 && args[index - 1].rfind("--", 0) == 0 &&
        args[index - 1].find('=') == std::string::npos) {
        return args[index - 1];
    }
    return "argument " + std::to_string(index + 1);
}

// Every word must be UTF-8 text, so what is stored (an operator, a pallet id) is what is shown.
void require_utf8(std::string_view command, std::span<const std::string> args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto bad = core::invalid_utf8_at(args[i]);
        if (!bad) continue;
        std::string owner = owner_of(args, i);
        if (!core::is_valid_utf8(owner)) owner = "argument " + std::to_string(i + 1);
        static constexpr std::string_view k_hex = "0123456789abcdef";
        const auto byte = static_cast<unsigned char>(args[i][*bad]);
        throw UsageError(std::string(command) + ": " + owner + ": not valid UTF-8 (byte 0x" +
                         k_hex[byte >> 4U] + k_hex[byte & 0x0fU] + " at offset " +
                         std::to_string(*bad) + "); give names and ids as UTF-8 text");
    }
}

void print_usage(std::ostream& os) {
    os << "usage: station <command> [options]\n\ncommands:\n";
    for (const auto& row : k_commands) {
        os << "  " << row.name << std::string(12 - row.name.size(), ' ') << row.summary << '\n';
    }
    os << "\n`station <command> --help` shows a command's options; `station --version` the "
          "version.\n";
}

}  // namespace

int run(std::span<const std::string> args, Console console) {
    std::string_view command;  // the command run, once it is one the station knows
    try {
        if (args.empty()) throw UsageError("no command given (try `station --help`)");
        const std::string& name = args.front();
        if (name == "--help" || name == "-h" || name == "help") {
            print_usage(console.out);
            return static_cast<int>(ExitCode::pass);
        }
        if (name == "--version" || name == "-V") {
            console.out << "station " << station_version() << '\n';
            return static_cast<int>(ExitCode::pass);
        }
        for (const auto& row : k_commands) {
            if (row.name != name) continue;
            command = row.name;
            require_utf8(row.name, args.subspan(1));
            return row.run(args.subspan(1), console);
        }
        throw UsageError("unknown command '" + core::sanitize_for_display(name, 64) +
                         "' (try `station --help`)");
    } catch (const UsageError& e) {
        print_command_error(console.err, command, e.what());
        return static_cast<int>(ExitCode::usage);
    } catch (const boost::program_options::error& e) {
        print_error(console.err, command, core::sanitize_for_display(e.what(), 600));
        return static_cast<int>(ExitCode::usage);
    } catch (const std::exception& e) {
        print_command_error(console.err, command, e.what());
        return static_cast<int>(ExitCode::error);
    }
}

}  // namespace station::app
