#include <station/core/reason.hpp>

#include <gtest/gtest.h>

namespace {

using station::core::Outcome;
using station::core::Reason;

TEST(Reason, RoundTripsEveryCode) {
    for (int i = 0; i <= static_cast<int>(Reason::aborted); ++i) {
        const auto reason = static_cast<Reason>(i);
        const auto name = station::core::to_string(reason);
        const auto back = station::core::reason_from_string(name);
        ASSERT_TRUE(back.has_value()) << name;
        EXPECT_EQ(*back, reason);
    }
    EXPECT_FALSE(station::core::reason_from_string("no_such_reason").has_value());
}

TEST(Reason, OutcomeOfUnitAndStationFaults) {
    EXPECT_EQ(station::core::outcome_of(Reason::sim_not_inserted), Outcome::fail);
    EXPECT_EQ(station::core::outcome_of(Reason::iccid_invalid), Outcome::fail);
    EXPECT_EQ(station::core::outcome_of(Reason::no_response), Outcome::error);
    EXPECT_EQ(station::core::outcome_of(Reason::port_lost), Outcome::error);
    EXPECT_EQ(station::core::outcome_of(Reason::aborted), Outcome::aborted);
    EXPECT_EQ(station::core::outcome_of(Reason::sku_conflicting_signals), Outcome::fail);
    EXPECT_EQ(station::core::outcome_of(Reason::duplicate_imei), Outcome::fail);
    EXPECT_EQ(station::core::outcome_of(Reason::store_error), Outcome::error);
}

TEST(Outcome, WorstIsMostSevere) {
    EXPECT_EQ(station::core::worst(Outcome::pass, Outcome::fail), Outcome::fail);
    EXPECT_EQ(station::core::worst(Outcome::error, Outcome::fail), Outcome::error);
    EXPECT_EQ(station::core::worst(Outcome::aborted, Outcome::error), Outcome::aborted);
    EXPECT_EQ(station::core::to_string(Outcome::pass), "PASS");
}

}  // namespace
