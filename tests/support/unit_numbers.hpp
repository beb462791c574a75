// Valid identities for test units, numbered: IMEIs and ICCIDs with their Luhn check digit
// computed here (not by the station's own validators), and serials.
#pragma once

#include <cstddef>
#include <string>

namespace tests {

inline char luhn_digit(const std::string& digits) {
    int sum = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        int d = digits[digits.size() - 1 - i] - '0';
        if (i % 2 == 0) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

// prefix + i zero-padded to `digits` digits + the Luhn digit.
inline std::string with_luhn(const std::string& prefix, int i, std::size_t digits) {
    std::string number = std::to_string(i);
    number.insert(0, digits - number.size(), '0');
    const std::string base = prefix + number;
    return base + luhn_digit(base);
}

inline std::string serial_for(int i) {
    return "LA" + std::to_string(100000 + i);
}
inline std::string imei_for(int i) {
    return with_luhn("3527530", i, 7);
}
inline std::string iccid_for(int i) {
    return with_luhn("8901410321", i, 9);
}

}  // namespace tests
