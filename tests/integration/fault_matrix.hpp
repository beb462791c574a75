// The fault matrix (issue 18): every routersim fault crossed with every workflow that touches
// units, through the built station. One routersim per fault row (each row a distinct unit: its
// own FSN, IMEI and ICCID), all of a column's rows as slots of one station run where the
// workflow takes several ports, every process bounded in time. A column returns one Cell per
// row; the test compares them with its table of expectations and prints the whole matrix.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "alms_standin.hpp"
#include "process.hpp"
#include "sim_bench.hpp"

namespace tests::matrix {

// One row: a routersim fault (empty: none) and the latency its routers answer with.
struct FaultRow {
    std::string fault;
    std::string latency_ms = "0";
};

// What one workflow made of one row's unit.
struct Cell {
    std::string outcome;  // "PASS", "FAIL/no_response", "1 system", ...
    long ms = 0;          // wall time of the unit (or of the whole run, when per-unit is unknown)
    std::vector<std::string> problems;  // broken invariants: lost, doubled, unbounded, ...
};

// A column: its name, and the Cell of each row (in row order).
struct Column {
    std::string name;
    std::vector<Cell> cells;
    std::vector<std::string> problems;  // invariants of the whole run (exit status, db check)
};

constexpr std::chrono::milliseconds k_cell_bound{8000};  // a unit's deadline, never a hang
constexpr std::chrono::seconds k_run_bound{60};          // a station process
constexpr const char* k_timeout_ms = "400";              // --timeout-ms of every command

// One routersim per row, each unit numbered from `first_unit` (identity overrides), faults
// applied unless `clean`. All processes are started by the constructor.
class SimRows {
  public:
    SimRows(const std::vector<FaultRow>& rows, int first_unit, bool clean);
    std::size_t size() const { return m_benches.size(); }
    const std::string& port(std::size_t row) const;
    std::string fsn(std::size_t row) const;
    // The pallet's packing list of every row, written to `path`.
    std::string manifest(const std::string& path) const;
    std::vector<std::string> port_args() const;  // --port P per row

  private:
    std::vector<std::unique_ptr<SimBench>> m_benches;
    int m_first_unit;
};

// The ALMS credentials for a stand-in, written into `dir`; returns the file.
std::string credentials_for(const AlmsStandin& standin, const std::string& dir);

// The workflows. Each writes only below `dir` and checks its own invariants.
Column identify_column(const SimRows& sims, const std::string& dir);
Column scan_column(const SimRows& sims, const std::string& dir);
// provision, then (same database) `register push` against `standin`: two columns.
std::vector<Column> provision_columns(const SimRows& sims, const std::string& dir,
                                      const AlmsStandin& standin);
Column provision_push_column(const SimRows& sims, const std::string& dir,
                             const AlmsStandin& standin);
// retest of `sims` after the same units (`clean`) passed a provision --push run to `standin`.
Column retest_column(const SimRows& clean, const SimRows& sims, const std::string& dir,
                     const AlmsStandin& standin);
Column regress_column(const SimRows& sims, const std::string& dir);

// The matrix as a text table: rows = faults, columns = workflows, cells "outcome ms".
std::string table(const std::vector<FaultRow>& rows, const std::vector<Column>& columns);

}  // namespace tests::matrix
