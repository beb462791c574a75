// station report: one run's or one pallet's results as a table, CSV, JSON or JUnit XML; or the
// retests of one RMA, or of every RMA received since a date, with their findings (issue 16).
#include <unistd.h>
#include <fstream>
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
#include <station/report/report.hpp>
#include <station/store/store.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

struct ReportArgs {
    std::int64_t run = 0;
    std::string pallet;
    std::string rma;
    std::string rma_since;
    std::string format = "table";
    std::string out;
    std::string db;
    bool with_transcripts = false;
    bool central = false;
    std::string station;  // --central --run: whose run
};

// Usage errors of --central and --station.
void check_central(const ReportArgs& a, const po::variables_map& vm) {
    if (!a.central) {
        if (vm.count("station") != 0U) throw UsageError("report: --station needs --central");
        return;
    }
    if (!a.db.empty()) throw UsageError("report: give --db or --central, not both");
    if (!a.rma.empty() || vm.count("rma-since") != 0U) {
        throw UsageError("report: --central answers --pallet or --run (RMA cases stay in their "
                         "station's store)");
    }
    if (vm.count("run") != 0U && a.station.empty()) {
        throw UsageError("report: --central --run needs --station (run ids are per station)");
    }
    if (vm.count("pallet") != 0U && vm.count("station") != 0U) {
        throw UsageError("report: --station goes with --run, not --pallet");
    }
    if (a.with_transcripts) {
        throw UsageError("report: --with-transcripts reads a station's own store, not --central");
    }
}

// Usage errors in the options given.
void check(const ReportArgs& a, const po::variables_map& vm) {
    if (vm.count("run") + vm.count("pallet") + vm.count("rma") + vm.count("rma-since") != 1) {
        throw UsageError("report: give exactly one of --run, --pallet, --rma, --rma-since");
    }
    if (vm.count("rma") != 0U && a.rma.empty()) throw UsageError("report: --rma is empty");
    if (vm.count("rma-since") != 0U && !core::parse_utc_date(a.rma_since)) {
        throw UsageError("report: --rma-since '" + core::sanitize_for_display(a.rma_since, 64) +
                         "' is not a date (2026-11-01 or 2026-11-01T08:00:00Z)");
    }
    if (vm.count("run") != 0U && a.run <= 0) throw UsageError("report: --run must be a run id > 0");
    if (vm.count("pallet") != 0U && a.pallet.empty()) throw UsageError("report: --pallet is empty");
    if (a.format != "table" && a.format != "csv" && a.format != "json" && a.format != "junit") {
        throw UsageError("report: unknown --format '" + core::sanitize_for_display(a.format, 32) +
                         "' (table, csv, json or junit)");
    }
    if (vm.count("out") != 0U && a.out.empty()) throw UsageError("report: --out is empty");
    if (a.with_transcripts && a.format != "json") {
        throw UsageError("report: --with-transcripts needs --format json");
    }
    check_central(a, vm);
}

std::optional<ReportArgs> parse_report(std::span<const std::string> args, Console console) {
    ReportArgs a;
    po::options_description desc("station report options");
    desc.add_options()("help,h", "show this help")("run", po::value(&a.run), "run id")(
        "pallet", po::value(&a.pallet), "pallet (or RMA / rig) id: every run of it")(
        "rma", po::value(&a.rma), "RMA number: every retest of it, with its findings")(
        "rma-since", po::value(&a.rma_since),
        "DATE (2026-11-01 or ISO 8601 UTC): retests of every RMA received since then")(
        "format", po::value(&a.format)->default_value("table"), "table | csv | json | junit")(
        "out", po::value(&a.out), "write to FILE instead of standard output")(
        "with-transcripts", po::bool_switch(&a.with_transcripts),
        "json: add each slot result's stored AT transcript")("db", po::value(&a.db), k_db_help)(
        "central", po::bool_switch(&a.central),
        "every station's results from the central database ([central] in the config)")(
        "station", po::value(&a.station), "--central --run: the station whose run it is");
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(parse_options(argv, desc), vm);
    if (vm.count("help") != 0U) {
        console.out
            << "usage: station report (--run ID | --pallet ID | --rma ID | --rma-since DATE) "
               "[--format table|csv|json|junit] [--with-transcripts] [--out FILE] "
               "[--db FILE | --central [--station S]]\n"
            << desc;
        return std::nullopt;
    }
    po::notify(vm);
    check(a, vm);
    return a;
}

// What a report shows: its rows, their transcripts and missing manifest lines, and (RMA
// reports) what each retest found.
struct Contents {
    std::vector<store::ResultRow> rows;
    report::Transcripts transcripts;
    report::MissingLines missing;
    std::optional<report::RetestFindings> retests;
};

std::string render(const ReportArgs& a, const report::Subject& subject, const Contents& c) {
    const report::RetestFindings* retests = c.retests ? &*c.retests : nullptr;
    if (a.format == "csv") return report::to_csv(c.rows, retests);
    if (a.format == "json") {
        return report::to_json(subject, c.rows, a.with_transcripts ? &c.transcripts : nullptr,
                               a.central ? nullptr : &c.missing, retests);
    }
    if (a.format == "junit") return report::to_junit(subject, c.rows, retests);
    std::string text = report::to_table(c.rows);
    if (retests != nullptr) text += "\n" + report::to_findings(c.rows, *retests);
    return text + "\n" + report::to_provenance(c.rows, a.central ? nullptr : &c.missing);
}

// The manifest lines no unit matched, for each run in `rows`.
store::Result<report::MissingLines> missing_of(store::Store& store,
                                               const std::vector<store::ResultRow>& rows) {
    report::MissingLines out;
    for (const auto& row : rows) {
        if (out.count(row.run.id.value) != 0U) continue;
        auto lines = store.manifest_missing(row.run.id);
        if (!lines) return tl::unexpected(lines.error());
        out.emplace(row.run.id.value, std::move(*lines));
    }
    return out;
}

// Each row's stored transcript, by slot result id (--with-transcripts).
store::Result<report::Transcripts> transcripts_of(store::Store& store,
                                                  const std::vector<store::ResultRow>& rows) {
    report::Transcripts out;
    for (const auto& row : rows) {
        auto text = store.transcript(row.slot.id);
        if (!text) return tl::unexpected(text.error());
        out.emplace(row.slot.id.value, std::move(*text));
    }
    return out;
}

// Writes beside `path` and renames into place: a reader never sees half a report.
bool write_report_file(const std::string& path, const std::string& text, Console console) {
    const std::string partial = path + ".partial-" + std::to_string(::getpid());
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            print_error(console.err, "report", path + ": cannot write the report");
            std::error_code ec;
            std::filesystem::remove(partial, ec);
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) {
        print_error(console.err, "report", path + ": " + ec.message());
        std::filesystem::remove(partial, ec);
        return false;
    }
    return true;
}

// The rows of the subject asked for; an error line and nullopt when there are none or the store
// fails.
std::optional<Contents> rows_of(store::Store& store, const ReportArgs& a,
                                const std::filesystem::path& db, report::Subject& subject,
                                Console console) {
    Contents c;
    store::Result<std::vector<store::ResultRow>> rows;
    store::Result<std::vector<store::RetestRow>> retests;
    std::string none;
    if (!a.rma.empty() || !a.rma_since.empty()) {
        if (!a.rma.empty()) {
            subject = {"rma", a.rma};
            retests = store.retests_of_rma(a.rma);
            none = "no retests for RMA " + core::sanitize_for_display(a.rma, 64);
        } else {
            subject = {"rma_since", a.rma_since};
            retests = store.retests_since(*core::parse_utc_date(a.rma_since));
        }
        if (retests) {
            rows = report::result_rows(*retests);
            c.retests = report::retest_findings(*retests);
        } else {
            rows = tl::unexpected(retests.error());
        }
    } else if (a.pallet.empty()) {
        subject = {"run", std::to_string(a.run)};
        auto run = store.run(store::RunId{a.run});
        if (run && !*run) {
            print_error(console.err, "report", db.string() + ": no run " + std::to_string(a.run));
            return std::nullopt;
        }
        rows = run ? store.results_for_run(store::RunId{a.run})
                   : store::Result<std::vector<store::ResultRow>>(tl::unexpected(run.error()));
    } else {
        subject = {"pallet", a.pallet};
        rows = store.results_for_lot(a.pallet);
        none = "no results for pallet " + core::sanitize_for_display(a.pallet, 64);
    }
    if (!rows) {
        print_error(console.err, "report", rows.error().message);
        return std::nullopt;
    }
    if (rows->empty() && !none.empty()) {
        print_error(console.err, "report", db.string() + ": " + none);
        return std::nullopt;
    }
    c.rows = std::move(*rows);
    return c;
}

// Writes `text` to --out or standard output; the exit code.
int emit(const ReportArgs& a, const std::string& text, Console console) {
    if (a.out.empty()) {
        console.out << text;
        return static_cast<int>(ExitCode::pass);
    }
    return static_cast<int>(write_report_file(a.out, text, console) ? ExitCode::pass
                                                                    : ExitCode::error);
}

// station report --central: a pallet's runs on every station, or one station's run, from the
// central database, in the same formats (a STATION column; each run's `station`). What the
// central database does not hold (profiles, signals, missing manifest lines) is left out.
int central_report(const ReportArgs& a, Console console) {
    auto db = connect_central("report");
    if (!db) {
        print_error(console.err, "report", db.error().message);
        return static_cast<int>(db.error().code);
    }
    report::Subject subject;
    store::Result<std::vector<store::ResultRow>> rows;
    std::string none;
    if (!a.pallet.empty()) {
        subject = {"pallet", a.pallet};
        rows = central::central_results_for_lot(*db, a.pallet);
        none = "no results for pallet " + core::sanitize_for_display(a.pallet, 64);
    } else {
        subject = {"run", a.station + "/" + std::to_string(a.run)};
        rows = central::central_results_for_run(*db, a.station, a.run);
        none = "no results for run " + std::to_string(a.run) + " of station " +
               core::sanitize_for_display(a.station, 64);
    }
    if (!rows) {
        print_error(console.err, "report", rows.error().message);
        return static_cast<int>(db->ok() ? ExitCode::error : ExitCode::temporary_failure);
    }
    if (rows->empty()) {
        print_error(console.err, "report", "central database: " + none);
        return static_cast<int>(ExitCode::error);
    }
    Contents contents;
    contents.rows = std::move(*rows);
    return emit(a, render(a, subject, contents), console);
}

}  // namespace

int run_report(std::span<const std::string> args, Console console) {
    const auto parsed = parse_report(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const ReportArgs& a = *parsed;
    if (a.central) return central_report(a, console);
    store::OpenOptions options;
    options.access = store::Access::read_only;
    const auto db = resolve_db_path(a.db, "report");
    auto opened = store::Store::open(db, options);
    if (!opened) {
        print_error(console.err, "report", opened.error().message);
        return static_cast<int>(ExitCode::error);
    }
    report::Subject subject;
    auto contents = rows_of(*opened, a, db, subject, console);
    if (!contents) return static_cast<int>(ExitCode::error);
    if (a.with_transcripts) {
        auto found = transcripts_of(*opened, contents->rows);
        if (!found) {
            print_error(console.err, "report", found.error().message);
            return static_cast<int>(ExitCode::error);
        }
        contents->transcripts = std::move(*found);
    }
    auto missing = missing_of(*opened, contents->rows);
    if (!missing) {
        print_error(console.err, "report", missing.error().message);
        return static_cast<int>(ExitCode::error);
    }
    contents->missing = std::move(*missing);
    return emit(a, render(a, subject, *contents), console);
}

}  // namespace station::app
