// ATI: the module's self-description, in two shapes.
//
// Sierra modules (EM7455 SWI9X30C_02.24.05.06, EM7565 SWI9X50C) label every line:
// "Manufacturer:", "Model:", "Revision:", then optionally "MEID:", "IMEI:", "IMEI SV:", "FSN:",
// "+GCAP:". Other vendors print bare lines, manufacturer / model / revision in that order, and
// Quectel (EC25, EC25EFAR06A06M4G) mixes both: "Quectel" / "EC25" / "Revision: EC25EFAR...".
// Labels are matched whole after folding, so "IMEI SV: 14" can never land in `imei` and
// "MEID:" never in anything but `meid`. Bare lines count only until the first known label:
// after that a bare line is noise, not a field.
#include <drivers/at/parsers.hpp>

#include <array>

#include <drivers/at/parsers_text.hpp>

namespace drivers::at {
namespace {

using station::core::fail;
using station::core::Reason;

constexpr std::string_view k_command = "ATI";

struct AtiField {
    std::string_view label;  // folded
    std::string AtiInfo::*field;
};
constexpr std::array k_ati_fields{
    AtiField{"manufacturer", &AtiInfo::manufacturer},
    AtiField{"model", &AtiInfo::model},
    AtiField{"revision", &AtiInfo::revision},
    AtiField{"imei", &AtiInfo::imei},
    AtiField{"imei sv", &AtiInfo::imei_sv},
    AtiField{"imeisv", &AtiInfo::imei_sv},
    AtiField{"meid", &AtiInfo::meid},
    AtiField{"fsn", &AtiInfo::fsn},
    AtiField{"+gcap", &AtiInfo::gcap},
};

// The unlabelled form, in the order the lines come.
constexpr std::array k_bare_order{&AtiInfo::manufacturer, &AtiInfo::model, &AtiInfo::revision};

const AtiField* find_field(std::string_view folded_label) {
    for (const auto& row : k_ati_fields) {
        if (row.label == folded_label) return &row;
    }
    return nullptr;
}

// A bare line names something only if it holds a letter or digit ("#$%&" is line noise).
bool has_alnum(std::string_view text) {
    for (const char c : text) {
        if (detail::is_letter(c) || (c >= '0' && c <= '9')) return true;
    }
    return false;
}

bool any_field_set(const AtiInfo& info) {
    for (const auto& row : k_ati_fields) {
        if (!(info.*row.field).empty()) return true;
    }
    return false;
}

}  // namespace

Result<AtiInfo> parse_ati_response(Lines lines) {
    AtiInfo info;
    std::vector<std::string> bare;  // unlabelled lines seen before the first known label
    bool labelled_seen = false;
    for (const std::string& raw : lines) {
        const auto line = detail::usable_line(raw, k_command);
        if (!line) continue;
        if (const auto labelled = detail::split_label(*line)) {
            if (const AtiField* row = find_field(labelled->label)) {
                labelled_seen = true;
                std::string& slot = info.*row->field;
                if (slot.empty()) slot = std::string(detail::unquote(labelled->value));
            }
            continue;  // an unknown label ("ESN:", "+CREG: 1") is neither a field nor bare
        }
        if (!labelled_seen && has_alnum(*line)) bare.emplace_back(*line);
    }
    // Bare lines fill manufacturer, model, revision in order, skipping ones a label gave.
    auto next = bare.begin();
    for (const auto field : k_bare_order) {
        if (next == bare.end()) break;
        if ((info.*field).empty()) info.*field = *next++;
    }
    if (!any_field_set(info)) {
        return fail(Reason::protocol_error, std::string(k_command) +
                                                ": no identity lines in response (" +
                                                detail::quote_response(lines) + ")");
    }
    return info;
}

}  // namespace drivers::at
