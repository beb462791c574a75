#include <station/alms/retry_policy.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <station/alms/http_date.hpp>
#include <station/core/text.hpp>

namespace station::alms {
namespace {

// A date further away than this is absurd: the caller caps the wait anyway.
constexpr std::int64_t k_max_date_seconds = 1'000'000'000'000;

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The wait until an HTTP date (libcurl's curl_getdate reads it, http_date.hpp), or nullopt.
std::optional<Millis> wait_until_http_date(std::string_view text, WallTime now) {
    const auto when = parse_http_date(std::string(text));
    if (!when || !*when) return std::nullopt;  // no parser counts as unreadable: back off
    const std::int64_t seconds = **when;
    if (seconds > k_max_date_seconds) return Millis::max();
    const auto now_ms = std::chrono::duration_cast<Millis>(now.time_since_epoch()).count();
    const std::int64_t wait_ms = seconds * 1000 - static_cast<std::int64_t>(now_ms);
    return Millis{std::max<std::int64_t>(wait_ms, 0)};
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
    if (value.empty()) return std::nullopt;
    return wait_until_http_date(value, now);
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
