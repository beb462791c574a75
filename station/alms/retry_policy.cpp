#include <station/alms/retry_policy.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <station/core/text.hpp>

namespace station::alms {
namespace {

constexpr std::array<std::string_view, 12> k_months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> k_days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> number(std::string_view text, std::size_t width) {
    if (text.size() != width || !all_digits(text)) return std::nullopt;
    int value = 0;
    for (const char c : text) value = value * 10 + (c - '0');
    return value;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (exactly 29 characters).
std::optional<WallTime> parse_imf_fixdate(std::string_view text) {
    if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' ||
        text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':' ||
        text.substr(25) != " GMT") {
        return std::nullopt;
    }
    if (std::find(k_days.begin(), k_days.end(), text.substr(0, 3)) == k_days.end()) {
        return std::nullopt;
    }
    const auto month_it = std::find(k_months.begin(), k_months.end(), text.substr(8, 3));
    const auto day = number(text.substr(5, 2), 2);
    const auto year = number(text.substr(12, 4), 4);
    const auto hour = number(text.substr(17, 2), 2);
    const auto minute = number(text.substr(20, 2), 2);
    const auto second = number(text.substr(23, 2), 2);
    if (month_it == k_months.end() || !day || !year || !hour || !minute || !second) {
        return std::nullopt;
    }
    if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    const auto month = static_cast<unsigned>(month_it - k_months.begin() + 1);
    const std::chrono::year_month_day date{std::chrono::year{*year}, std::chrono::month{month},
                                           std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok()) return std::nullopt;
    const std::chrono::sys_days days{date};
    return WallTime{days} + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
           std::chrono::seconds(*second);
}

}  // namespace

std::string_view to_string(Disposition disposition) {
    switch (disposition) {
        case Disposition::success:
            return "success";
        case Disposition::reauthenticate:
            return "reauthenticate";
        case Disposition::honour_retry_after:
            return "honour_retry_after";
        case Disposition::backoff:
            return "backoff";
        case Disposition::final:
            return "final";
    }
    return "final";
}

Disposition classify_status(long status) {
    if (status >= 200 && status <= 299) return Disposition::success;
    if (status == 401) return Disposition::reauthenticate;
    if (status == 429 || status == 503) return Disposition::honour_retry_after;
    if (status == 408 || (status >= 500 && status <= 599)) return Disposition::backoff;
    return Disposition::final;
}

Disposition classify_transport(TransportError error) {
    switch (error) {
        case TransportError::none:
            return Disposition::success;
        case TransportError::timeout:
        case TransportError::connect_failed:
        case TransportError::connection_dropped:
        case TransportError::response_too_large:
        case TransportError::other:
            return Disposition::backoff;
        case TransportError::tls_verification:
        case TransportError::url_refused:
            return Disposition::final;
    }
    return Disposition::final;
}

std::optional<Millis> parse_retry_after(std::string_view value, WallTime now) {
    value = core::trim_blanks(value);
    if (all_digits(value)) {
        if (value.size() > 9) return Millis::max();  // absurd: the caller caps it
        long long seconds = 0;
        for (const char c : value) seconds = seconds * 10 + (c - '0');
        return std::chrono::duration_cast<Millis>(std::chrono::seconds(seconds));
    }
    const auto when = parse_imf_fixdate(value);
    if (!when) return std::nullopt;
    if (*when <= now) return Millis{0};
    return std::chrono::duration_cast<Millis>(*when - now);
}

Millis backoff_delay(const RetryPolicy& policy, int failures, double unit_random) {
    const int exponent = std::clamp(failures, 1, 31) - 1;
    const double raw = static_cast<double>(policy.base_delay.count()) * std::ldexp(1.0, exponent);
    const double capped = std::min(raw, static_cast<double>(policy.max_backoff.count()));
    const double jitter = std::clamp(unit_random, 0.0, 1.0);
    const double delay = capped / 2.0 + jitter * capped / 2.0;
    return Millis{static_cast<Millis::rep>(std::llround(delay))};
}

Millis retry_delay(const RetryPolicy& policy, Disposition disposition,
                   const std::optional<std::string>& retry_after, int failures, WallTime now,
                   double unit_random) {
    if (disposition == Disposition::honour_retry_after && retry_after) {
        if (const auto wait = parse_retry_after(*retry_after, now)) {
            return std::min(*wait, policy.max_retry_after);
        }
    }
    return backoff_delay(policy, failures, unit_random);
}

NextStep next_step(const RetryPolicy& policy, int attempts_made, Millis delay) {
    if (attempts_made >= policy.max_attempts) return NextStep::give_back;
    if (delay > policy.max_inline_wait) return NextStep::give_back;
    return NextStep::wait_and_retry;
}

}  // namespace station::alms
