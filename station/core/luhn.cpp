#include <station/core/luhn.hpp>

namespace station::core {
namespace {

// Sum of the Luhn-doubled digits; `double_first` says whether the rightmost digit is doubled.
int luhn_sum(std::string_view digits, bool double_rightmost, bool& ok) {
    int sum = 0;
    bool dbl = double_rightmost;
    ok = !digits.empty();
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (*it < '0' || *it > '9') {
            ok = false;
            return 0;
        }
        int d = *it - '0';
        if (dbl) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        dbl = !dbl;
    }
    return sum;
}

}  // namespace

bool luhn_valid(std::string_view digits) {
    bool ok = false;
    const int sum = luhn_sum(digits, false, ok);
    return ok && sum % 10 == 0;
}

char luhn_check_digit(std::string_view payload) {
    bool ok = false;
    const int sum = luhn_sum(payload, true, ok);
    if (!ok) return '\0';
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

}  // namespace station::core
