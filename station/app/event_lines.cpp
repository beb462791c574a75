// Events as lines for pipes, CI and other tools: plain text or one JSON object each. A line is
// built first and written whole under the sink's mutex, so lines from slot threads never mix.
#include <nlohmann/json.hpp>

#include <station/app/pallet_view.hpp>
#include <station/app/view_text.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/report/json_fields.hpp>
#include <station/workflows/retest.hpp>

namespace station::app {
namespace {

using Json = nlohmann::json;
using workflows::Event;
using workflows::EventKind;

constexpr std::size_t k_max_fsn = 64;
constexpr std::size_t k_max_label = 64;

// Only these events say how long something took.
bool carries_elapsed(EventKind kind) {
    return kind == EventKind::step_finished || kind == EventKind::unit_finished ||
           kind == EventKind::run_finished;
}

std::string plain_line(const Event& e) {
    using core::sanitize_for_display;
    std::string line = core::iso_utc(e.at, false) + " ";
    line += e.slot.empty() ? "-" : sanitize_for_display(e.slot, k_max_label);
    line += " " + std::string(to_string(e.kind));
    if (!e.step.empty()) line += " " + sanitize_for_display(e.step, k_max_label);
    if (e.outcome) line += " " + std::string(to_string(*e.outcome));
    if (e.reason) line += " " + std::string(to_string(*e.reason));
    if (!e.fsn.empty()) line += " fsn=" + sanitize_for_display(e.fsn, k_max_fsn);
    if (e.attempt > 1) line += " attempt=" + std::to_string(e.attempt);
    if (e.data_center) line += " dc=" + std::string(to_string(*e.data_center));
    if (carries_elapsed(e.kind)) line += " elapsed=" + view::format_elapsed(e.elapsed);
    if (!e.message.empty()) line += " " + sanitize_for_display(e.message);
    return line + "\n";
}

Json text_or_null(const std::string& text, std::size_t max) {
    return text.empty() ? Json(nullptr) : Json(core::sanitize_for_display(text, max));
}

template <typename T>
Json name_or_null(const std::optional<T>& value) {
    return value ? Json(std::string(to_string(*value))) : Json(nullptr);
}

Json event_json(const Event& e, std::int64_t run) {
    return Json{
        {"kind", std::string(to_string(e.kind))},
        {"run", run > 0 ? Json(run) : Json(nullptr)},
        {"at", core::iso_utc(e.at, true)},
        {"slot", text_or_null(e.slot, k_max_label)},
        {"step", text_or_null(e.step, k_max_label)},
        {"fsn", text_or_null(e.fsn, k_max_fsn)},
        {"attempt", e.attempt > 0 ? Json(e.attempt) : Json(nullptr)},
        {"outcome", name_or_null(e.outcome)},
        {"reason", name_or_null(e.reason)},
        {"data_center", name_or_null(e.data_center)},
        {"message", text_or_null(e.message, 512)},
        {"elapsed_ms", carries_elapsed(e.kind) ? Json(e.elapsed.count()) : Json(nullptr)},
    };
}

std::string dump_line(const Json& out) {
    // Sanitised strings are valid UTF-8; replace stays as a guard against ever throwing.
    return out.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

Json slot_names(const std::vector<std::string>& slots) {
    Json out = Json::array();
    for (const auto& slot : slots) out.push_back(core::sanitize_for_display(slot, k_max_label));
    return out;
}

// The run's summary on its run_finished line: what `render_summary` shows, for tools.
void add_summary(Json& out, const workflows::RunSummary& s) {
    const UnitCounts counts = count_units(s);
    Json pull = Json::array();
    for (const auto* u : units_to_pull(s)) {
        pull.push_back({{"slot", text_or_null(u->slot, k_max_label)},
                        {"fsn", text_or_null(u->fsn, k_max_fsn)},
                        {"outcome", std::string(to_string(u->outcome))},
                        {"reason", name_or_null(u->reason)},
                        {"message", text_or_null(u->message, 512)}});
    }
    out["units"] = s.units.size();
    out["counts"] = {{"pass", counts.of(core::Outcome::pass)},
                     {"fail", counts.of(core::Outcome::fail)},
                     {"error", counts.of(core::Outcome::error)},
                     {"aborted", counts.of(core::Outcome::aborted)}};
    out["pass_by_data_center"] =
        counts.pass_by_data_center.empty() ? Json::object() : Json(counts.pass_by_data_center);
    out["units_to_pull"] = std::move(pull);
    out["empty_slots"] = slot_names(s.empty_slots);
    out["skipped_slots"] = slot_names(s.skipped_slots);
    out["quarantined_slots"] = slot_names(s.quarantined_slots);
    out["stopped"] = s.stopped;
    Json missing = Json::array();
    for (const auto& line : s.missing_from_pallet) {
        missing.push_back({{"line", line.line},
                           {"serial", core::sanitize_for_display(line.serial, k_max_fsn)},
                           {"imei", core::sanitize_for_display(line.imei, 32)},
                           {"part_number", core::sanitize_for_display(line.part_number, 32)}});
    }
    out["missing_from_pallet"] = std::move(missing);
    out["manifest_incomplete"] = s.manifest_incomplete;
    out["no_manifest"] = s.no_manifest;
}

// unit_finished: the SKU decision's profile, basis and every vote.
void add_decision(Json& out, const Event& e) {
    out["profile"] = text_or_null(e.profile, k_max_label);
    out["sku_basis"] = name_or_null(e.sku_basis);
    Json signals = Json::array();
    for (const auto& v : e.signals) {
        signals.push_back(report::signal_json(v.source, core::sanitize_for_display(v.value, 128),
                                              v.vote, core::sanitize_for_display(v.basis, 512)));
    }
    out["signals"] = std::move(signals);
    if (!e.findings) return;  // a retest's unit: every finding and the action to take
    Json findings = Json::array();
    for (const auto& f : *e.findings) {
        findings.push_back({{"kind", std::string(to_string(f.kind))},
                            {"before", core::sanitize_for_display(f.before, 128)},
                            {"now", core::sanitize_for_display(f.now, 128)},
                            {"seen", core::sanitize_for_display(f.seen, 256)}});
    }
    out["findings"] = std::move(findings);
    const auto action =
        workflows::retest_action(e.outcome.value_or(core::Outcome::error), *e.findings);
    out["action"] = action.empty() ? Json(nullptr) : Json(action);
}

}  // namespace

void PlainEvents::on_event(const Event& event) {
    const std::string line = plain_line(event);
    std::lock_guard lock(m_mutex);
    m_out << line << std::flush;
}

JsonEvents::~JsonEvents() {
    std::lock_guard lock(m_mutex);
    if (m_finished) m_out << dump_line(event_json(*m_finished, m_run)) << std::flush;
}

void JsonEvents::on_event(const Event& event) {
    std::lock_guard lock(m_mutex);
    if (event.run > 0) m_run = event.run;
    if (event.kind == EventKind::run_finished) {
        m_finished = event;  // written last, by finish() or the destructor
        return;
    }
    Json out = event_json(event, m_run);
    if (event.kind == EventKind::unit_finished) add_decision(out, event);
    m_out << dump_line(out) << std::flush;
}

void JsonEvents::finish(const workflows::RunSummary& summary) {
    std::lock_guard lock(m_mutex);
    if (!m_finished) return;
    Json out = event_json(*m_finished, m_run);
    add_summary(out, summary);
    m_out << dump_line(out) << std::flush;
    m_finished.reset();
}

}  // namespace station::app
