// The one CSV writer (RFC 4180 records ended by CRLF), for the results report and the ALMS bulk
// export. Spreadsheets run cells that start with = + - @ (and tab or CR, which some strip
// first) as formulas: such a cell gets a leading ' so a hostile device string stays text.
// Every cell is sanitised first (no control bytes, invalid UTF-8 escaped) and capped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace station::core {

// The default bound of one cell, in bytes (a longer value is cut and ends with "...").
constexpr std::size_t k_csv_max_cell = 4096;

// One cell: sanitised and cut to `max_cell` bytes, a formula start neutralised with a ', quoted
// when it holds a comma, quote, CR or LF (quotes doubled).
std::string csv_cell(std::string_view raw, std::size_t max_cell = k_csv_max_cell);

// One record being built: cells joined by commas (an empty first cell included).
class CsvRecord {
  public:
    explicit CsvRecord(std::size_t max_cell = k_csv_max_cell) : m_max_cell(max_cell) {}

    // Appends one cell, written as csv_cell() writes it.
    CsvRecord& add(std::string_view raw);
    // The record with its CRLF.
    std::string line() const { return m_text + "\r\n"; }

  private:
    std::size_t m_max_cell;
    std::string m_text;
    std::size_t m_cells = 0;
};

}  // namespace station::core
