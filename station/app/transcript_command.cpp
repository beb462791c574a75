// station transcript: the stored AT transcript of one slot of a run (every attempt) or of one
// unit (every slot result that touched its FSN), newest attempt first, each under a header.
#include <ostream>

#include <boost/program_options.hpp>

#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/usage_error.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/report/report.hpp>
#include <station/store/store.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

struct TranscriptArgs {
    std::int64_t run = 0;
    std::string slot;
    std::string fsn;
    std::size_t limit = 100;
    std::string db;
};

constexpr std::size_t k_transcript_max_limit = 10'000;
constexpr const char* k_transcript_usage =
    "usage: station transcript (--run ID --slot SLOT | --fsn FSN) [--limit N] [--db FILE]\n";

std::optional<TranscriptArgs> parse_transcript(std::span<const std::string> args, Console console) {
    TranscriptArgs a;
    po::options_description desc("station transcript options");
    desc.add_options()("help,h", "show this help")("run", po::value(&a.run), "run id")(
        "slot", po::value(&a.slot), "slot of the run (every attempt in it)")(
        "fsn", po::value(&a.fsn), "unit serial: every slot result of the unit (any case)")(
        "limit", po::value(&a.limit)->default_value(100), "at most this many attempts")(
        "db", po::value(&a.db), k_db_help);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out << k_transcript_usage << desc
                    << "Exit status: 0 printed, 1 no such slot result, 2 database error, 64 bad "
                       "usage.\n";
        return std::nullopt;
    }
    po::notify(vm);
    const bool by_slot = vm.count("run") + vm.count("slot") != 0U;
    if (by_slot == (vm.count("fsn") != 0U)) {
        throw UsageError("transcript: give --run ID --slot SLOT, or --fsn FSN");
    }
    if (by_slot && (vm.count("run") == 0U || a.run <= 0)) {
        throw UsageError("transcript: --run needs a run id > 0 (with --slot)");
    }
    if (by_slot && a.slot.empty()) throw UsageError("transcript: --slot needs a slot name");
    if (!by_slot && a.fsn.empty()) throw UsageError("transcript: --fsn is empty");
    if (a.limit < 1 || a.limit > k_transcript_max_limit) {
        throw UsageError("transcript: --limit must be 1.." +
                         std::to_string(k_transcript_max_limit));
    }
    return a;
}

// "== run 3, slot A1, attempt 2, FSN LA51..., ERROR no_response, started ... =="
std::string header(const store::ResultRow& row) {
    const auto& slot = row.slot;
    std::string text =
        "== run " + std::to_string(row.run.id.value) + ", slot " +
        core::sanitize_for_display(slot.start.slot, 64) + ", attempt " +
        std::to_string(slot.start.attempt) + ", FSN " +
        (slot.identity.fsn.empty() ? std::string("-")
                                   : core::sanitize_for_display(slot.identity.fsn, 64)) +
        ", " + std::string(report::outcome_text(slot));
    if (slot.reason) text += " " + std::string(core::to_string(*slot.reason));
    text += ", started " + core::iso_utc(slot.start.started) + " ==\n";
    return text;
}

// The stored transcript is rendered with device bytes escaped already; a line that is still
// not display-safe (a file written by other means) is escaped again.
std::string body(const std::string& stored) {
    if (stored.empty()) return "(no transcript stored)\n";
    std::string out;
    std::size_t start = 0;
    while (start < stored.size()) {
        const std::size_t end = std::min(stored.find('\n', start), stored.size());
        const std::string_view line(stored.data() + start, end - start);
        out += core::is_display_safe(line) ? std::string(line)
                                           : core::sanitize_for_display(line, 8192);
        out += '\n';
        start = end + 1;
    }
    return out;
}

}  // namespace

int run_transcript(std::span<const std::string> args, Console console) {
    const auto parsed = parse_transcript(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const TranscriptArgs& a = *parsed;
    store::OpenOptions options;
    options.access = store::Access::read_only;
    const auto db = resolve_db_path(a.db, "transcript");
    auto store = store::Store::open(db, options);
    if (!store) {
        print_error(console.err, "transcript", store.error().message);
        return static_cast<int>(ExitCode::error);
    }
    auto rows = a.fsn.empty() ? store->attempts_in_slot(store::RunId{a.run}, a.slot, a.limit)
                              : store->history(store::UnitKey::fsn, a.fsn, a.limit);
    if (!rows) {
        print_error(console.err, "transcript", rows.error().message);
        return static_cast<int>(ExitCode::error);
    }
    if (rows->empty()) {
        const std::string what = a.fsn.empty() ? "slot " + core::sanitize_for_display(a.slot, 64) +
                                                     " in run " + std::to_string(a.run)
                                               : "unit " + core::sanitize_for_display(a.fsn, 64);
        print_error(
            console.err, "transcript",
            "nothing recorded for " + what + " in " + core::sanitize_for_display(db.string(), 512));
        return static_cast<int>(ExitCode::fail);
    }
    for (std::size_t i = 0; i < rows->size(); ++i) {
        const auto& row = (*rows)[i];
        auto text = store->transcript(row.slot.id);
        if (!text) {
            print_error(console.err, "transcript", text.error().message);
            return static_cast<int>(ExitCode::error);
        }
        console.out << (i == 0 ? "" : "\n") << header(row) << body(*text);
    }
    return static_cast<int>(ExitCode::pass);
}

}  // namespace station::app
