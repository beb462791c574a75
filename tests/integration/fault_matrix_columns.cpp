// The fault matrix's workflows through the built station: identify (one process per unit, in
// parallel), scan --identify, provision (then register push), provision --push, retest, regress
// (each one run over every row's unit). Each checks its invariants: exit status as README says,
// a result per unit, stored as shown, nothing doubled, `db check` clean.
#include <fstream>
#include <future>

#include "fault_matrix.hpp"
#include "fault_matrix_detail.hpp"
#include "json_lines.hpp"

namespace tests::matrix {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

void expect_exit(Column& column, const ProcessResult& r, int expected) {
    if (r.timed_out)
        column.problems.push_back("hung: killed after " + std::to_string(k_run_bound.count()) +
                                  " s");
    if (r.exit_code != expected) {
        column.problems.push_back("exit " + std::to_string(r.exit_code) + ", README says " +
                                  std::to_string(expected) + "; stderr: " + r.err);
    }
}

ProcessResult station(std::vector<std::string> args) {
    args.insert(args.begin(), station_binary());
    return run_process(args, k_run_bound);
}

void write_rig(const SimRows& sims, const std::string& path) {
    std::ofstream out(path, std::ios::trunc);
    out << "name = \"matrix-rig\"\n";
    for (std::size_t i = 0; i < sims.size(); ++i)
        out << "[[slot]]\nlabel = \"" << label(i) << "\"\nport = \"" << sims.port(i) << "\"\n";
}

// unit_finished per slot (port path) of an event stream -> cells in row order.
void cells_from_events(Column& column, const SimRows& sims, const std::string& out) {
    std::map<std::string, std::vector<json>> finished;
    for (const auto& e : json_lines(out)) {
        if (e.is_object() && e.value("kind", "") == "unit_finished")
            finished[e.value("slot", "")].push_back(e);
    }
    column.cells.resize(sims.size());
    for (std::size_t i = 0; i < sims.size(); ++i) {
        const auto& events = finished[sims.port(i)];
        if (events.empty()) continue;
        // One unit_finished per attempt (an ERROR is retried once), never two for one attempt.
        std::map<int, int> attempts;
        for (const auto& e : events) {
            if (++attempts[e.value("attempt", 0)] > 1)
                column.cells[i].problems.push_back("two unit_finished for one attempt");
            column.cells[i].ms += e.value("elapsed_ms", 0L);
        }
        const auto& e = events.back();
        column.cells[i].outcome = outcome_text(e["outcome"], e["reason"]);
    }
}

std::string last_run(const std::string& db) {
    const auto rows = query(db, "SELECT max(id) FROM runs");
    return rows.empty() || rows[0].empty() ? "0" : rows[0][0];
}

// The store holds what was shown: the unit's last result per slot, at most one PASS per unit,
// and `outbox_per_pass` outbox rows per PASS unit (none for the others).
void check_store(Column& column, const SimRows& sims, const std::string& db, int outbox_per_pass) {
    const std::string run = last_run(db);
    std::map<std::string, std::string> stored;
    for (const auto& row : query(db,
                                 "SELECT slot, outcome, reason FROM slot_results WHERE "
                                 "run_id = " +
                                     run + " ORDER BY id")) {
        if (row.size() == 3) stored[row[0]] = row[1] + (row[2].empty() ? "" : "/" + row[2]);
    }
    const auto passes =
        count_by(db, "SELECT fsn, count(*) FROM slot_results WHERE run_id = " + run +
                         " AND outcome = 'PASS' GROUP BY fsn");
    const auto outbox = count_by(db, "SELECT fsn, count(*) FROM outbox GROUP BY fsn");
    for (std::size_t i = 0; i < sims.size(); ++i) {
        auto& cell = column.cells[i];
        const auto slot = stored.find(sims.port(i));
        if (slot == stored.end() || slot->second != cell.outcome)
            cell.problems.push_back("stored " + (slot == stored.end() ? "nothing" : slot->second));
        const int pass = cell.outcome == "PASS" ? 1 : 0;
        const auto fsn = sims.fsn(i);
        if (passes.count(fsn) ? passes.at(fsn) != pass : pass != 0)
            cell.problems.push_back("PASS rows: " +
                                    std::to_string(passes.count(fsn) ? passes.at(fsn) : 0));
        const int rows = outbox.count(fsn) ? outbox.at(fsn) : 0;
        if (rows != pass * outbox_per_pass)
            cell.problems.push_back("outbox rows: " + std::to_string(rows));
    }
    if (auto bad = db_check(db)) column.problems.push_back(*bad);
}

// Systems the stand-in holds for each row's serial (NA tenant: every row is an NA unit).
std::map<std::string, int> systems(const AlmsStandin& standin) {
    std::map<std::string, int> out;
    const auto per_serial = standin.tenant("na").value("systems_per_serial", json::object());
    for (const auto& [serial, n] : per_serial.items()) out[serial] = n.get<int>();
    return out;
}

std::vector<std::string> pallet_args(const std::string& verb, const SimRows& sims,
                                     const std::string& dir, std::vector<std::string> extra) {
    std::vector<std::string> a{
        verb,       "--db", dir + "/station.db", "--timeout-ms", k_timeout_ms,
        "--wait-s", "0",    "--json-events"};
    for (const auto& p : sims.port_args()) a.push_back(p);
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

std::vector<std::string> provision_args(const SimRows& sims, const std::string& dir,
                                        std::vector<std::string> extra) {
    std::vector<std::string> a{
        "--profile",  "xr90-na", "--pallet",   "P-MATRIX",
        "--operator", "matrix",  "--manifest", sims.manifest(dir + "/manifest.csv")};
    a.insert(a.end(), extra.begin(), extra.end());
    return pallet_args("provision", sims, dir, a);
}

}  // namespace

Column identify_column(const SimRows& sims, const std::string& dir) {
    Column column{"identify", {}, {}};
    const auto manifest = sims.manifest(dir + "/manifest.csv");
    std::vector<std::future<std::pair<ProcessResult, long>>> runs;
    for (std::size_t i = 0; i < sims.size(); ++i) {
        runs.push_back(std::async(std::launch::async, [&sims, &manifest, i] {
            const auto start = Clock::now();
            auto r = station({"identify", "--port", sims.port(i), "--profile", "xr90-na",
                              "--manifest", manifest, "--json", "--timeout-ms", k_timeout_ms});
            return std::pair{std::move(r), ms_since(start)};
        }));
    }
    for (auto& run : runs) {
        auto [r, ms] = run.get();
        const auto doc = json::parse(r.out, nullptr, false);
        Cell cell;
        cell.ms = ms;
        if (doc.is_object()) cell.outcome = outcome_text(doc["outcome"], doc["reason"]);
        column.cells.push_back(cell);
        expect_exit(column, r, exit_for({cell}));
    }
    check_bounds(column);
    return column;
}

Column scan_column(const SimRows& sims, const std::string& dir) {
    Column column{"scan --identify", {}, {}};
    write_rig(sims, dir + "/rig.toml");
    const auto start = Clock::now();
    const auto r = station({"scan", "--rig", dir + "/rig.toml", "--identify", "--expect", "xr90-na",
                            "--manifest", sims.manifest(dir + "/manifest.csv"), "--json",
                            "--timeout-ms", k_timeout_ms});
    const long ms = ms_since(start);
    const auto doc = json::parse(r.out, nullptr, false);
    column.cells.resize(sims.size());
    if (doc.is_object() && doc["slots"].is_array()) {
        for (const auto& slot : doc["slots"]) {
            for (std::size_t i = 0; i < sims.size(); ++i) {
                if (slot.value("slot", "") != label(i)) continue;
                column.cells[i].outcome =
                    outcome_text(slot["verdict"]["outcome"], slot["verdict"]["reason"]);
                column.cells[i].ms = ms;
            }
        }
    }
    expect_exit(column, r, exit_for(column.cells));
    check_bounds(column);
    return column;
}

std::vector<Column> provision_columns(const SimRows& sims, const std::string& dir,
                                      const AlmsStandin& standin) {
    Column column{"provision", {}, {}};
    const auto r = station(provision_args(sims, dir, {}));
    cells_from_events(column, sims, r.out);
    expect_exit(column, r, exit_for(column.cells));
    check_store(column, sims, dir + "/station.db", 1);
    check_bounds(column);

    Column push{"register push", {}, {}};
    const auto start = Clock::now();
    const auto pushed = station({"register", "push", "--db", dir + "/station.db", "--credentials",
                                 credentials_for(standin, dir)});
    const long ms = ms_since(start);
    expect_exit(push, pushed, 0);
    const auto held = systems(standin);
    for (std::size_t i = 0; i < sims.size(); ++i) {
        const int n = held.count(sims.fsn(i)) ? held.at(sims.fsn(i)) : 0;
        Cell cell{std::to_string(n) + (n == 1 ? " system" : " systems"), ms, {}};
        if (n != (column.cells[i].outcome == "PASS" ? 1 : 0))
            cell.problems.push_back("a system per PASS unit, none for the others");
        push.cells.push_back(cell);
    }
    if (auto bad = db_check(dir + "/station.db")) push.problems.push_back(*bad);
    check_bounds(push);
    return {column, push};
}

Column provision_push_column(const SimRows& sims, const std::string& dir,
                             const AlmsStandin& standin) {
    Column column{"provision --push", {}, {}};
    const auto r = station(
        provision_args(sims, dir, {"--push", "--credentials", credentials_for(standin, dir)}));
    cells_from_events(column, sims, r.out);
    expect_exit(column, r, exit_for(column.cells));
    check_store(column, sims, dir + "/station.db", 1);
    const auto held = systems(standin);
    for (std::size_t i = 0; i < sims.size(); ++i) {
        auto& cell = column.cells[i];
        const int n = held.count(sims.fsn(i)) ? held.at(sims.fsn(i)) : 0;
        if (n != (cell.outcome == "PASS" ? 1 : 0))
            cell.problems.push_back("systems at ALMS: " + std::to_string(n));
        if (n > 0) cell.outcome += "+alms";
    }
    check_bounds(column);
    return column;
}

Column retest_column(const SimRows& clean, const SimRows& sims, const std::string& dir,
                     const AlmsStandin& standin) {
    Column column{"retest", {}, {}};
    // Provisioned and registered before they were returned.
    const auto setup = station(
        provision_args(clean, dir, {"--push", "--credentials", credentials_for(standin, dir)}));
    if (setup.exit_code != 0)
        column.problems.push_back("the clean provision run before the retest: exit " +
                                  std::to_string(setup.exit_code) + " " + setup.err);
    const auto r = station(pallet_args("retest", sims, dir, {"--rma", "RMA-MATRIX"}));
    cells_from_events(column, sims, r.out);
    expect_exit(column, r, exit_for(column.cells));
    // A retest queues no create: the clean run's one row per unit stays the only one.
    check_store(column, sims, dir + "/station.db", 0);
    for (auto& cell : column.cells) {
        std::erase_if(cell.problems, [](const std::string& p) { return p == "outbox rows: 1"; });
    }
    check_bounds(column);
    return column;
}

}  // namespace tests::matrix
