// JSON lines: one object per line, the manifest's fields as string values. A number where a
// string belongs is refused rather than converted: a 20-digit ICCID does not fit a 64-bit
// integer, and an exporter that writes numbers may already have rounded one.
#include <nlohmann/json.hpp>

#include <station/config/manifest_rows.hpp>
#include <station/core/text.hpp>

namespace station::config::manifest_rows {
namespace {

std::string kind_of(const nlohmann::json& value) {
    if (value.is_number()) return "a number";
    if (value.is_boolean()) return "a boolean";
    if (value.is_array()) return "an array";
    return "an object";
}

// The row of one object; an error sentence instead when a value is not a string.
std::optional<std::string> fill_row(const nlohmann::json& object, RawRow& row) {
    std::array<bool, k_field_count> seen{};
    for (const auto& [key, value] : object.items()) {
        const auto field = field_named(key);
        if (!field) continue;
        const auto index = static_cast<std::size_t>(*field);
        const std::string name(k_field_names[index]);
        if (seen[index]) return "key '" + name + "' appears twice";
        seen[index] = true;
        if (value.is_null()) continue;
        if (!value.is_string()) return "'" + name + "' is " + kind_of(value) + ", not a string";
        row.values[index] = value.get<std::string>();
    }
    return std::nullopt;
}

// One non-blank line: its row, or nullopt after reporting what is wrong with it.
std::optional<RawRow> json_row(std::string_view line, std::uint32_t number, Problems& problems) {
    if (line.size() > k_max_line_bytes) {
        problems.add(number, "line longer than " + std::to_string(k_max_line_bytes) + " bytes");
        return std::nullopt;
    }
    nlohmann::json object;
    try {
        object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& error) {
        problems.add(number, "not valid JSON (at byte " + std::to_string(error.byte) + ")");
        return std::nullopt;
    } catch (const nlohmann::json::exception&) {  // out_of_range: a number beyond a double
        problems.add(number, "not valid JSON (a number out of range)");
        return std::nullopt;
    }
    if (!object.is_object()) {
        problems.add(number, "not a JSON object");
        return std::nullopt;
    }
    RawRow row;
    row.line = number;
    if (auto wrong = fill_row(object, row)) {
        problems.add(number, *wrong);
        return std::nullopt;
    }
    return row;
}

}  // namespace

void read_json_rows(std::string_view text, Problems& problems, const RowSink& sink) {
    std::uint32_t number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (core::trim_blanks(line).empty()) continue;
        if (auto row = json_row(line, number, problems)) sink(std::move(*row));
    }
}

}  // namespace station::config::manifest_rows
