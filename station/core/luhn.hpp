// Luhn (mod 10) check used by ICCID and IMEI.
#pragma once

#include <string_view>

namespace station::core {

// True when `digits` is non-empty, all ASCII digits, and its Luhn sum is 0 mod 10.
bool luhn_valid(std::string_view digits);

// The Luhn check digit ('0'..'9') that completes `payload`; '\0' when payload has non-digits.
char luhn_check_digit(std::string_view payload);

}  // namespace station::core
