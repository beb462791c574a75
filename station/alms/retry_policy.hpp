// When to try an ALMS call again, as pure functions of what came back (no I/O, no clock:
// time and randomness are parameters), so the whole policy is checked by table tests.
//
// - 2xx: done. 401: re-authenticate once, then repeat the call.
// - 429 and 503: wait what Retry-After says (delta-seconds or HTTP date, capped), or back off
//   when it is missing or unreadable.
// - 408, other 5xx, timeouts, refused or dropped connections, malformed answers: exponential
//   backoff with jitter, capped.
// - Any other 4xx (and 1xx/3xx, which we never expect): final, nothing to retry.
// Waits longer than `max_inline_wait`, and the last allowed attempt, are not slept through:
// the unit goes back to the outbox with a not_before time.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include <station/alms/clock.hpp>
#include <station/alms/transport.hpp>

namespace station::alms {

struct RetryPolicy {
    int max_attempts = 4;                // passes per register_unit call, >= 1
    Millis base_delay{500};              // first backoff (before jitter)
    Millis max_backoff{60000};           // backoff cap
    Millis max_retry_after{15 * 60000};  // cap on what a server may ask us to wait
    Millis max_inline_wait{10000};       // longer waits go back to the outbox
};

enum class Disposition {
    success,             // 2xx
    reauthenticate,      // 401
    honour_retry_after,  // 429, 503
    backoff,             // 408, other 5xx, transport failures, malformed answers
    final,               // other 4xx, unexpected 1xx/3xx
};

std::string_view to_string(Disposition disposition);

// What to do with an HTTP status.
Disposition classify_status(long status);

// What to do with a transport failure (TLS verification and refused URLs are the station's
// setup, reported by the client as errors, so they are `final` here).
Disposition classify_transport(TransportError error);

// Retry-After: non-negative delta-seconds, or an HTTP date relative to `now` (a past date
// means 0), read by libcurl's curl_getdate (http_date.hpp: "Sun, 06 Nov 1994 08:49:37 GMT" and
// the obsolete RFC 850 and asctime forms). nullopt when it is neither (or no date parser is
// available: the transport module did not load).
std::optional<Millis> parse_retry_after(std::string_view value, WallTime now);

// Backoff before the next pass after `failures` (>= 1) failed passes: base * 2^(failures-1)
// capped at max_backoff, with "equal jitter": half fixed, half scaled by `unit_random` in [0,1).
Millis backoff_delay(const RetryPolicy& policy, int failures, double unit_random);

// The wait before the next pass after a retryable answer: the server's Retry-After (capped at
// max_retry_after) for honour_retry_after when it parses, backoff otherwise.
Millis retry_delay(const RetryPolicy& policy, Disposition disposition,
                   const std::optional<std::string>& retry_after, int failures, WallTime now,
                   double unit_random);

// Sleep and try again in this call, or hand the unit back with not_before = now + delay.
enum class NextStep { wait_and_retry, give_back };
NextStep next_step(const RetryPolicy& policy, int attempts_made, Millis delay);

}  // namespace station::alms
