// The fault matrix's regress column: one night of two iterations over a rig of every row's unit,
// against a golden file that says each unit is a clean xr90-na that passes. Cell: the slot's
// outcome and its findings. Nothing may be queued for registration; `db check` clean.
#include <fstream>
#include <sstream>

#include "fault_matrix.hpp"
#include "fault_matrix_detail.hpp"
#include "unit_numbers.hpp"

namespace tests::matrix {
namespace {

using nlohmann::json;

void write_files(const SimRows& sims, const std::string& dir) {
    std::ofstream rig(dir + "/rig.toml", std::ios::trunc);
    std::ofstream golden(dir + "/golden.toml", std::ios::trunc);
    rig << "name = \"matrix-rig\"\n";
    for (std::size_t i = 0; i < sims.size(); ++i) {
        rig << "[[slot]]\nlabel = \"" << label(i) << "\"\nport = \"" << sims.port(i) << "\"\n";
        golden << "[[slot]]\nslot = \"" << label(i) << "\"\nfsn = \"" << sims.fsn(i)
               << "\"\nprofile = \"xr90-na\"\nverdict = \"PASS\"\n";
    }
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The slot's outcome, then its findings' kinds: "FAIL verdict_changed+new_failure".
std::string slot_text(const json& doc, const std::string& slot) {
    std::string text;
    for (const auto& s : doc["slots"]) {
        if (s.value("slot", "") == slot) text = s.value("outcome", "?");
    }
    std::string kinds;
    for (const auto& f : doc["findings"]) {
        if (f.value("slot", "") != slot) continue;
        kinds += (kinds.empty() ? "" : "+") + f.value("kind", "?");
    }
    return kinds.empty() ? text : text + "/" + kinds;
}

// README: 0 nothing regressed, 1 product regressions, 2 rig faults or station errors.
int regress_exit(const json& doc) {
    int worst = 0;
    for (const auto& f : doc["findings"]) {
        const auto kind = f.value("kind", "");
        if (kind == "rig_fault")
            worst = 2;
        else if (kind != "fixed")
            worst = std::max(worst, 1);
    }
    return worst;
}

}  // namespace

Column regress_column(const SimRows& sims, const std::string& dir) {
    Column column{"regress", {}, {}};
    write_files(sims, dir);
    const std::string db = dir + "/station.db";
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_process(
        {station_binary(), "regress", "--rig", dir + "/rig.toml", "--golden", dir + "/golden.toml",
         "--db", db, "--json", dir + "/night.json", "--iterations", "2", "--timeout-ms",
         k_timeout_ms, "--wait-s", "0", "--now", "2026-11-28T02:00:00Z"},
        k_run_bound);
    const long ms = ms_since(start);
    const auto doc = json::parse(read_text(dir + "/night.json"), nullptr, false);
    if (!doc.is_object()) column.problems.push_back("no --json report: " + r.err);
    for (std::size_t i = 0; i < sims.size(); ++i)
        column.cells.push_back({doc.is_object() ? slot_text(doc, label(i)) : "", ms, {}});
    if (r.timed_out) column.problems.push_back("hung");
    if (doc.is_object() && r.exit_code != regress_exit(doc))
        column.problems.push_back("exit " + std::to_string(r.exit_code) + ", findings say " +
                                  std::to_string(regress_exit(doc)));
    const auto queued = query(db, "SELECT count(*) FROM outbox");
    if (queued.empty() || queued[0].empty() || queued[0][0] != "0")
        column.problems.push_back("regress queued registrations");
    if (auto bad = db_check(db)) column.problems.push_back(*bad);
    // Per-unit time is the night's: every slot ran in parallel within it.
    for (auto& cell : column.cells) cell.ms = ms / 2;
    check_bounds(column);
    return column;
}

}  // namespace tests::matrix
