// Single-value answers: AT+CGSN / AT+GSN (IMEI), AT+CIMI (IMSI), AT+CPIN? (SIM state).
//
// Each accepts exactly one distinct value. A line counts when it is the bare value (optionally
// quoted) or carries one of the command's own labels; every other labelled line ("IMEI SV:",
// "SVN:", "FSN:", "SN:", "Serial Number:", "MEID:", URCs) is ignored whatever digits it holds.
// Digit-count windows keep stray numbers out without judging the value: a 14- or 16-digit IMEI
// is still returned so the caller can reject it as imei_invalid rather than a protocol error.
#include <drivers/at/parsers.hpp>

#include <algorithm>
#include <array>

#include <drivers/at/parsers_text.hpp>

namespace drivers::at {
namespace {

using station::core::SimStatus;

// What one digit answer looks like.
struct DigitAnswer {
    std::string_view command;                  // for messages, and to tell URCs from answers
    std::string_view what;                     // "IMEI"
    std::span<const std::string_view> labels;  // folded labels that introduce the value
    std::size_t min_digits;
    std::size_t max_digits;
};

// IMEI is 15 digits; 14 (no check digit, as some modules print) to 17 (IMEISV with a stray
// digit) are still handed to the caller to judge. "imei" covers modules answering
// AT+CGSN with "IMEI: <digits>"; "imei sv" is a different label and never matches.
constexpr std::array<std::string_view, 3> k_cgsn_labels{"+cgsn", "+gsn", "imei"};
constexpr DigitAnswer k_cgsn{"AT+CGSN", "IMEI", k_cgsn_labels, 14, 17};

// IMSI: MCC + MNC + MSIN, at most 15 digits (3GPP 23.003); 6 is the shortest plausible.
constexpr std::array<std::string_view, 1> k_cimi_labels{"+cimi"};
constexpr DigitAnswer k_cimi{"AT+CIMI", "IMSI", k_cimi_labels, 6, 15};

std::optional<std::string> digit_value(std::string_view line, const DigitAnswer& answer) {
    std::string_view value = line;
    if (const auto labelled = detail::split_label(line)) {
        const auto& labels = answer.labels;
        if (std::find(labels.begin(), labels.end(), labelled->label) == labels.end()) {
            return std::nullopt;
        }
        value = labelled->value;
    }
    value = detail::unquote(value);
    if (!detail::all_digits(value) || value.size() < answer.min_digits ||
        value.size() > answer.max_digits) {
        return std::nullopt;
    }
    return std::string(value);
}

Result<std::string> parse_digit_answer(Lines lines, const DigitAnswer& answer) {
    detail::Candidates found;
    for (const std::string& raw : lines) {
        const auto line = detail::usable_line(raw, answer.command);
        if (!line) continue;
        if (auto value = digit_value(*line, answer)) found.add(std::move(*value), *line);
    }
    return found.single(answer.command, answer.what, lines);
}

constexpr std::string_view k_cpin_command = "AT+CPIN?";

// +CPIN states (27.007 8.3), folded. Not-inserted wordings differ by vendor: "NOT INSERTED"
// (Sierra EM7455), "NO SIM" and "SIM NOT INSERTED" on others.
struct CpinRow {
    std::string_view text;
    SimStatus status;
};
constexpr std::array k_cpin_states{
    CpinRow{"ready", SimStatus::ready},
    CpinRow{"sim pin", SimStatus::pin_required},
    CpinRow{"sim puk", SimStatus::puk_required},
    CpinRow{"not inserted", SimStatus::not_inserted},
    CpinRow{"sim not inserted", SimStatus::not_inserted},
    CpinRow{"no sim", SimStatus::not_inserted},
};

SimStatus sim_status_of(std::string_view state) {
    const std::string folded = detail::fold(state);
    for (const auto& row : k_cpin_states) {
        if (row.text == folded) return row.status;
    }
    return SimStatus::other;
}

}  // namespace

Result<std::string> parse_cgsn_response(Lines lines) {
    return parse_digit_answer(lines, k_cgsn);
}

Result<std::string> parse_cimi_response(Lines lines) {
    return parse_digit_answer(lines, k_cimi);
}

Result<CpinState> parse_cpin_read_response(Lines lines) {
    detail::Candidates found;
    for (const std::string& raw : lines) {
        const auto line = detail::usable_line(raw, k_cpin_command);
        if (!line) continue;
        const auto labelled = detail::split_label(*line);
        if (!labelled || labelled->label != "+cpin") continue;
        const std::string_view state = detail::unquote(labelled->value);
        if (!state.empty()) found.add(std::string(state), *line);
    }
    auto state = found.single(k_cpin_command, "PIN state", lines);
    if (!state) return tl::unexpected(state.error());
    return CpinState{sim_status_of(*state), std::move(*state)};
}

}  // namespace drivers::at
