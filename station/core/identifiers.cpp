#include <station/core/identifiers.hpp>

#include <algorithm>

#include <station/core/luhn.hpp>
#include <station/core/text.hpp>

namespace station::core {
namespace {

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

bool all_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), is_hex);
}

char upper(char c) {
    return c >= 'a' && c <= 'f' ? static_cast<char>(c - 'a' + 'A') : c;
}

// "89" + country code + issuer: where an ICCID is always decimal.
constexpr std::size_t k_issuer_digits = 6;

}  // namespace

std::string_view to_string(IdCheck check) {
    switch (check) {
        case IdCheck::ok:
            return "valid";
        case IdCheck::empty:
            return "empty";
        case IdCheck::not_digits:
            return "contains non-digits";
        case IdCheck::bad_length:
            return "wrong length";
        case IdCheck::bad_prefix:
            return "does not start with 89";
        case IdCheck::bad_check_digit:
            return "Luhn check digit wrong";
        case IdCheck::hex_digits:
            return "has hex digits A-F, cannot be Luhn-checked";
    }
    return "invalid";
}

IdCheck check_iccid(std::string_view iccid) {
    if (iccid.empty()) return IdCheck::empty;
    if (!all_hex(iccid)) return IdCheck::not_digits;
    if (iccid.size() != 19 && iccid.size() != 20) return IdCheck::bad_length;
    if (iccid.substr(0, 2) != "89") return IdCheck::bad_prefix;
    if (!all_digits(iccid)) return IdCheck::hex_digits;
    if (luhn_valid(iccid)) return IdCheck::ok;
    if (iccid.size() == 20 && luhn_valid(iccid.substr(0, 19))) return IdCheck::ok;
    return IdCheck::bad_check_digit;
}

IdCheck check_imei(std::string_view imei) {
    if (imei.empty()) return IdCheck::empty;
    if (!all_digits(imei)) return IdCheck::not_digits;
    if (imei.size() != 15) return IdCheck::bad_length;
    return luhn_valid(imei) ? IdCheck::ok : IdCheck::bad_check_digit;
}

std::string normalize_iccid(std::string_view raw) {
    std::string_view s = trim(raw, " \t\"");  // blanks and the quotes around it
    while (!s.empty() && (s.back() == 'F' || s.back() == 'f')) s.remove_suffix(1);
    if (s.empty() || !all_hex(s) || !all_digits(s.substr(0, k_issuer_digits))) return {};
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), upper);
    return out;
}

}  // namespace station::core
