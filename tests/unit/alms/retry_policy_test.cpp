// The retry policy as a table: what each answer leads to, and how long to wait.
#include <gtest/gtest.h>

#include <station/alms/retry_policy.hpp>

namespace station::alms {
namespace {

using std::chrono::seconds;

struct StatusRow {
    long status;
    Disposition expected;
};

TEST(RetryPolicy, StatusTable) {
    const StatusRow rows[] = {
        {200, Disposition::success},
        {201, Disposition::success},
        {204, Disposition::success},
        {299, Disposition::success},
        {401, Disposition::reauthenticate},
        {429, Disposition::honour_retry_after},
        {503, Disposition::honour_retry_after},
        {500, Disposition::backoff},
        {502, Disposition::backoff},
        {504, Disposition::backoff},
        {599, Disposition::backoff},
        {408, Disposition::backoff},
        {400, Disposition::final},
        {403, Disposition::final},
        {404, Disposition::final},
        {409, Disposition::final},
        {422, Disposition::final},
        {100, Disposition::final},
        {301, Disposition::final},
        {302, Disposition::final},
        {0, Disposition::final},
        {600, Disposition::final},
        {-1, Disposition::final},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(classify_status(row.status), row.expected) << "HTTP " << row.status;
    }
}

TEST(RetryPolicy, TransportTable) {
    EXPECT_EQ(classify_transport(TransportError::timeout), Disposition::backoff);
    EXPECT_EQ(classify_transport(TransportError::connect_failed), Disposition::backoff);
    EXPECT_EQ(classify_transport(TransportError::connection_dropped), Disposition::backoff);
    EXPECT_EQ(classify_transport(TransportError::response_too_large), Disposition::backoff);
    EXPECT_EQ(classify_transport(TransportError::other), Disposition::backoff);
    EXPECT_EQ(classify_transport(TransportError::tls_verification), Disposition::final);
    EXPECT_EQ(classify_transport(TransportError::url_refused), Disposition::final);
}

// 2026-11-28 10:00:00 UTC.
WallTime base_time() {
    using namespace std::chrono;
    return sys_days{year{2026} / November / 28} + hours(10);
}

struct RetryAfterRow {
    const char* value;
    std::optional<Millis> expected;
};

TEST(RetryPolicy, RetryAfterTable) {
    // base_time() is Sat, 28 Nov 2026 10:00:00 GMT. HTTP dates go through libcurl's
    // curl_getdate: IMF-fixdate and the obsolete forms a recipient must accept (RFC 9110).
    const RetryAfterRow rows[] = {
        // delta-seconds
        {"0", Millis{0}},
        {"3", Millis{3000}},
        {" 120 ", Millis{120000}},
        {"86400", Millis{86400000}},
        {"9999999999", Millis::max()},  // absurd: capped by the caller
        // HTTP dates
        {"Sat, 28 Nov 2026 10:00:30 GMT", Millis{30000}},
        {"Sat, 28 Nov 2026 11:00:00 GMT", Millis{3600000}},
        {"\tSat, 28 Nov 2026 10:00:30 GMT ", Millis{30000}},
        {"Mon, 01 Mar 2027 00:00:00 GMT", Millis{(3 + 31 + 31 + 28) * 86400000LL - 10 * 3600000LL}},
        {"Saturday, 28-Nov-26 10:00:30 GMT", Millis{30000}},  // RFC 850
        {"Sat Nov 28 10:00:30 2026", Millis{30000}},          // asctime
        {"Sat Nov 28 10:01:00 2026", Millis{60000}},
        {"Fri, 31 Dec 9999 23:59:59 GMT", Millis{(253402300799LL - 1795860000LL) * 1000}},
        // in the past: no wait
        {"Sat, 28 Nov 2026 09:59:00 GMT", Millis{0}},
        {"Fri, 27 Nov 2026 10:00:00 GMT", Millis{0}},
        {"Sun, 06 Nov 1994 08:49:37 GMT", Millis{0}},
        {"Sunday, 06-Nov-94 08:49:37 GMT", Millis{0}},
        {"Sun Nov  6 08:49:37 1994", Millis{0}},
        // garbage
        {"", std::nullopt},
        {"  ", std::nullopt},
        {"-5", std::nullopt},
        {"3.5", std::nullopt},
        {"1e3", std::nullopt},
        {"soon", std::nullopt},
        {"10:00:30", std::nullopt},  // a time without a date
        {"Sat, 28 Foo 2026 10:00:30 GMT", std::nullopt},
        {"Xyz, 28 Nov 2026 10:00:30 GMT", std::nullopt},
        {"Sat, 28 Nov 2026 25:00:30 GMT", std::nullopt},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(parse_retry_after(row.value, base_time()), row.expected) << row.value;
    }
}

TEST(RetryPolicy, BackoffDoublesUpToTheCapWithEqualJitter) {
    RetryPolicy policy;
    policy.base_delay = Millis{500};
    policy.max_backoff = Millis{8000};
    // No jitter: half the exponential step.
    EXPECT_EQ(backoff_delay(policy, 1, 0.0), Millis{250});
    EXPECT_EQ(backoff_delay(policy, 2, 0.0), Millis{500});
    EXPECT_EQ(backoff_delay(policy, 3, 0.0), Millis{1000});
    EXPECT_EQ(backoff_delay(policy, 5, 0.0), Millis{4000});
    EXPECT_EQ(backoff_delay(policy, 6, 0.0), Millis{4000});  // capped at 8000 / 2
    // Full jitter end: the whole step.
    EXPECT_EQ(backoff_delay(policy, 1, 1.0), Millis{500});
    EXPECT_EQ(backoff_delay(policy, 3, 1.0), Millis{2000});
    EXPECT_EQ(backoff_delay(policy, 40, 1.0), Millis{8000});
    EXPECT_EQ(backoff_delay(policy, 3, 0.5), Millis{1500});
    // Out-of-range inputs are clamped, never negative or beyond the cap.
    EXPECT_EQ(backoff_delay(policy, 0, 0.0), Millis{250});
    EXPECT_EQ(backoff_delay(policy, -3, 7.0), Millis{500});
    EXPECT_EQ(backoff_delay(policy, 1000000, -1.0), Millis{4000});
}

TEST(RetryPolicy, RetryDelayHonoursRetryAfterOnlyFor429And503) {
    RetryPolicy policy;
    policy.max_retry_after = Millis{600000};
    const WallTime now = base_time();
    const std::optional<std::string> three{"3"};
    const std::optional<std::string> date{"Sat, 28 Nov 2026 10:01:00 GMT"};
    EXPECT_EQ(retry_delay(policy, Disposition::honour_retry_after, three, 1, now, 0.0),
              Millis{3000});
    EXPECT_EQ(retry_delay(policy, Disposition::honour_retry_after, date, 1, now, 0.0),
              Millis{60000});
    // A huge Retry-After is capped.
    EXPECT_EQ(
        retry_delay(policy, Disposition::honour_retry_after, std::string("86400"), 1, now, 0.0),
        Millis{600000});
    EXPECT_EQ(retry_delay(policy, Disposition::honour_retry_after,
                          std::string("Fri, 31 Dec 9999 23:59:59 GMT"), 1, now, 0.0),
              Millis{600000});
    EXPECT_EQ(retry_delay(policy, Disposition::honour_retry_after,
                          std::string("Sun Nov  6 08:49:37 1994"), 1, now, 0.0),
              Millis{0});
    // Missing or unreadable: backoff.
    EXPECT_EQ(retry_delay(policy, Disposition::honour_retry_after, std::nullopt, 2, now, 0.0),
              backoff_delay(policy, 2, 0.0));
    EXPECT_EQ(
        retry_delay(policy, Disposition::honour_retry_after, std::string("later"), 2, now, 1.0),
        backoff_delay(policy, 2, 1.0));
    // Other retryable answers ignore a Retry-After header.
    EXPECT_EQ(retry_delay(policy, Disposition::backoff, three, 3, now, 0.0),
              backoff_delay(policy, 3, 0.0));
}

TEST(RetryPolicy, LongWaitsAndTheLastAttemptGoBackToTheOutbox) {
    RetryPolicy policy;
    policy.max_attempts = 3;
    policy.max_inline_wait = Millis{10000};
    EXPECT_EQ(next_step(policy, 1, Millis{500}), NextStep::wait_and_retry);
    EXPECT_EQ(next_step(policy, 2, Millis{10000}), NextStep::wait_and_retry);
    EXPECT_EQ(next_step(policy, 2, Millis{10001}), NextStep::give_back);
    EXPECT_EQ(next_step(policy, 3, Millis{1}), NextStep::give_back);
    EXPECT_EQ(next_step(policy, 4, Millis{0}), NextStep::give_back);
}

}  // namespace
}  // namespace station::alms
