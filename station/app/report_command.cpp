// station report: one run's or one pallet's results as a table, CSV, JSON or JUnit XML.
#include <unistd.h>
#include <fstream>
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

struct ReportArgs {
    std::int64_t run = 0;
    std::string pallet;
    std::string format = "table";
    std::string out;
    std::string db;
    bool with_transcripts = false;
};

std::optional<ReportArgs> parse(std::span<const std::string> args, Console console) {
    ReportArgs a;
    po::options_description desc("station report options");
    desc.add_options()("help,h", "show this help")("run", po::value(&a.run), "run id")(
        "pallet", po::value(&a.pallet), "pallet (or RMA / rig) id: every run of it")(
        "format", po::value(&a.format)->default_value("table"), "table | csv | json | junit")(
        "out", po::value(&a.out), "write to FILE instead of standard output")(
        "with-transcripts", po::bool_switch(&a.with_transcripts),
        "json: add each slot result's stored AT transcript")("db", po::value(&a.db), k_db_help);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(po::command_line_parser(argv).options(desc).run(), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station report (--run ID | --pallet ID) "
                       "[--format table|csv|json|junit] [--with-transcripts] [--out FILE] "
                       "[--db FILE]\n"
                    << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (vm.count("run") + vm.count("pallet") != 1) {
        throw UsageError("report: give exactly one of --run, --pallet");
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
    return a;
}

std::string render(const ReportArgs& a, const report::Subject& subject,
                   const std::vector<store::ResultRow>& rows,
                   const report::Transcripts& transcripts, const report::MissingLines& missing) {
    if (a.format == "csv") return report::to_csv(rows);
    if (a.format == "json") {
        return report::to_json(subject, rows, a.with_transcripts ? &transcripts : nullptr,
                               &missing);
    }
    if (a.format == "junit") return report::to_junit(subject, rows);
    return report::to_table(rows) + "\n" + report::to_provenance(rows, &missing);
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
bool write_file(const std::string& path, const std::string& text, Console console) {
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

}  // namespace

int run_report(std::span<const std::string> args, Console console) {
    const auto parsed = parse(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const ReportArgs& a = *parsed;
    store::OpenOptions options;
    options.access = store::Access::read_only;
    const auto db = resolve_db_path(a.db, "report");
    auto opened = store::Store::open(db, options);
    if (!opened) {
        print_error(console.err, "report", opened.error().message);
        return static_cast<int>(ExitCode::error);
    }
    report::Subject subject;
    store::Result<std::vector<store::ResultRow>> rows;
    if (a.pallet.empty()) {
        subject = {"run", std::to_string(a.run)};
        auto run = opened->run(store::RunId{a.run});
        if (run && !*run) {
            print_error(console.err, "report", db.string() + ": no run " + std::to_string(a.run));
            return static_cast<int>(ExitCode::error);
        }
        rows = run ? opened->results_for_run(store::RunId{a.run})
                   : store::Result<std::vector<store::ResultRow>>(tl::unexpected(run.error()));
    } else {
        subject = {"pallet", a.pallet};
        rows = opened->results_for_lot(a.pallet);
        if (rows && rows->empty()) {
            print_error(console.err, "report",
                        db.string() + ": no results for pallet " +
                            core::sanitize_for_display(a.pallet, 64));
            return static_cast<int>(ExitCode::error);
        }
    }
    if (!rows) {
        print_error(console.err, "report", rows.error().message);
        return static_cast<int>(ExitCode::error);
    }
    report::Transcripts transcripts;
    if (a.with_transcripts) {
        auto found = transcripts_of(*opened, *rows);
        if (!found) {
            print_error(console.err, "report", found.error().message);
            return static_cast<int>(ExitCode::error);
        }
        transcripts = std::move(*found);
    }
    auto missing = missing_of(*opened, *rows);
    if (!missing) {
        print_error(console.err, "report", missing.error().message);
        return static_cast<int>(ExitCode::error);
    }
    const std::string text = render(a, subject, *rows, transcripts, *missing);
    if (a.out.empty()) {
        console.out << text;
        return static_cast<int>(ExitCode::pass);
    }
    return static_cast<int>(write_file(a.out, text, console) ? ExitCode::pass : ExitCode::error);
}

}  // namespace station::app
