// station history: every slot result that touched one unit, newest first.
#include <ostream>

#include <boost/program_options.hpp>

#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/usage_error.hpp>
#include <station/core/sanitize.hpp>
#include <station/report/report.hpp>
#include <station/store/store.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

struct HistoryArgs {
    std::string fsn;
    std::string imei;
    std::string iccid;
    bool json = false;
    std::size_t limit = 1000;
    std::string db;
};

constexpr std::size_t k_max_limit = 1'000'000;

std::optional<HistoryArgs> parse(std::span<const std::string> args, Console console) {
    HistoryArgs a;
    po::options_description desc("station history options");
    desc.add_options()("help,h", "show this help")("fsn", po::value(&a.fsn),
                                                   "unit serial (FSN), any letter case")(
        "imei", po::value(&a.imei), "IMEI")("iccid", po::value(&a.iccid),
                                            "SIM ICCID (hex digits in any case)")(
        "json", po::bool_switch(&a.json), "print one JSON object")(
        "limit", po::value(&a.limit)->default_value(1000), "at most this many results")(
        "db", po::value(&a.db), k_db_help);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(po::command_line_parser(argv).options(desc).run(), vm);
    if (vm.count("help") != 0U) {
        console.out
            << "usage: station history (--fsn X | --imei X | --iccid X) [--json] [--db FILE]\n"
            << desc;
        return std::nullopt;
    }
    po::notify(vm);
    const int keys = static_cast<int>(vm.count("fsn") + vm.count("imei") + vm.count("iccid"));
    if (keys != 1) throw UsageError("history: give exactly one of --fsn, --imei, --iccid");
    if (a.fsn.empty() && a.imei.empty() && a.iccid.empty()) {
        throw UsageError("history: the identifier is empty");
    }
    if (a.limit < 1 || a.limit > k_max_limit) {
        throw UsageError("history: --limit must be 1.." + std::to_string(k_max_limit));
    }
    return a;
}

}  // namespace

int run_history(std::span<const std::string> args, Console console) {
    const auto parsed = parse(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const HistoryArgs& a = *parsed;
    const auto key = !a.fsn.empty()    ? store::UnitKey::fsn
                     : !a.imei.empty() ? store::UnitKey::imei
                                       : store::UnitKey::iccid;
    const std::string& value = !a.fsn.empty() ? a.fsn : !a.imei.empty() ? a.imei : a.iccid;
    store::OpenOptions options;
    options.access = store::Access::read_only;
    auto opened = store::Store::open(resolve_db_path(a.db, "history"), options);
    if (!opened) {
        print_error(console.err, "history", opened.error().message);
        return static_cast<int>(ExitCode::error);
    }
    auto rows = opened->history(key, value, a.limit);
    if (!rows) {
        print_error(console.err, "history", rows.error().message);
        return static_cast<int>(ExitCode::error);
    }
    const report::Subject subject{std::string(store::to_string(key)), value};
    const std::string none =
        "no results for " + subject.kind + ' ' + core::sanitize_for_display(value, 64);
    if (a.json) {
        console.out << report::to_json(subject, *rows);
        if (rows->empty()) console.err << "station: " << none << '\n';  // stdout stays JSON
    } else if (rows->empty()) {
        console.out << none << '\n';
    } else {
        console.out << report::to_table(*rows);
    }
    return static_cast<int>(ExitCode::pass);
}

}  // namespace station::app
