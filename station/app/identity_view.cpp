#include <station/app/identity_view.hpp>

#include <nlohmann/json.hpp>

#include <station/core/sanitize.hpp>

namespace station::app {
namespace {

using nlohmann::json;
using station::core::sanitize_for_display;

json nullable(const std::string& value) { return value.empty() ? json(nullptr) : json(value); }

json transcript_json(const drivers::at::Transcript& transcript) {
    json entries = json::array();
    for (const auto& entry : transcript.entries()) {
        const char* dir = entry.direction == drivers::at::Direction::tx   ? "tx"
                          : entry.direction == drivers::at::Direction::rx ? "rx"
                                                                          : "note";
        entries.push_back({{"t", std::chrono::duration<double>(entry.offset).count()},
                           {"dir", dir},
                           {"data", entry.bytes}});
    }
    return entries;
}

}  // namespace

std::string render_json(const IdentifyView& view) {
    const auto& id = view.report.identity;
    const auto& verdict = view.report.verdict;
    json steps = json::array();
    for (const auto& step : view.report.steps) {
        steps.push_back({{"command", step.command}, {"result", step.result}, {"note", step.note}});
    }
    json out{
        {"port", view.port},
        {"backend", nullable(view.backend)},
        {"manufacturer", nullable(id.manufacturer)},
        {"model", nullable(id.model)},
        {"firmware", nullable(id.firmware)},
        {"fsn", nullable(id.fsn)},
        {"imei", nullable(id.imei)},
        {"imsi", nullable(id.imsi)},
        {"iccid", nullable(id.iccid)},
        {"iccid_command", nullable(id.iccid_command)},
        {"sim_status", std::string(to_string(id.sim_status))},
        {"carrier_images", id.carrier_images},
        {"outcome", std::string(to_string(verdict.outcome))},
        {"reason", verdict.reason ? json(std::string(to_string(*verdict.reason))) : json(nullptr)},
        {"message", verdict.message},
        {"steps", steps},
    };
    if (view.transcript != nullptr) out["transcript"] = transcript_json(*view.transcript);
    // Device bytes may be invalid UTF-8: replace, never throw.
    return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string render_text(const IdentifyView& view) {
    const auto& id = view.report.identity;
    const auto& verdict = view.report.verdict;
    std::string out;
    const auto row = [&out](std::string_view label, const std::string& value) {
        out += std::string(label);
        out += std::string(16 - label.size(), ' ');
        out += value.empty() ? "-" : sanitize_for_display(value, 200);
        out += '\n';
    };
    row("port", view.port + (view.backend.empty() ? "" : " (" + view.backend + ")"));
    row("manufacturer", id.manufacturer);
    row("model", id.model);
    row("firmware", id.firmware);
    row("fsn", id.fsn);
    row("imei", id.imei);
    row("imsi", id.imsi);
    row("iccid", id.iccid + (id.iccid_command.empty() ? "" : "  (" + id.iccid_command + ")"));
    row("sim", std::string(to_string(id.sim_status)));
    std::string images;
    for (const auto& image : id.carrier_images) images += (images.empty() ? "" : ", ") + image;
    row("carrier images", images);
    std::string result(to_string(verdict.outcome));
    if (verdict.reason) result += " " + std::string(to_string(*verdict.reason));
    row("outcome", result);
    // The message was composed by the station from sanitised parts.
    out += "message         " + verdict.message + "\n";
    if (view.transcript != nullptr) out += "\ntranscript:\n" + view.transcript->render();
    return out;
}

}  // namespace station::app
