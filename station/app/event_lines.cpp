// Events as lines for pipes, CI and other tools: plain text or one JSON object each. A line is
// built first and written whole under the sink's mutex, so lines from slot threads never mix.
#include <nlohmann/json.hpp>

#include <station/app/pallet_view.hpp>
#include <station/app/view_text.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>

namespace station::app {
namespace {

using nlohmann::json;
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

json text_or_null(const std::string& text, std::size_t max) {
    return text.empty() ? json(nullptr) : json(core::sanitize_for_display(text, max));
}

template <typename T>
json name_or_null(const std::optional<T>& value) {
    return value ? json(std::string(to_string(*value))) : json(nullptr);
}

std::string json_line(const Event& e) {
    const json out{
        {"kind", std::string(to_string(e.kind))},
        {"at", core::iso_utc(e.at, true)},
        {"slot", text_or_null(e.slot, k_max_label)},
        {"step", text_or_null(e.step, k_max_label)},
        {"fsn", text_or_null(e.fsn, k_max_fsn)},
        {"attempt", e.attempt > 0 ? json(e.attempt) : json(nullptr)},
        {"outcome", name_or_null(e.outcome)},
        {"reason", name_or_null(e.reason)},
        {"data_center", name_or_null(e.data_center)},
        {"message", text_or_null(e.message, 512)},
        {"elapsed_ms", carries_elapsed(e.kind) ? json(e.elapsed.count()) : json(nullptr)},
    };
    // Sanitised strings are ASCII; replace stays as a guard against ever throwing.
    return out.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

void PlainEvents::on_event(const Event& event) {
    const std::string line = plain_line(event);
    std::lock_guard lock(m_mutex);
    m_out << line << std::flush;
}

void JsonEvents::on_event(const Event& event) {
    const std::string line = json_line(event);
    std::lock_guard lock(m_mutex);
    m_out << line << std::flush;
}

}  // namespace station::app
