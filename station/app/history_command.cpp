// station history: every slot result that touched one unit, newest first, with the unit's chain
// (provisioned -> registered -> retests); or every retest of one RMA with its findings.
#include <ostream>

#include <boost/program_options.hpp>

#include <station/app/central_config.hpp>
#include <station/app/command_line.hpp>
#include <station/app/commands.hpp>
#include <station/app/db_path.hpp>
#include <station/app/error_line.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/usage_error.hpp>
#include <station/central/results.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/report/json_fields.hpp>
#include <station/report/report.hpp>
#include <station/store/store.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

struct HistoryArgs {
    std::string fsn;
    std::string imei;
    std::string iccid;
    std::string rma;
    bool json = false;
    std::size_t limit = 1000;
    std::string db;
    bool central = false;
};

constexpr std::size_t k_history_max_limit = 1'000'000;

std::optional<HistoryArgs> parse_history(std::span<const std::string> args, Console console) {
    HistoryArgs a;
    po::options_description desc("station history options");
    desc.add_options()("help,h", "show this help")("fsn", po::value(&a.fsn),
                                                   "unit serial (FSN), any letter case")(
        "imei", po::value(&a.imei), "IMEI")("iccid", po::value(&a.iccid),
                                            "SIM ICCID (hex digits in any case)")(
        "rma", po::value(&a.rma), "RMA number: every retest of it with its findings")(
        "json", po::bool_switch(&a.json), "print one JSON object")(
        "limit", po::value(&a.limit)->default_value(1000), "at most this many results")(
        "db", po::value(&a.db), k_db_help)(
        "central", po::bool_switch(&a.central),
        "every station's results from the central database ([central] in the config)");
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out
            << "usage: station history (--fsn X | --imei X | --iccid X | --rma ID) [--json] "
               "[--db FILE | --central]\n"
            << desc;
        return std::nullopt;
    }
    po::notify(vm);
    const int keys =
        static_cast<int>(vm.count("fsn") + vm.count("imei") + vm.count("iccid") + vm.count("rma"));
    if (keys != 1) throw UsageError("history: give exactly one of --fsn, --imei, --iccid, --rma");
    if (a.fsn.empty() && a.imei.empty() && a.iccid.empty() && a.rma.empty()) {
        throw UsageError("history: the identifier is empty");
    }
    if (a.central && !a.rma.empty()) {
        throw UsageError("history: --central answers --fsn, --imei or --iccid (RMA cases stay in "
                         "their station's store)");
    }
    if (a.central && !a.db.empty()) throw UsageError("history: give --db or --central, not both");
    if (a.limit < 1 || a.limit > k_history_max_limit) {
        throw UsageError("history: --limit must be 1.." + std::to_string(k_history_max_limit));
    }
    return a;
}

int history_failed(Console console, const core::Error& error) {
    print_error(console.err, "history", error.message);
    return static_cast<int>(ExitCode::error);
}

// The unit's retests (oldest first) with their findings, and its provisioning record.
struct Chain {
    std::optional<core::ProvisionedUnit> provisioned;
    std::vector<store::ResultRow> retests;
    report::RetestFindings found;
};

store::Result<Chain> chain_of(store::Store& store, const std::string& fsn,
                              const std::vector<store::ResultRow>& rows) {
    Chain chain;
    auto history = store.provisioning_history(fsn, "");
    if (!history) return tl::unexpected(history.error());
    chain.provisioned = history->by_fsn;
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
        if (it->run.info.mode != store::RunMode::retest) continue;
        auto findings = store.findings(it->slot.id);
        if (!findings) return tl::unexpected(findings.error());
        // A retest run's lot is its RMA number.
        chain.found[it->slot.id.value] = report::Retested{it->run.info.lot, std::move(*findings)};
        chain.retests.push_back(*it);
    }
    return chain;
}

// station history --rma ID: the RMA case, then every retest of it with its findings.
int rma_history(store::Store& store, const HistoryArgs& a, Console console) {
    auto record = store.rma(a.rma);
    if (!record) return history_failed(console, record.error());
    auto rows = store.retests_of_rma(a.rma);
    if (!rows) return history_failed(console, rows.error());
    const auto results = report::result_rows(*rows);
    const auto found = report::retest_findings(*rows);
    const std::string none = "no retests for RMA " + core::sanitize_for_display(a.rma, 64);
    if (a.json) {
        console.out << report::to_json({"rma", a.rma}, results, nullptr, nullptr, &found);
        if (!*record)
            console.err << "station: no RMA " << core::sanitize_for_display(a.rma, 64) << '\n';
        return static_cast<int>(ExitCode::pass);
    }
    if (!*record) {
        console.out << "no RMA " << core::sanitize_for_display(a.rma, 64) << '\n';
        return static_cast<int>(ExitCode::pass);
    }
    const auto& r = **record;
    console.out << "RMA " << core::sanitize_for_display(r.id, 64) << ": received "
                << core::iso_utc(r.received) << " by "
                << core::sanitize_for_display(r.operator_name, 64) << ", customer "
                << (r.customer.empty() ? "-" : core::sanitize_for_display(r.customer, 128))
                << (r.note.empty() ? "" : ", note: " + core::sanitize_for_display(r.note, 512))
                << '\n';
    if (results.empty()) {
        console.out << none << '\n';
        return static_cast<int>(ExitCode::pass);
    }
    console.out << report::to_table(results) << report::to_findings(results, found);
    return static_cast<int>(ExitCode::pass);
}

// The unit's results (table or JSON), then its chain when looked up by FSN.
void print_unit_history(const report::Subject& subject, const std::vector<store::ResultRow>& rows,
                        const std::optional<Chain>& chain, bool as_json, Console console) {
    const std::string none =
        "no results for " + subject.kind + ' ' + core::sanitize_for_display(subject.id, 64);
    if (as_json) {
        if (!chain) {
            console.out << report::to_json(subject, rows);
        } else {
            auto doc = nlohmann::json::parse(
                report::to_json(subject, rows, nullptr, nullptr, &chain->found));
            doc["chain"] = report::chain_json(chain->provisioned, chain->retests, chain->found);
            console.out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                        << '\n';
        }
        if (rows.empty()) console.err << "station: " << none << '\n';  // stdout stays JSON
    } else if (rows.empty()) {
        console.out << none << '\n';
    } else {
        console.out << report::to_table(rows);
        if (chain) {
            console.out << '\n'
                        << report::to_chain(subject.id, chain->provisioned, chain->retests,
                                            chain->found);
        }
    }
}

// station history --central: the unit's results on every station, from the central database,
// in the same table or JSON (a STATION column; each run's `station`). No chain: the findings
// it is built from stay in each station's store.
int central_history(const HistoryArgs& a, store::UnitKey key, const std::string& value,
                    Console console) {
    auto db = connect_central("history");
    if (!db) {
        print_error(console.err, "history", db.error().message);
        return static_cast<int>(db.error().code);
    }
    auto rows = central::central_history(*db, key, value, a.limit);
    if (!rows) {
        print_error(console.err, "history", rows.error().message);
        return static_cast<int>(db->ok() ? ExitCode::error : ExitCode::temporary_failure);
    }
    print_unit_history({std::string(store::to_string(key)), value}, *rows, std::nullopt, a.json,
                       console);
    return static_cast<int>(ExitCode::pass);
}

}  // namespace

int run_history(std::span<const std::string> args, Console console) {
    const auto parsed = parse_history(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const HistoryArgs& a = *parsed;
    const auto key = !a.fsn.empty()    ? store::UnitKey::fsn
                     : !a.imei.empty() ? store::UnitKey::imei
                                       : store::UnitKey::iccid;
    const std::string& value = !a.fsn.empty() ? a.fsn : !a.imei.empty() ? a.imei : a.iccid;
    if (a.central) return central_history(a, key, value, console);
    store::OpenOptions options;
    options.access = store::Access::read_only;
    auto opened = store::Store::open(resolve_db_path(a.db, "history"), options);
    if (!opened) return history_failed(console, opened.error());
    if (!a.rma.empty()) return rma_history(*opened, a, console);
    auto rows = opened->history(key, value, a.limit);
    if (!rows) return history_failed(console, rows.error());
    std::optional<Chain> chain;
    if (key == store::UnitKey::fsn) {
        auto found = chain_of(*opened, value, *rows);
        if (!found) return history_failed(console, found.error());
        chain = std::move(*found);
    }
    print_unit_history({std::string(store::to_string(key)), value}, *rows, chain, a.json, console);
    return static_cast<int>(ExitCode::pass);
}

}  // namespace station::app
