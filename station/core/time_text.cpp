#include <station/core/time_text.hpp>

#include <array>
#include <cstdio>
#include <ctime>

namespace station::core {
namespace {

// The `count` digits at `pos` as a number; nullopt when one is not a digit or missing.
std::optional<int> digits_at(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// "HH:MM:SS[.fraction](Z|+00:00)" after a date: the time of day, or nullopt.
std::optional<std::chrono::milliseconds> time_of_day(std::string_view text) {
    const auto h = digits_at(text, 0, 2);
    const auto m = digits_at(text, 3, 2);
    const auto s = digits_at(text, 6, 2);
    if (!h || !m || !s || text[2] != ':' || text[5] != ':' || *h > 23 || *m > 59 || *s > 59) {
        return std::nullopt;
    }
    std::chrono::milliseconds ms = std::chrono::hours(*h) + std::chrono::minutes(*m) +
                                   std::chrono::seconds(*s);
    std::size_t pos = 8;
    if (pos < text.size() && text[pos] == '.') {
        std::size_t n = 0;
        int fraction = 0;
        while (pos + 1 + n < text.size() && n < 10 && digits_at(text, pos + 1 + n, 1)) {
            if (n < 3) fraction = fraction * 10 + (text[pos + 1 + n] - '0');
            ++n;
        }
        if (n == 0 || n > 9) return std::nullopt;
        for (std::size_t i = n; i < 3; ++i) fraction *= 10;
        ms += std::chrono::milliseconds(fraction);
        pos += 1 + n;
    }
    const std::string_view zone = text.substr(pos);
    if (zone != "Z" && zone != "+00:00") return std::nullopt;
    return ms;
}

}  // namespace

std::string iso_utc(std::chrono::system_clock::time_point at, bool millis) {
    const auto ms = std::chrono::floor<std::chrono::milliseconds>(at.time_since_epoch());
    const auto secs = std::chrono::floor<std::chrono::seconds>(ms);
    const auto t = static_cast<std::time_t>(secs.count());
    std::tm tm{};
    if (gmtime_r(&t, &tm) == nullptr) return "?";
    std::array<char, 48> buf{};
    const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out(buf.data(), n);
    if (millis) {
        (void)std::snprintf(buf.data(), buf.size(), ".%03d", static_cast<int>((ms - secs).count()));
        out += buf.data();
    }
    return out + "Z";
}

std::optional<std::chrono::system_clock::time_point> parse_utc_date(std::string_view text) {
    using namespace std::chrono;
    const auto y = digits_at(text, 0, 4);
    const auto mo = digits_at(text, 5, 2);
    const auto d = digits_at(text, 8, 2);
    if (!y || !mo || !d || text[4] != '-' || text[7] != '-') return std::nullopt;
    const year_month_day date{year(*y), month(static_cast<unsigned>(*mo)),
                              day(static_cast<unsigned>(*d))};
    // The clock counts nanoseconds in 64 bits: years 1678..2261 only.
    const auto first = ceil<days>(system_clock::time_point::min());
    const auto last = floor<days>(system_clock::time_point::max()) - days(1);
    if (!date.ok() || sys_days(date) < first || sys_days(date) > last) return std::nullopt;
    const system_clock::time_point midnight = sys_days(date);
    if (text.size() == 10) return midnight;
    if (text[10] != 'T') return std::nullopt;
    const auto time = time_of_day(text.substr(11));
    if (!time) return std::nullopt;
    return midnight + *time;
}

}  // namespace station::core
