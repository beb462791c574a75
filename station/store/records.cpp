#include <station/store/records.hpp>

#include <array>
#include <utility>

#include <station/core/sanitize.hpp>

namespace station::store {
namespace {

constexpr std::array k_modes{std::pair{RunMode::provision, std::string_view("provision")},
                             std::pair{RunMode::retest, std::string_view("retest")},
                             std::pair{RunMode::regress, std::string_view("regress")}};

constexpr std::array k_states{std::pair{OutboxState::pending, std::string_view("pending")},
                              std::pair{OutboxState::claimed, std::string_view("claimed")},
                              std::pair{OutboxState::registered, std::string_view("registered")},
                              std::pair{OutboxState::conflict, std::string_view("conflict")},
                              std::pair{OutboxState::failed, std::string_view("failed")},
                              std::pair{OutboxState::withdrawn, std::string_view("withdrawn")},
                              std::pair{OutboxState::in_doubt, std::string_view("in_doubt")}};

template <class Table, class Enum>
std::string_view name_in(const Table& table, Enum value) {
    for (const auto& [v, name] : table) {
        if (v == value) return name;
    }
    return "unknown";
}

template <class Enum, class Table>
std::optional<Enum> value_in(const Table& table, std::string_view text) {
    for (const auto& [v, name] : table) {
        if (name == text) return v;
    }
    return std::nullopt;
}

}  // namespace

std::int64_t to_ms(TimePoint time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

TimePoint from_ms(std::int64_t ms) {
    // A stored value is data (another station's row, a damaged file): one beyond what the
    // clock can hold (about +-292 years around 1970 in nanoseconds) is clamped to its end
    // instead of overflowing (UBSan found one: a lease of 99999999999999 ms).
    using Duration = TimePoint::duration;
    constexpr auto k_limit =
        std::chrono::duration_cast<std::chrono::milliseconds>(Duration::max()).count();
    if (ms >= k_limit) return TimePoint(Duration::max());
    if (ms <= -k_limit) return TimePoint(Duration::min());
    return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::milliseconds(ms)));
}

std::string_view to_string(RunMode mode) {
    return name_in(k_modes, mode);
}
std::optional<RunMode> run_mode_from_string(std::string_view text) {
    return value_in<RunMode>(k_modes, text);
}

std::string_view to_string(OutboxState state) {
    return name_in(k_states, state);
}
std::optional<OutboxState> outbox_state_from_string(std::string_view text) {
    return value_in<OutboxState>(k_states, text);
}

std::string_view to_string(OutboxAction action) {
    return action == OutboxAction::update ? "update" : "create";
}
std::optional<OutboxAction> outbox_action_from_string(std::string_view text) {
    if (text == "create") return OutboxAction::create;
    if (text == "update") return OutboxAction::update;
    return std::nullopt;
}

std::string_view to_string(UnitKey key) {
    switch (key) {
        case UnitKey::fsn:
            return "fsn";
        case UnitKey::imei:
            return "imei";
        case UnitKey::iccid:
            return "iccid";
    }
    return "fsn";
}

std::string describe_unit(std::string_view fsn, std::string_view slot, std::optional<RunId> run,
                          std::size_t fsn_max) {
    std::string out = "unit " + core::sanitize_for_display(fsn, fsn_max);
    if (slot.empty() && !run) return out;
    out += " (";
    if (!slot.empty()) out += "slot " + core::sanitize_for_display(slot, 64);
    if (!slot.empty() && run) out += ", ";
    if (run) out += "run " + std::to_string(run->value);
    return out + ")";
}

}  // namespace station::store
