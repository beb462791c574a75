#include <station/workflows/register_export.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <station/alms/mapping.hpp>
#include <station/core/csv.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>
#include <station/workflows/register_push.hpp>

namespace station::workflows {

core::Result<std::vector<std::string>> parse_export_columns(const std::string& comma_list) {
    std::vector<std::string> columns;
    std::size_t start = 0;
    while (start <= comma_list.size()) {
        const auto comma = comma_list.find(',', start);
        const std::string name(core::trim_blanks(std::string_view(comma_list).substr(
            start, comma == std::string::npos ? std::string::npos : comma - start)));
        const auto& known = alms::mapping::export_column_names();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            return core::fail(core::Reason::bad_usage, "unknown export column '" +
                                                           core::sanitize_for_display(name, 40) +
                                                           "' (known: " + core::join(known) + ")");
        }
        columns.push_back(name);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return columns;
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
            item["action"] = std::string(store::to_string(row.registration.action));
            item["alms_uid"] = row.remote_id;  // the system ALMS created or found; "" before
            out.push_back(std::move(item));
        }
        return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    core::CsvRecord header(k_export_max_cell);
    for (const auto& column : columns) header.add(column);
    std::string text = header.line();
    for (const auto& row : rows) {
        const auto request = registration_request(row);
        core::CsvRecord line(k_export_max_cell);
        for (const auto& column : columns) {
            line.add(alms::mapping::export_value(column, request, company).value_or(""));
        }
        text += line.line();
    }
    return text;
}

}  // namespace station::workflows
