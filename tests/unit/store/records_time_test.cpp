// Stored times (milliseconds since the epoch) back to time points: exact within the clock's
// range, clamped beyond it (a far-future lease in another station's row once overflowed).
#include <cstdint>

#include <gtest/gtest.h>

#include <station/store/records.hpp>

namespace tests::store {
namespace {

namespace st = station::store;

TEST(StoredTime, RoundTripsWithinTheClocksRange) {
    for (const std::int64_t ms : {0LL, 1'790'000'000'123LL, -86'400'000LL, 9'000'000'000'000LL}) {
        EXPECT_EQ(st::to_ms(st::from_ms(ms)), ms);
    }
}

TEST(StoredTime, BeyondTheClocksRangeIsClampedNotOverflowed) {
    EXPECT_EQ(st::from_ms(99'999'999'999'999LL), st::TimePoint::max());
    EXPECT_EQ(st::from_ms(INT64_MAX), st::TimePoint::max());
    EXPECT_EQ(st::from_ms(-99'999'999'999'999LL), st::TimePoint::min());
    EXPECT_EQ(st::from_ms(INT64_MIN), st::TimePoint::min());
    EXPECT_GT(st::from_ms(99'999'999'999'999LL), st::from_ms(9'000'000'000'000LL));
}

}  // namespace
}  // namespace tests::store
