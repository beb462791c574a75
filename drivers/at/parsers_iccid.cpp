// ICCID in every form modules print it (DOMAIN.md "AT commands" and "Second reading").
//
// A reader sends one of AT!ICCID? (Sierra), AT+ICCID, AT+CCID, AT+QCCID (Quectel), AT#CCID
// (Telit), AT^ICCID (Huawei) or AT+CRSM=176,12258,0,0,10 (raw EF_ICCID read, any 27.007 module)
// and hands the answer here; the parser does not need to know which. Labelled lines count only
// under an ICCID label; a bare line counts when it is 18..22 digits after quotes and F padding
// go, so an IMEI (15), IMSI (<= 15) or EID (32) echoed alongside never passes for an ICCID.
// Labelled values use the same window. Hex digits A-F after the six-digit issuer number are
// kept (some issuers use them in the account part): the value is what the unit said, and
// check_iccid then says it cannot be Luhn-checked. Luhn and the 19/20 length are the caller's
// check.
//
// Nibble-swapped forms: +CRSM always (the raw EF_ICCID), and Huawei's ^ICCID, which answers the
// raw EF_ICCID quoted and F-padded (^ICCID: "98101430121181157002"). A swapped ICCID starts
// "98" (the swapped "89" every ICCID begins with), so a ^ICCID value starting "98" is decoded
// and one starting "89" is read as it stands (Sierra-style firmwares print the digits).
#include <drivers/at/parsers.hpp>

#include <algorithm>
#include <array>

#include <drivers/at/parsers_text.hpp>
#include <station/core/identifiers.hpp>
#include <station/core/text.hpp>

namespace drivers::at {
namespace {

using station::core::fail;
using station::core::normalize_iccid;
using station::core::Reason;

constexpr std::string_view k_what = "ICCID read";
constexpr std::size_t k_min_digits = 18;
constexpr std::size_t k_max_digits = 22;
// EF_ICCID is 10 bytes; allow some slack but refuse to decode anything far longer.
constexpr std::size_t k_max_bcd_hex = 32;
// Huawei (^ICCID) answers nibble-swapped like +CRSM; a swapped ICCID begins with this.
constexpr std::string_view k_caret_label = "^iccid";
constexpr std::string_view k_swapped_start = "98";

// Folded labels: !ICCID (Sierra), +ICCID / ICCID (various), +CCID (27.007-style, Sierra
// EM7565 and others, optionally ",<eid>"), +QCCID (Quectel), #CCID (Telit), ^ICCID (Huawei).
constexpr std::array<std::string_view, 7> k_iccid_labels{"!iccid", "+iccid", "iccid", "+ccid",
                                                         "+qccid", "#ccid",  "^iccid"};
constexpr std::string_view k_crsm_label = "+crsm";
// Status words that mean the read worked: 0x90 (normal end), 0x91 (normal end, extra info).
constexpr std::array<int, 2> k_crsm_ok_sw1{144, 145};

// '0'-'9' and 'A'-'F' as they are, 'a'-'f' upper-cased, anything else '?'.
char upper_hex(char c) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) return c;
    if (c >= 'a' && c <= 'f') return static_cast<char>(c - 'a' + 'A');
    return '?';
}

bool in_window(std::string_view digits) {
    return digits.size() >= k_min_digits && digits.size() <= k_max_digits;
}

// "89014103211118510720", "\"8901...\"", "8901...,89049032..." (EID dropped), "8901...F".
std::optional<std::string> iccid_value(std::string_view value) {
    const std::string_view first = value.substr(0, value.find(','));
    std::string digits = normalize_iccid(first);
    if (!in_window(digits)) return std::nullopt;
    return digits;
}

// Huawei "^ICCID: \"98101430121181157002\"" (swapped, F-padded) or plain digits.
std::optional<std::string> caret_iccid_value(std::string_view value) {
    const std::string_view first = detail::unquote(value.substr(0, value.find(',')));
    if (!first.starts_with(k_swapped_start)) return iccid_value(first);
    std::string digits = normalize_iccid(decode_swapped_bcd(first));
    if (!in_window(digits)) return std::nullopt;
    return digits;
}

std::optional<int> parse_int(std::string_view text) {
    return station::core::parse_integer<int>(station::core::trim_space(text));
}

// "+CRSM: <sw1>,<sw2>[,"<hex>"]", split; a missing field stays empty.
struct CrsmAnswer {
    std::optional<int> sw1;
    std::optional<int> sw2;
    std::string_view data;
};

CrsmAnswer split_crsm(std::string_view value) {
    CrsmAnswer answer;
    const auto comma1 = value.find(',');
    answer.sw1 = parse_int(value.substr(0, comma1));
    if (comma1 == std::string_view::npos) return answer;
    const std::string_view rest = value.substr(comma1 + 1);
    const auto comma2 = rest.find(',');
    answer.sw2 = parse_int(rest.substr(0, comma2));
    if (comma2 != std::string_view::npos) answer.data = detail::unquote(rest.substr(comma2 + 1));
    return answer;
}

// The label proves this line is the answer, so anything wrong with it is an error rather than
// a line to skip.
Result<std::string> crsm_iccid(std::string_view value, std::string_view line) {
    const CrsmAnswer answer = split_crsm(value);
    const std::string quoted = detail::quote_line(line);
    if (!answer.sw1 || !answer.sw2) {
        return fail(Reason::protocol_error, "AT+CRSM: malformed status words (" + quoted + ")");
    }
    if (std::find(k_crsm_ok_sw1.begin(), k_crsm_ok_sw1.end(), *answer.sw1) == k_crsm_ok_sw1.end()) {
        return fail(Reason::protocol_error, "AT+CRSM: EF_ICCID read failed with status words " +
                                                std::to_string(*answer.sw1) + "," +
                                                std::to_string(*answer.sw2) + " (" + quoted + ")");
    }
    std::string digits = normalize_iccid(decode_swapped_bcd(answer.data));
    if (!in_window(digits)) {
        return fail(Reason::protocol_error,
                    "AT+CRSM: no EF_ICCID digits in response (" + quoted + ")");
    }
    return digits;
}

}  // namespace

std::string decode_swapped_bcd(std::string_view hex) {
    if (hex.empty() || hex.size() % 2 != 0 || hex.size() > k_max_bcd_hex) return {};
    std::string digits;
    digits.reserve(hex.size());
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        digits += upper_hex(hex[i + 1]);  // low nibble is the earlier digit
        digits += upper_hex(hex[i]);
    }
    // Unused trailing nibbles are F (19-digit ICCIDs); any other F is a hex digit of the value.
    while (!digits.empty() && digits.back() == 'F') digits.pop_back();
    if (digits.find('?') != std::string::npos) return {};
    return digits;
}

Result<std::string> parse_iccid_response(Lines lines) {
    detail::Candidates found;
    for (const std::string& raw : lines) {
        const auto line = detail::usable_line(raw, "AT+CCID");
        if (!line) continue;
        const auto labelled = detail::split_label(*line);
        std::optional<std::string> value;
        if (!labelled) {
            value = iccid_value(*line);
        } else if (labelled->label == k_caret_label) {
            value = caret_iccid_value(labelled->value);
        } else if (labelled->label == k_crsm_label) {
            auto decoded = crsm_iccid(labelled->value, *line);
            if (!decoded) return decoded;
            value = std::move(*decoded);
        } else if (std::find(k_iccid_labels.begin(), k_iccid_labels.end(), labelled->label) !=
                   k_iccid_labels.end()) {
            value = iccid_value(labelled->value);
        }
        if (value) found.add(std::move(*value), *line);
    }
    return found.single(k_what, "ICCID", lines);
}

}  // namespace drivers::at
