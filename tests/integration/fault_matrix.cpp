// The fault matrix's bench (simulated units per fault row), its store queries and its table.
#include "fault_matrix.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "fault_matrix_detail.hpp"
#include "unit_numbers.hpp"

namespace tests::matrix {

SimRows::SimRows(const std::vector<FaultRow>& rows, int first_unit, bool clean)
    : m_first_unit(first_unit) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const int unit = first_unit + static_cast<int>(i);
        std::vector<std::string> faults;
        if (!clean && !rows[i].fault.empty()) faults.push_back(rows[i].fault);
        m_benches.push_back(std::make_unique<SimBench>(
            std::vector<std::string>{"xr90-na"}, faults,
            std::vector<std::string>{"--latency-ms", rows[i].latency_ms, "--fsn", serial_for(unit),
                                     "--imei", imei_for(unit), "--iccid", iccid_for(unit)}));
    }
}

const std::string& SimRows::port(std::size_t row) const {
    static const std::string none = "/nonexistent";
    const auto& ports = m_benches.at(row)->ports();
    return ports.empty() ? none : ports.front().path;
}

std::string SimRows::fsn(std::size_t row) const {
    return serial_for(m_first_unit + static_cast<int>(row));
}

std::string SimRows::manifest(const std::string& path) const {
    std::vector<const SimBench*> all;
    for (const auto& bench : m_benches) all.push_back(bench.get());
    return merge_manifests(all, path);
}

std::vector<std::string> SimRows::port_args() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < size(); ++i) {
        out.push_back("--port");
        out.push_back(port(i));
    }
    return out;
}

std::string credentials_for(const AlmsStandin& standin, const std::string& dir) {
    const std::string path = dir + "/credentials.toml";
    write_credentials_file(path, standin.base_url("na"), standin.base_url("eu"));
    return path;
}

std::vector<std::vector<std::string>> query(const std::string& db, const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    sqlite3* handle = nullptr;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(handle);
        return rows;
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            auto& row = rows.emplace_back();
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                const auto* text = sqlite3_column_text(stmt, c);
                row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
            }
        }
    } else {
        rows.push_back({"query failed: " + std::string(sqlite3_errmsg(handle))});
    }
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return rows;
}

std::map<std::string, int> count_by(const std::string& db, const std::string& sql) {
    std::map<std::string, int> out;
    for (const auto& row : query(db, sql)) {
        if (row.size() == 2) out[row[0]] = std::stoi(row[1]);
    }
    return out;
}

std::optional<std::string> db_check(const std::string& db) {
    const auto r = run_process({station_binary(), "db", "check", "--db", db}, k_run_bound);
    if (r.exit_code == 0) return std::nullopt;
    return "db check exit " + std::to_string(r.exit_code) + ": " + r.out + r.err;
}

int exit_for(const std::vector<Cell>& cells) {
    int worst = 0;
    for (const auto& cell : cells) {
        if (cell.outcome.starts_with("ERROR")) worst = std::max(worst, 2);
        if (cell.outcome.starts_with("FAIL")) worst = std::max(worst, 1);
    }
    return worst;
}

std::string outcome_text(const nlohmann::json& outcome, const nlohmann::json& reason) {
    std::string text = outcome.is_string() ? outcome.get<std::string>() : "?";
    if (reason.is_string()) text += "/" + reason.get<std::string>();
    return text;
}

long ms_since(std::chrono::steady_clock::time_point start) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - start)
                                 .count());
}

void check_bounds(Column& column) {
    for (auto& cell : column.cells) {
        if (cell.outcome.empty()) cell.problems.push_back("lost: no result for the unit");
        if (cell.ms > k_cell_bound.count())
            cell.problems.push_back("over the deadline: " + std::to_string(cell.ms) + " ms");
    }
}

std::string table(const std::vector<FaultRow>& rows, const std::vector<Column>& columns) {
    std::vector<std::size_t> widths{8};
    for (const auto& row : rows) widths[0] = std::max(widths[0], row.fault.size());
    const auto text = [](const Cell& c) { return c.outcome + " " + std::to_string(c.ms); };
    for (const auto& column : columns) {
        std::size_t w = column.name.size();
        for (const auto& cell : column.cells) w = std::max(w, text(cell).size());
        widths.push_back(w);
    }
    std::ostringstream out;
    out << std::left << std::setw(static_cast<int>(widths[0])) << "fault";
    for (std::size_t c = 0; c < columns.size(); ++c)
        out << " | " << std::setw(static_cast<int>(widths[c + 1])) << columns[c].name;
    out << "\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        out << std::setw(static_cast<int>(widths[0]))
            << (rows[r].fault.empty() ? "none" : rows[r].fault);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const auto& cells = columns[c].cells;
            out << " | " << std::setw(static_cast<int>(widths[c + 1]))
                << (r < cells.size() ? text(cells[r]) : "-");
        }
        out << "\n";
    }
    return out.str();
}

}  // namespace tests::matrix
