// CSV as warehouse systems export it (RFC 4180): a header row names the columns; fields may
// be double-quoted, a quoted field may hold the separator, "" (one quote) and line breaks.
// A malformed line is reported and skipped, so one stray quote does not hide other mistakes.
#include <algorithm>
#include <array>

#include <station/config/manifest_rows.hpp>
#include <station/core/text.hpp>

namespace station::config::manifest_rows {
namespace {

// One record: usually one line of the file, more when a quoted field holds line breaks.
struct CsvRecord {
    std::uint32_t line = 0;  // where it starts
    std::vector<std::string> fields;
    std::string error;  // non-empty: malformed, skip it

    bool blank() const {
        return std::all_of(fields.begin(), fields.end(),
                           [](const std::string& f) { return core::trim_blanks(f).empty(); });
    }
};

enum class Step { more, end, malformed };

class CsvReader {
  public:
    CsvReader(std::string_view text, char separator)
        : m_text(text), m_separator(separator), m_plain_stops{separator, '"', '\n', '\r'} {}

    // The next record; false at the end of the text.
    bool next(CsvRecord& record);

  private:
    void take_run(std::string& field);
    Step plain(char c, CsvRecord& record);
    Step quoted(char c, CsvRecord& record);
    char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
    bool too_long(CsvRecord& record);  // reports it and skips the rest of the line
    void skip_line();

    std::string_view m_text;
    char m_separator;
    std::array<char, 4> m_plain_stops;  // what ends a run of plain field text
    std::size_t m_pos = 0;
    std::uint32_t m_line = 1;
    std::size_t m_bytes = 0;  // of the current record, line ends not counted
    bool m_quoted = false;    // inside a quoted field
    bool m_closed = false;    // after a quoted field's closing quote
};

bool CsvReader::next(CsvRecord& record) {
    if (m_pos >= m_text.size()) return false;
    record.line = m_line;
    record.fields.clear();  // keeps its buffer from record to record
    record.fields.emplace_back();
    record.error.clear();
    m_quoted = m_closed = false;
    m_bytes = 0;
    while (m_pos < m_text.size()) {
        if (!m_closed) take_run(record.fields.back());
        if (m_bytes > k_max_line_bytes) return too_long(record);
        if (m_pos >= m_text.size()) break;
        const char c = m_text[m_pos++];
        if (c != '\n' && c != '\r' && ++m_bytes > k_max_line_bytes) return too_long(record);
        const Step step = m_quoted ? quoted(c, record) : plain(c, record);
        if (step == Step::end) break;
        if (step == Step::malformed) {
            skip_line();
            return true;
        }
    }
    if (m_quoted) record.error = "a quoted field is never closed";
    return true;
}

// Field text up to the next character that means something (at most past the line limit,
// so an endless line is not copied whole).
void CsvReader::take_run(std::string& field) {
    const std::string_view stops =
        m_quoted ? std::string_view("\"\n") : std::string_view(m_plain_stops.data(), 4);
    const std::size_t room = k_max_line_bytes + 1 - std::min(m_bytes, k_max_line_bytes);
    const std::size_t end =
        std::min({m_text.find_first_of(stops, m_pos), m_text.size(), m_pos + room});
    field.append(m_text.substr(m_pos, end - m_pos));
    m_bytes += end - m_pos;
    m_pos = end;
}

// One character outside quotes.
Step CsvReader::plain(char c, CsvRecord& record) {
    std::string& field = record.fields.back();
    if (c == '\n') {
        ++m_line;
        return Step::end;
    }
    if (c == '\r' && peek() == '\n') return Step::more;  // CRLF: the '\n' ends the record
    if (c == m_separator) {
        record.fields.emplace_back();
        m_closed = false;
        return Step::more;
    }
    if (m_closed && c != ' ' && c != '\t') {
        record.error = "text after the closing quote of a field";
        return Step::malformed;
    }
    if (c == '"' && !core::trim_blanks(field).empty()) {
        record.error = "a quote inside an unquoted field";
        return Step::malformed;
    }
    if (c == '"') {
        field.clear();
        m_quoted = true;
    } else if (!m_closed) {
        field += c;
    }
    return Step::more;
}

// One character inside quotes: "" is a quote, a lone " closes the field.
Step CsvReader::quoted(char c, CsvRecord& record) {
    if (c == '"' && peek() == '"') {
        ++m_pos;
        record.fields.back() += '"';
    } else if (c == '"') {
        m_quoted = false;
        m_closed = true;
    } else {
        if (c == '\n') ++m_line;
        record.fields.back() += c;
    }
    return Step::more;
}

bool CsvReader::too_long(CsvRecord& record) {
    record.error = "line longer than " + std::to_string(k_max_line_bytes) + " bytes";
    skip_line();
    return true;
}

void CsvReader::skip_line() {
    const std::size_t end = m_text.find('\n', m_pos);
    m_pos = end == std::string_view::npos ? m_text.size() : end + 1;
    ++m_line;
}

// The first record that is not blank: the header.
bool read_header(CsvReader& reader, CsvRecord& header) {
    while (reader.next(header)) {
        if (!header.error.empty() || !header.blank()) return true;
    }
    return false;
}

std::size_t known_names(const CsvRecord& header) {
    return static_cast<std::size_t>(
        std::count_if(header.fields.begin(), header.fields.end(),
                      [](const std::string& name) { return field_named(name).has_value(); }));
}

// ',' unless the header names more known columns when split at ';'.
char separator_of(std::string_view text) {
    CsvRecord comma;
    CsvRecord semicolon;
    CsvReader by_comma(text, ',');
    CsvReader by_semicolon(text, ';');
    if (!read_header(by_comma, comma) || !read_header(by_semicolon, semicolon)) return ',';
    return known_names(semicolon) > known_names(comma) ? ';' : ',';
}

using Columns = std::vector<std::optional<Field>>;

// The field each column holds; empty when the header lacks a required column.
Columns columns_of(const CsvRecord& header, Problems& problems) {
    Columns columns;
    std::array<bool, k_field_count> seen{};
    for (const std::string& name : header.fields) {
        const auto field = field_named(name);
        const auto index = static_cast<std::size_t>(field.value_or(Field::serial));
        if (field && seen[index]) {
            problems.add(header.line,
                         "column '" + std::string(k_field_names[index]) + "' appears twice");
        }
        if (field) seen[index] = true;
        columns.push_back(field);
    }
    bool complete = true;
    for (const Field required : {Field::serial, Field::imei, Field::part_number}) {
        const auto index = static_cast<std::size_t>(required);
        if (seen[index]) continue;
        problems.add(header.line, "missing column '" + std::string(k_field_names[index]) + "'");
        complete = false;
    }
    if (!complete) columns.clear();
    return columns;
}

RawRow csv_row(CsvRecord& record, const Columns& columns) {
    RawRow row;
    row.line = record.line;
    const std::size_t count = std::min(record.fields.size(), columns.size());
    for (std::size_t i = 0; i < count; ++i) {
        if (columns[i])
            row.values[static_cast<std::size_t>(*columns[i])] = std::move(record.fields[i]);
    }
    return row;
}

}  // namespace

void read_csv_rows(std::string_view text, Problems& problems, const RowSink& sink) {
    CsvReader reader(text, separator_of(text));
    CsvRecord record;
    if (!read_header(reader, record)) return;
    if (!record.error.empty()) {
        problems.add(record.line, record.error);
        return;
    }
    const Columns columns = columns_of(record, problems);
    if (columns.empty()) return;
    while (reader.next(record)) {
        if (!record.error.empty()) {
            problems.add(record.line, record.error);
        } else if (!record.blank()) {
            sink(csv_row(record, columns));
        }
    }
}

}  // namespace station::config::manifest_rows
