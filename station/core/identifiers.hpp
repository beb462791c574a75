// ICCID and IMEI validation (DOMAIN.md: ICCID and IMEI).
#pragma once

#include <string>
#include <string_view>

#include <station/core/result.hpp>

namespace station::core {

// Why an identifier was rejected; `ok` when it is valid. `hex_digits`: an ICCID whose account
// part holds hex digits A-F (some issuers do, DOMAIN.md "Second reading"); it is readable but
// cannot be Luhn-checked, so it never passes on a guess.
enum class IdCheck { ok, empty, not_digits, bad_length, bad_prefix, bad_check_digit, hex_digits };

std::string_view to_string(IdCheck check);

// ICCID: 19 or 20 ASCII digits starting "89", Luhn over the whole string; a 20-digit value
// that fails is re-checked on its first 19 digits (some issuers put the check digit there).
// Checked in this order: empty, not_digits (anything but 0-9 A-F a-f), bad_length,
// bad_prefix, hex_digits, bad_check_digit.
IdCheck check_iccid(std::string_view iccid);

// IMEI: exactly 15 ASCII digits, the last the Luhn check digit over the first 14.
IdCheck check_imei(std::string_view imei);

// Normalises a raw ICCID: strips surrounding quotes/spaces and trailing 'F'/'f' padding.
// Returns the value with hex letters upper-cased when it is hex digits whose first six
// (the issuer number: "89", country code, issuer) are decimal, e.g. "898604A6101770125379";
// an empty string otherwise. Length and check digit are check_iccid's job.
std::string normalize_iccid(std::string_view raw);

}  // namespace station::core
