// station label reprint --fsn X [--printer HOST:PORT|DEVICE | --label-out DIR] [--db FILE]:
// prints a unit's stored label again (to where it first went unless told), recorded.
#include <array>
#include <ostream>

#include <boost/program_options.hpp>

#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/label_output.hpp>
#include <station/app/usage_error.hpp>
#include <station/app/verb_help.hpp>
#include <station/core/sanitize.hpp>
#include <station/store/labels.hpp>
#include <station/store/store.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;
constexpr const char* k_reprint_usage =
    "usage: station label reprint --fsn FSN [--printer HOST:PORT|DEVICE | --label-out DIR] "
    "[--db FILE]\n";

struct ReprintArgs {
    std::string fsn;
    std::string printer;
    std::string label_out;
    std::string db;
};

std::optional<ReprintArgs> parse_label(std::span<const std::string> args, Console console) {
    ReprintArgs a;
    po::options_description desc("station label reprint options");
    desc.add_options()("help,h", "show this help")("fsn", po::value(&a.fsn),
                                                   "the unit's FSN (any letter case)")(
        "printer", po::value(&a.printer), "print here instead: HOST:PORT or a device path")(
        "label-out", po::value(&a.label_out), "write the label file into DIR instead")(
        "db", po::value(&a.db), k_db_help);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out << k_reprint_usage << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (a.fsn.empty()) throw UsageError("label reprint: give --fsn FSN");
    if (!a.printer.empty() && !a.label_out.empty()) {
        throw UsageError("label reprint: give --printer or --label-out, not both");
    }
    return a;
}

core::Result<LabelTarget> target_for(const ReprintArgs& a, const store::LabelRecord& label) {
    if (!a.label_out.empty()) return label_dir(a.label_out);
    if (!a.printer.empty()) return parse_printer(a.printer);
    return parse_stored_target(label.target);
}

int reprint(std::span<const std::string> args, Console console) {
    const auto parsed = parse_label(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const auto& a = *parsed;
    const std::string shown_fsn = core::sanitize_for_display(a.fsn, 64);
    const auto path = resolve_db_path(a.db, "label reprint");
    if (auto store = store::Store::open(path); !store) {  // migrates a file of an older schema
        print_error(console.err, "label reprint", store.error().message);
        return static_cast<int>(ExitCode::error);
    }
    auto label = store::latest_label(path, a.fsn);
    if (!label) {
        print_error(console.err, "label reprint", label.error().message);
        return static_cast<int>(ExitCode::error);
    }
    if (!*label) {
        print_error(console.err, "label reprint",
                    "no label recorded for fsn " + shown_fsn + " in " + path.string());
        return static_cast<int>(ExitCode::fail);
    }
    auto target = target_for(a, **label);
    if (!target) throw UsageError("label reprint: " + target.error().message);
    auto sent = send_label(*target, (*label)->fsn, (*label)->zpl);
    const std::optional<std::string> error =
        sent ? std::nullopt : std::optional<std::string>(sent.error().message);
    auto noted = store::record_label_attempt(path, (*label)->id, error,
                                             std::chrono::system_clock::now());
    if (!sent) {
        print_error(console.err, "label reprint",
                    "label of " + shown_fsn + " not printed: " + sent.error().message +
                        " (still queued)");
        return static_cast<int>(ExitCode::error);
    }
    if (!noted) {
        print_error(console.err, "label reprint", noted.error().message);
        return static_cast<int>(ExitCode::error);
    }
    console.out << "label of " << core::sanitize_for_display((*label)->fsn, 64) << " printed to "
                << target->shown() << '\n';
    return static_cast<int>(ExitCode::pass);
}

constexpr std::array k_label_verbs{
    VerbRow{"reprint", "print a unit's stored label again (recorded)", &reprint},
};

}  // namespace

int run_label(std::span<const std::string> args, Console console) {
    if (args.empty()) throw UsageError("label: give a verb: " + verb_list(k_label_verbs));
    const std::string& verb = args.front();
    if (verb == "--help" || verb == "-h" || verb == "help") {
        return print_verb_help("label", k_label_verbs, console);
    }
    if (const auto* row = find_verb(k_label_verbs, verb)) return row->run(args.subspan(1), console);
    throw UsageError("label: unknown verb '" + core::sanitize_for_display(verb, 32) + "' (" +
                     verb_list(k_label_verbs) + ")");
}

}  // namespace station::app
