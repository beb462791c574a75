#include <station/app/identity_view.hpp>

#include <functional>

#include <nlohmann/json.hpp>

#include <station/core/sanitize.hpp>
#include <station/core/utf8.hpp>
#include <station/report/json_fields.hpp>
#include <station/core/text.hpp>

namespace station::app {
namespace {

using Json = nlohmann::json;
using station::core::sanitize_for_display;
using station::report::identity_json;
using station::report::nullable;

Json transcript_json(const drivers::at::Transcript& transcript) {
    Json entries = Json::array();
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

void add_sku_json(const SkuView& sku, Json& out) {
    const core::SkuDecision* d = sku.decision;
    // Without a decision (identify failed) every member is there, null or empty.
    out.update(station::report::decision_json(d ? *d : core::SkuDecision{}));
    for (auto& vote : out["signals"]) vote["signal"] = vote["source"];  // its older name
    out["plan"] = sku.plan;
    out["expected_profile"] = nullable(sku.expected);
    out["data_center_url"] = d && d->data_center
                                 ? Json(std::string(core::default_base_url(*d->data_center)))
                                 : Json(nullptr);
}

void add_sku_text(const SkuView& sku, std::string& out,
                  const std::function<void(std::string_view, const std::string&)>& row) {
    const core::SkuDecision* d = sku.decision;
    const std::string decided = d ? core::decided_profile(*d) : std::string();
    row("profile", (decided.empty() ? "undecided" : decided) +
                       (sku.expected.empty() ? "" : "  (pallet: " + sku.expected + ")"));
    row("plan", sku.plan);
    if (!d) return;
    row("family", d->family);
    row("decided by", d->basis ? std::string(to_string(*d->basis)) : "");
    row("region", d->region ? std::string(core::display_name(*d->region)) : "");
    row("data center", d->data_center
                           ? std::string(to_string(*d->data_center)) + " (" +
                                 std::string(core::default_base_url(*d->data_center)) + ")"
                           : "");
    out += "signals\n";
    for (const auto& s : d->signals) {
        std::string line = "  " + s.source;
        line.resize(16, ' ');
        std::string value = sanitize_for_display(s.value, 40);
        const std::size_t shown = core::display_width(value);
        value += std::string(shown < 22 ? 22 - shown : 1, ' ');
        std::string vote = s.vote ? std::string(core::display_name(*s.vote)) : "-";
        vote.resize(8, ' ');
        // basis was composed by the station from sanitised parts
        out += line + value + vote + s.basis + "\n";
    }
}

}  // namespace

std::string render_json(const IdentifyView& view) {
    const auto& verdict = view.report.verdict;
    Json steps = Json::array();
    for (const auto& step : view.report.steps) {
        steps.push_back({{"command", step.command}, {"result", step.result}, {"note", step.note}});
    }
    Json out{
        {"port", view.port},
        {"backend", nullable(view.backend)},
        {"outcome", std::string(to_string(verdict.outcome))},
        {"reason", verdict.reason ? Json(std::string(to_string(*verdict.reason))) : Json(nullptr)},
        {"message", verdict.message},
        {"steps", steps},
    };
    out.update(identity_json(view.report.identity));
    if (view.sku) add_sku_json(*view.sku, out);
    if (view.transcript != nullptr) out["transcript"] = transcript_json(*view.transcript);
    // Device bytes may be invalid UTF-8: replace, never throw.
    return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
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
    row("carrier images", core::join(id.carrier_images));
    if (view.sku) add_sku_text(*view.sku, out, row);
    std::string result(to_string(verdict.outcome));
    if (verdict.reason) result += " " + std::string(to_string(*verdict.reason));
    row("outcome", result);
    // The message was composed by the station from sanitised parts.
    out += "message         " + verdict.message + "\n";
    if (view.transcript != nullptr) out += "\ntranscript:\n" + view.transcript->render();
    return out;
}

}  // namespace station::app
