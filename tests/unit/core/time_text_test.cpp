// UTC timestamps as the station writes them everywhere.
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// `--since DATE` and the like: a day (midnight UTC) or a full ISO 8601 UTC time; anything
// else, impossible dates and other time zones included, is refused.
TEST(ParseUtcDate, DaysAndFullTimesInUtcOnly) {
    using station::core::parse_utc_date;
    const std::vector<std::pair<std::string, std::optional<std::int64_t>>> cases{
        {"1970-01-01", 0},
        {"2026-11-28", 1'795'824'000'000},
        {"2026-11-28T10:12:03Z", 1'795'860'723'000},
        {"2026-11-28T10:12:03.007Z", 1'795'860'723'007},
        {"2026-11-28T10:12:03.5Z", 1'795'860'723'500},
        {"2026-11-28T10:12:03.007999999Z", 1'795'860'723'007},
        {"2026-11-28T10:12:03+00:00", 1'795'860'723'000},
        {"2024-02-29", 1'709'164'800'000},
        {"2026-02-29", std::nullopt},
        {"2026-13-01", std::nullopt},
        {"2026-11-31", std::nullopt},
        {"2026-11-28T24:00:00Z", std::nullopt},
        {"2026-11-28T10:12:03", std::nullopt},
        {"2026-11-28T10:12:03+01:00", std::nullopt},
        {"2026-11-28T10:12:03.Z", std::nullopt},
        {"2026-11-28T10:12:03.0000000001Z", std::nullopt},
        {"2026-11-28 10:12:03Z", std::nullopt},
        {"2026-11-28Z", std::nullopt},
        {"26-11-28", std::nullopt},
        {"2026/11/28", std::nullopt},
        {"yesterday", std::nullopt},
        {"", std::nullopt},
        {"2026-11-2", std::nullopt},
        {"+026-11-28", std::nullopt},
        {"2200-01-01", 7'258'118'400'000},
        {"2999-01-01", std::nullopt},
        {"0001-01-01", std::nullopt},
    };
    ASSERT_EQ(cases.size(), 27U);
    for (const auto& [text, ms] : cases) {
        const auto parsed = parse_utc_date(text);
        ASSERT_EQ(parsed.has_value(), ms.has_value()) << text;
        if (ms) {
            EXPECT_EQ(*parsed, at_ms(*ms)) << text;
        }
    }
}

}  // namespace
