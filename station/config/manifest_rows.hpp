// The manifest reader's inner parts (station_config only): the two formats each turn text into
// raw rows of the six known fields, which manifest_file.cpp then validates. Problems collects
// every "<source>:<line>: <what>" so a warehouse clerk sees all mistakes of a file at once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/result.hpp>

namespace station::config::manifest_rows {

// The columns (CSV) / keys (JSON lines) the station reads; every other one is ignored.
enum class Field : std::uint8_t { serial, imei, part_number, iccid, po, company };
constexpr std::size_t k_field_count = 6;
constexpr std::array<std::string_view, k_field_count> k_field_names{"serial", "imei", "part_number",
                                                                    "iccid",  "po",   "company"};

constexpr std::size_t k_max_file_bytes = std::size_t{256} << 20U;  // 256 MiB
constexpr std::size_t k_max_line_bytes = 4096;
constexpr std::size_t k_max_field_bytes = 256;
constexpr std::size_t k_max_listed = 50;  // error lines shown; the rest are counted

// The field a column or key name stands for (trimmed, any letter case); nullopt when unknown.
std::optional<Field> field_named(std::string_view name);

// One data line as read: its values untrimmed, "" where the column or key is absent.
struct RawRow {
    std::uint32_t line = 0;
    std::array<std::string, k_field_count> values;

    const std::string& operator[](Field field) const {
        return values[static_cast<std::size_t>(field)];
    }
};

// Every mistake found in one file, in the order found.
class Problems {
  public:
    explicit Problems(std::string_view source) : m_source(source) {}

    void add(std::uint32_t line, const std::string& what);  // "<source>:<line>: <what>"
    void add_file(const std::string& what);                 // "<source>: <what>"
    bool any() const { return m_total > 0; }
    // Reason::bad_usage; one line per mistake, the first k_max_listed, then "... and N more".
    core::Error error() const;

  private:
    void list(std::string message);

    std::string m_source;
    std::vector<std::string> m_listed;
    std::size_t m_total = 0;
};

// Takes each row as it is read, so mistakes are reported in the order of the file.
using RowSink = std::function<void(RawRow&& row)>;

// CSV with a header row (RFC 4180 quoting, ',' or ';' as the header shows, BOM already
// removed). Blank lines and lines of only separators are skipped; malformed lines are
// reported and skipped. A header without a required column yields no rows.
void read_csv_rows(std::string_view text, Problems& problems, const RowSink& sink);

// One JSON object per line; blank lines skipped; string (or null) values only.
void read_json_rows(std::string_view text, Problems& problems, const RowSink& sink);

}  // namespace station::config::manifest_rows
