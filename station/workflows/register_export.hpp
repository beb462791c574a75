// The bulk file for a manual ALMS upload, from outbox rows: CSV with configurable columns
// (alms::mapping's column table) or JSON. Cells are written by the one CSV writer (core/csv.hpp:
// sanitised, quoted when needed, a formula start prefixed with ') and capped at 256 bytes.
#pragma once

#include <string>
#include <vector>

#include <station/core/result.hpp>
#include <station/store/records.hpp>

namespace station::workflows {

enum class ExportFormat { alms_csv, json };

// Checks column names against the mapping's table; fails naming the first unknown one and
// listing the known ones.
core::Result<std::vector<std::string>> parse_export_columns(const std::string& comma_list);

// The bound of one cell of the bulk file, in bytes.
constexpr std::size_t k_export_max_cell = 256;

// The whole file. `company` fills the COMPANY column (reseller target company).
std::string export_rows(const std::vector<store::OutboxRow>& rows,
                        const std::vector<std::string>& columns, ExportFormat format,
                        const std::string& company);

}  // namespace station::workflows
