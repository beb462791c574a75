#include <station/workflows/register_export.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <station/alms/mapping.hpp>
#include <station/core/sanitize.hpp>
#include <station/workflows/register_push.hpp>

namespace station::workflows {
namespace {

constexpr std::size_t k_max_cell = 256;

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

}  // namespace

core::Result<std::vector<std::string>> parse_export_columns(const std::string& comma_list) {
    std::vector<std::string> columns;
    std::size_t start = 0;
    while (start <= comma_list.size()) {
        const auto comma = comma_list.find(',', start);
        const std::string name = trim(comma_list.substr(
            start, comma == std::string::npos ? std::string::npos : comma - start));
        const auto& known = alms::mapping::export_column_names();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
            return core::fail(core::Reason::bad_usage, "unknown export column '" +
                                                           core::sanitize_for_display(name, 40) +
                                                           "' (known: " + list + ")");
        }
        columns.push_back(name);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return columns;
}

std::string csv_cell(const std::string& raw) {
    std::string text = core::sanitize_for_display(raw, k_max_cell);
    if (!text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos) {
        text.insert(text.begin(), '\'');
    }
    if (text.find_first_of(",\"") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string export_rows(const std::vector<store::OutboxRow>& rows,
                        const std::vector<std::string>& columns, ExportFormat format,
                        const std::string& company) {
    if (format == ExportFormat::json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& row : rows) {
            const auto request = registration_request(row);
            nlohmann::json item = nlohmann::json::object();
            for (const auto& column : columns) {
                item[column] = alms::mapping::export_value(column, request, company).value_or("");
            }
            item["outbox_state"] = std::string(store::to_string(row.state));
            item["alms_uid"] = row.remote_id;  // the system ALMS created or found; "" before
            out.push_back(std::move(item));
        }
        return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    std::string text;
    for (std::size_t i = 0; i < columns.size(); ++i)
        text += (i == 0 ? "" : ",") + csv_cell(columns[i]);
    text += "\r\n";
    for (const auto& row : rows) {
        const auto request = registration_request(row);
        for (std::size_t i = 0; i < columns.size(); ++i) {
            text +=
                (i == 0 ? "" : ",") +
                csv_cell(alms::mapping::export_value(columns[i], request, company).value_or(""));
        }
        text += "\r\n";
    }
    return text;
}

}  // namespace station::workflows
