// UTC timestamps as the station writes them everywhere.
#include <gtest/gtest.h>

#include <station/core/time_text.hpp>

namespace {

using station::core::iso_utc;
using std::chrono::milliseconds;
using std::chrono::system_clock;

system_clock::time_point at_ms(std::int64_t ms) {
    return system_clock::time_point(
        std::chrono::duration_cast<system_clock::duration>(milliseconds(ms)));
}

TEST(IsoUtc, MillisecondsByDefault) {
    EXPECT_EQ(iso_utc(at_ms(0)), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(iso_utc(at_ms(1'790'000'001'234)), "2026-09-21T14:13:21.234Z");
    EXPECT_EQ(iso_utc(at_ms(1'795'860'723'007)), "2026-11-28T10:12:03.007Z");
}

TEST(IsoUtc, SecondsOnlyWhenAsked) {
    EXPECT_EQ(iso_utc(at_ms(1'795'860'723'999), false), "2026-11-28T10:12:03Z");
}

TEST(IsoUtc, BeforeTheEpochFloors) {
    EXPECT_EQ(iso_utc(at_ms(-1)), "1969-12-31T23:59:59.999Z");
    EXPECT_EQ(iso_utc(at_ms(-1000), false), "1969-12-31T23:59:59Z");
    EXPECT_EQ(iso_utc(at_ms(-1001), false), "1969-12-31T23:59:58Z");
}

TEST(IsoUtc, SubMillisecondPartIsDropped) {
    const auto t = at_ms(1'795'860'723'007) + std::chrono::microseconds(999);
    EXPECT_EQ(iso_utc(t), "2026-11-28T10:12:03.007Z");
}

}  // namespace
