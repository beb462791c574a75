// station runs: the runs in the database, newest first, so a script finds the run to resume or
// report without reading the database itself.
#include <algorithm>
#include <array>
#include <ostream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/usage_error.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/store/store.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;
using Json = nlohmann::json;

struct RunsArgs {
    std::string pallet;
    std::string since;
    bool json = false;
    std::string db;
};

constexpr const char* k_runs_usage =
    "usage: station runs [--pallet ID] [--since DATE] [--json] [--db FILE]\n"
    "DATE is UTC: YYYY-MM-DD (from midnight) or YYYY-MM-DDTHH:MM:SS[.mmm]Z\n";

std::optional<RunsArgs> parse_runs(std::span<const std::string> args, Console console) {
    RunsArgs a;
    po::options_description desc("station runs options");
    desc.add_options()("help,h", "show this help")("pallet", po::value(&a.pallet),
                                                   "only this pallet's runs")(
        "since", po::value(&a.since), "only runs started at or after DATE (UTC)")(
        "json", po::bool_switch(&a.json), "print one JSON object")("db", po::value(&a.db),
                                                                   k_db_help);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out << k_runs_usage << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (vm.count("pallet") != 0U && a.pallet.empty()) throw UsageError("runs: --pallet is empty");
    return a;
}

store::RunFilter filter_of(const RunsArgs& a) {
    store::RunFilter filter;
    if (!a.pallet.empty()) filter.lot = a.pallet;
    if (!a.since.empty()) {
        filter.since = core::parse_utc_date(a.since);
        if (!filter.since) {
            throw UsageError("runs: --since '" + core::sanitize_for_display(a.since, 64) +
                             "' is not a UTC date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.mmm]Z)");
        }
    }
    return filter;
}

std::string outcome_text(const store::RunRecord& run) {
    if (run.outcome) return std::string(to_string(*run.outcome));
    return run.interrupted ? "ABORTED" : "-";
}

Json to_json(const std::vector<store::RunListing>& runs) {
    Json list = Json::array();
    for (const auto& [run, counts] : runs) {
        list.push_back({
            {"id", run.id.value},
            {"mode", std::string(to_string(run.info.mode))},
            {"pallet", run.info.lot},
            {"profile", run.info.profile},
            {"operator", run.info.operator_name},
            {"station", run.hostname},
            {"started", core::iso_utc(run.info.started)},
            {"ended", run.ended ? Json(core::iso_utc(*run.ended)) : Json(nullptr)},
            {"outcome", run.outcome ? Json(std::string(to_string(*run.outcome))) : Json(nullptr)},
            {"interrupted", run.interrupted},
            {"counts",
             {{"PASS", counts.pass},
              {"FAIL", counts.fail},
              {"ERROR", counts.error},
              {"ABORTED", counts.aborted},
              {"in_flight", counts.in_flight}}},
        });
    }
    return Json{{"runs", list}};
}

// One aligned row per run; device and operator strings sanitized.
std::string to_table(const std::vector<store::RunListing>& runs) {
    using Row = std::array<std::string, 11>;
    std::vector<Row> rows{{"RUN", "PALLET", "PROFILE", "STARTED", "ENDED", "OUTCOME", "PASS",
                           "FAIL", "ERROR", "ABORTED", "INTERRUPTED"}};
    for (const auto& [run, counts] : runs) {
        rows.push_back({std::to_string(run.id.value), core::sanitize_for_display(run.info.lot, 40),
                        core::sanitize_for_display(run.info.profile, 40),
                        core::iso_utc(run.info.started, false),
                        run.ended ? core::iso_utc(*run.ended, false) : "-", outcome_text(run),
                        std::to_string(counts.pass), std::to_string(counts.fail),
                        std::to_string(counts.error), std::to_string(counts.aborted),
                        run.interrupted ? "yes" : "-"});
    }
    std::array<std::size_t, 11> width{};
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i] + std::string(width[i] - row[i].size() + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

}  // namespace

int run_runs(std::span<const std::string> args, Console console) {
    const auto parsed = parse_runs(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const store::RunFilter filter = filter_of(*parsed);
    store::OpenOptions options;
    options.access = store::Access::read_only;  // a reader: an archive on read-only media works
    auto opened = store::Store::open(resolve_db_path(parsed->db, "runs"), options);
    if (!opened) {
        print_error(console.err, "runs", opened.error().message);
        return static_cast<int>(ExitCode::error);
    }
    auto runs = opened->list_runs(filter);
    if (!runs) {
        print_error(console.err, "runs", runs.error().message);
        return static_cast<int>(ExitCode::error);
    }
    if (parsed->json) {
        console.out << to_json(*runs).dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
    } else if (runs->empty()) {
        console.out << "no runs\n";
    } else {
        console.out << to_table(*runs);
    }
    return static_cast<int>(ExitCode::pass);
}

}  // namespace station::app
