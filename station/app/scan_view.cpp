#include <station/app/scan_view.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <station/core/sanitize.hpp>
#include <station/core/utf8.hpp>
#include <station/report/json_fields.hpp>

namespace station::app {
namespace {

using Json = nlohmann::json;
using station::core::sanitize_for_display;
using station::report::identity_json;
using station::report::nullable;

Json usb_json(const drivers::usb::UsbDevice& device) {
    Json ttys = Json::array();
    for (const auto& tty : device.ttys) {
        ttys.push_back({{"interface", tty.interface_number}, {"path", tty.path}});
    }
    return {{"vid_pid", drivers::usb::vid_pid(device.vendor_id, device.product_id)},
            {"serial", nullable(device.serial)},
            {"manufacturer", nullable(device.manufacturer)},
            {"product", nullable(device.product)},
            {"ttys", ttys}};
}

Json identify_json(const drivers::router::IdentifyReport& report) {
    const auto& verdict = report.verdict;
    return {{"identity", identity_json(report.identity)},
            {"verdict",
             {{"outcome", std::string(to_string(verdict.outcome))},
              {"reason",
               verdict.reason ? Json(std::string(to_string(*verdict.reason))) : Json(nullptr)},
              {"message", verdict.message}}}};
}

Json row_json(const ScanRow& row) {
    Json out{{"slot", nullable(row.slot)},
             {"port_chain", nullable(row.port_chain)},
             {"usb", row.device ? usb_json(*row.device) : Json(nullptr)},
             {"at_port", nullable(row.at_port)},
             {"at_interface", row.at_interface ? Json(*row.at_interface) : Json(nullptr)},
             {"state", std::string(to_string(row.state))},
             {"problem", row.problem ? Json{{"reason", std::string(to_string(row.problem->reason))},
                                            {"message", row.problem->message}}
                                     : Json(nullptr)}};
    if (row.identify) out.update(identify_json(*row.identify));
    if (row.sku) out["sku"] = station::report::decision_json(*row.sku);
    return out;
}

// Left-aligned columns, two spaces apart; cells are already sanitised.
std::string table(const std::vector<std::vector<std::string>>& cells) {
    std::vector<std::size_t> width;
    for (const auto& line : cells) {
        width.resize(std::max(width.size(), line.size()));
        for (std::size_t i = 0; i < line.size(); ++i) {
            width[i] = std::max(width[i], core::display_width(line[i]));
        }
    }
    std::string out;
    for (const auto& line : cells) {
        std::string text;
        for (std::size_t i = 0; i < line.size(); ++i) {
            text += line[i];
            if (i + 1 < line.size())
                text += std::string(width[i] - core::display_width(line[i]) + 2, ' ');
        }
        out += text + "\n";
    }
    return out;
}

std::string cell(const std::string& value, std::size_t max = 40) {
    return value.empty() ? "-" : sanitize_for_display(value, max);
}

// "xr90-na -> na (manifest)" for a decided unit, "-" otherwise.
std::string sku_cell(const ScanRow& row) {
    if (!row.sku || core::decided_profile(*row.sku).empty()) return "-";
    std::string text = cell(core::decided_profile(*row.sku));
    if (row.sku->data_center) text += " -> " + std::string(to_string(*row.sku->data_center));
    if (row.sku->basis) text += " (" + std::string(to_string(*row.sku->basis)) + ")";
    return text;
}

std::vector<std::string> row_cells(const ScanRow& row, bool identify, bool sku) {
    std::vector<std::string> cells{
        cell(row.slot), cell(row.port_chain),
        row.device ? drivers::usb::vid_pid(row.device->vendor_id, row.device->product_id) : "-",
        cell(row.at_port, 60), std::string(to_string(row.state))};
    if (!identify) return cells;
    if (!row.identify) {
        cells.insert(cells.end(), {"-", "-", "-", "-", "-"});
        if (sku) cells.push_back("-");
        return cells;
    }
    const auto& id = row.identify->identity;
    const auto& verdict = row.identify->verdict;
    std::string result(to_string(verdict.outcome));
    if (verdict.reason) result += " " + std::string(to_string(*verdict.reason));
    cells.insert(cells.end(),
                 {cell(id.model), cell(id.fsn), cell(id.imei), cell(id.iccid), result});
    if (sku) cells.insert(cells.end() - 1, sku_cell(row));
    return cells;
}

}  // namespace

std::string render_scan_text(const ScanView& view) {
    std::vector<std::vector<std::string>> cells;
    cells.push_back({"SLOT", "PORT CHAIN", "USB", "AT PORT", "STATE"});
    if (view.identify) {
        cells.back().insert(cells.back().end(), {"MODEL", "FSN", "IMEI", "ICCID", "RESULT"});
        if (view.sku) cells.back().insert(cells.back().end() - 1, "SKU -> DC");
    }
    for (const auto& row : view.rows) cells.push_back(row_cells(row, view.identify, view.sku));
    std::string out = table(cells);
    // Messages were composed by the station from sanitised parts.
    for (const auto& row : view.rows) {
        const std::string who = row.slot.empty() ? row.port_chain : row.slot;
        if (row.problem) out += who + ": " + row.problem->message + "\n";
        if (row.identify && row.identify->verdict.outcome != core::Outcome::pass) {
            out += who + ": " + row.identify->verdict.message + "\n";
        }
    }
    if (view.rows.empty()) out += "no devices found\n";
    return out;
}

std::string render_scan_json(const ScanView& view) {
    Json rows = Json::array();
    for (const auto& row : view.rows) rows.push_back(row_json(row));
    const Json out{{"rig", nullable(view.rig)}, {"slots", rows}, {"warnings", view.warnings}};
    // Device bytes may be invalid UTF-8: replace, never throw.
    return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace station::app
