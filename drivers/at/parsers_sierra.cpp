// Sierra Wireless carrier image commands: AT!PRIID? and AT!IMPREF? (both usually need
// AT!ENTERCND="A710" first; that is the caller's business).
//
// Carrier names. On the EM7455 (SWI9X30C_02.24.05.06) and EM7565 (SWI9X50C) a Carrier PRI
// value is '_'-separated:
//     9999999_9904594_SWI9X30C_02.24.05.06_00_VZW_002.026_001
//     <part>  <pri id> <fw family> <fw version> <nn> <CARRIER> <config version> <revision>
// and older firmware prints just "ATT_002.027_000" or "ATT". Rule used for all of them: the
// carrier is the first token (split on '_' and spaces) that starts with a letter, holds only
// letters, digits and '-', and is not the firmware family ("SWI" followed by a digit). Numeric
// fields (part numbers, versions, "00") never start with a letter, so their count and position
// do not matter. A value with no such token ("(none)", "9999999_9904780") adds no carrier but
// is still listed in carrier_pris.
#include <drivers/at/parsers.hpp>

#include <algorithm>
#include <array>
#include <cctype>

#include <drivers/at/parsers_text.hpp>

namespace drivers::at {
namespace {

using station::core::fail;
using station::core::Reason;

constexpr std::string_view k_priid_command = "AT!PRIID?";
constexpr std::string_view k_impref_command = "AT!IMPREF?";
constexpr std::string_view k_carrier_pri_label = "carrier pri";
constexpr std::string_view k_token_separators = "_ \t";

struct PriField {
    std::string_view label;  // folded
    std::string PriInfo::*field;
};
constexpr std::array k_pri_fields{
    PriField{"pri part number", &PriInfo::part_number},
    PriField{"revision", &PriInfo::revision},
    PriField{"customer", &PriInfo::customer},
};

struct ImprefField {
    std::string_view label;  // folded
    std::string ImprefInfo::*field;
};
constexpr std::array k_impref_fields{
    ImprefField{"preferred fw version", &ImprefInfo::preferred_fw},
    ImprefField{"preferred carrier name", &ImprefInfo::preferred_carrier},
    ImprefField{"preferred config name", &ImprefInfo::preferred_config},
    ImprefField{"current fw version", &ImprefInfo::current_fw},
    ImprefField{"current carrier name", &ImprefInfo::current_carrier},
    ImprefField{"current config name", &ImprefInfo::current_config},
};

// Fills `info.*field` from the first line whose folded label a row names; true if one did.
template <class Info, class Table>
bool fill_field(Info& info, const Table& table, const detail::Labelled& labelled) {
    for (const auto& row : table) {
        if (row.label != labelled.label) continue;
        std::string& slot = info.*row.field;
        if (slot.empty()) slot = std::string(detail::unquote(labelled.value));
        return true;
    }
    return false;
}

bool is_name_token(std::string_view token) {
    if (token.empty() || !detail::is_letter(token.front())) return false;
    const bool firmware_family = detail::istarts_with(token, "SWI") && token.size() > 3 &&
                                 std::isdigit(static_cast<unsigned char>(token[3])) != 0;
    return !firmware_family && std::all_of(token.begin(), token.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
    });
}

std::string carrier_name_of(std::string_view pri) {
    std::size_t start = 0;
    while (start < pri.size()) {
        const std::size_t end = std::min(pri.find_first_of(k_token_separators, start), pri.size());
        const std::string_view token = pri.substr(start, end - start);
        if (is_name_token(token)) return std::string(token);
        start = end + 1;
    }
    return {};
}

void add_carrier_pri(PriInfo& info, std::string_view value) {
    info.carrier_pris.emplace_back(value);
    const std::string name = carrier_name_of(value);
    if (name.empty()) return;
    const bool known =
        std::any_of(info.carriers.begin(), info.carriers.end(),
                    [&](const std::string& seen) { return detail::iequals(seen, name); });
    if (!known) info.carriers.push_back(name);
}

}  // namespace

Result<PriInfo> parse_priid_read_response(Lines lines) {
    PriInfo info;
    bool recognised = false;
    for (const std::string& raw : lines) {
        const auto line = detail::usable_line(raw, k_priid_command);
        if (!line) continue;
        const auto labelled = detail::split_label(*line);
        if (!labelled) continue;
        if (labelled->label == k_carrier_pri_label) {
            const std::string_view value = detail::unquote(labelled->value);
            if (!value.empty()) add_carrier_pri(info, value);
            recognised = true;
        } else if (fill_field(info, k_pri_fields, *labelled)) {
            recognised = true;
        }
    }
    if (!recognised) {
        return fail(Reason::protocol_error, std::string(k_priid_command) +
                                                ": no PRI lines in response (" +
                                                detail::quote_response(lines) + ")");
    }
    return info;
}

Result<ImprefInfo> parse_impref_read_response(Lines lines) {
    ImprefInfo info;
    for (const std::string& raw : lines) {
        const auto line = detail::usable_line(raw, k_impref_command);
        if (!line) continue;
        // The "!IMPREF:" header line has an unknown label and no value: skipped here.
        if (const auto labelled = detail::split_label(*line)) {
            fill_field(info, k_impref_fields, *labelled);
        }
    }
    if (info.preferred_carrier.empty() && info.current_carrier.empty()) {
        return fail(Reason::protocol_error, std::string(k_impref_command) +
                                                ": no carrier name in response (" +
                                                detail::quote_response(lines) + ")");
    }
    return info;
}

}  // namespace drivers::at
