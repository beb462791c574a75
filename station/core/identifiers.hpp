// ICCID and IMEI validation (DOMAIN.md: ICCID and IMEI).
#pragma once

#include <string>
#include <string_view>

#include <station/core/result.hpp>

namespace station::core {

// Why an identifier was rejected; `ok` when it is valid.
enum class IdCheck { ok, empty, not_digits, bad_length, bad_prefix, bad_check_digit };

std::string_view to_string(IdCheck check);

// ICCID: 19 or 20 ASCII digits starting "89", Luhn over the whole string; a 20-digit value
// that fails is re-checked on its first 19 digits (some issuers put the check digit there).
IdCheck check_iccid(std::string_view iccid);

// IMEI: exactly 15 ASCII digits, the last the Luhn check digit over the first 14.
IdCheck check_imei(std::string_view imei);

// Normalises a raw ICCID: strips surrounding quotes/spaces and trailing 'F'/'f' padding.
// Returns the digits, or an empty string when anything other than digits remains.
std::string normalize_iccid(std::string_view raw);

}  // namespace station::core
