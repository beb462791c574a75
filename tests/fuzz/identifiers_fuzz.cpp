// Fuzz target: the ICCID and IMEI validators and the Luhn check (station/core). Beyond no crash:
// what is accepted has the documented shape, a computed check digit always validates, and
// normalising an ICCID twice changes nothing.
#include <cstdint>
#include <string>

#include <station/core/identifiers.hpp>
#include <station/core/luhn.hpp>

#include "fuzz_support.hpp"

namespace {

using station::core::IdCheck;

bool digits_only(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

void check_imei_rules(std::string_view text) {
    if (station::core::check_imei(text) == IdCheck::ok) {
        fuzz::require(text.size() == 15 && digits_only(text), "valid IMEI is 15 digits", text);
        fuzz::require(station::core::luhn_valid(text), "valid IMEI passes Luhn", text);
    }
}

void check_iccid_rules(std::string_view text) {
    if (station::core::check_iccid(text) == IdCheck::ok) {
        fuzz::require((text.size() == 19 || text.size() == 20) && digits_only(text) &&
                          text.starts_with("89"),
                      "valid ICCID is 19/20 digits starting 89", text);
    }
    const std::string once = station::core::normalize_iccid(text);
    if (!once.empty()) {
        fuzz::require(station::core::normalize_iccid(once) == once, "normalize_iccid idempotent",
                      text);
    }
}

void check_luhn_rules(std::string_view text) {
    const char digit = station::core::luhn_check_digit(text);
    if (digit == '\0') {
        fuzz::require(!digits_only(text), "check digit of digits exists", text);
        return;
    }
    std::string whole(text);
    whole += digit;
    fuzz::require(station::core::luhn_valid(whole), "payload + check digit passes Luhn", whole);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    check_imei_rules(text);
    check_iccid_rules(text);
    check_luhn_rules(text);
    (void)station::core::to_string(station::core::check_iccid(text));
    return 0;
}
