// Helpers the fault matrix's columns share (fault_matrix.cpp): store queries, db check, the
// exit status a set of outcomes must give, JSON outcome text, bounds.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fault_matrix.hpp"

namespace tests::matrix {

// Rows of a read-only query on a database file, every column as text (NULL: "").
std::vector<std::vector<std::string>> query(const std::string& db, const std::string& sql);
// A two-column query (key, count) as a map.
std::map<std::string, int> count_by(const std::string& db, const std::string& sql);
// `station db check`: nullopt when clean, else what it said.
std::optional<std::string> db_check(const std::string& db);
// README's exit status for these outcomes: 2 any ERROR, 1 any FAIL, else 0.
int exit_for(const std::vector<Cell>& cells);
// "OUTCOME" or "OUTCOME/reason".
std::string outcome_text(const nlohmann::json& outcome, const nlohmann::json& reason);
long ms_since(std::chrono::steady_clock::time_point start);
// Every cell has a result within k_cell_bound.
void check_bounds(Column& column);
// The rig slot label of matrix row `row`: F00, F01, ...
inline std::string label(std::size_t row) {
    return "F" + std::string(row < 10 ? "0" : "") + std::to_string(row);
}

}  // namespace tests::matrix
