#include <station/core/csv.hpp>

#include <station/core/sanitize.hpp>

namespace station::core {
namespace {

// Starts a spreadsheet reads as a formula (tab and CR: some strip them first).
constexpr std::string_view k_formula_starts = "=+-@\t\r";

}  // namespace

std::string csv_cell(std::string_view raw, std::size_t max_cell) {
    std::string text = sanitize_for_display(raw, max_cell);
    if (!text.empty() && k_formula_starts.find(text.front()) != std::string_view::npos) {
        text.insert(text.begin(), '\'');
    }
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

CsvRecord& CsvRecord::add(std::string_view raw) {
    if (m_cells++ != 0) m_text += ',';
    m_text += csv_cell(raw, m_max_cell);
    return *this;
}

}  // namespace station::core
