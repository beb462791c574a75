#include <station/core/finding.hpp>

#include <gtest/gtest.h>

namespace {

using station::core::DepotAction;
using station::core::Finding;
using station::core::FindingKind;
using station::core::Reason;

TEST(Finding, EveryKindRoundTripsItsName) {
    for (int i = 0; i <= static_cast<int>(FindingKind::firmware_downgraded); ++i) {
        const auto kind = static_cast<FindingKind>(i);
        const auto back = station::core::finding_kind_from_string(station::core::to_string(kind));
        ASSERT_TRUE(back.has_value()) << i;
        EXPECT_EQ(*back, kind);
    }
    EXPECT_EQ(station::core::to_string(FindingKind::alms_iccid_stale), "alms_iccid_stale");
    EXPECT_FALSE(station::core::finding_kind_from_string("sim_swap").has_value());
}

TEST(Finding, BlockingKindsFailWithTheReasonOfTheirName) {
    EXPECT_EQ(station::core::reason_of(FindingKind::sim_swapped), Reason::sim_swapped);
    EXPECT_EQ(station::core::reason_of(FindingKind::alms_wrong_data_center),
              Reason::alms_wrong_data_center);
    EXPECT_EQ(station::core::to_string(Reason::never_provisioned), "never_provisioned");
    EXPECT_EQ(station::core::outcome_of(Reason::not_registered), station::core::Outcome::fail);
    EXPECT_FALSE(station::core::is_blocking(FindingKind::firmware_downgraded));
    EXPECT_FALSE(station::core::reason_of(FindingKind::firmware_downgraded).has_value());
}

TEST(Finding, FirstBlockingFollowsTheKindOrderNotTheListOrder) {
    const std::vector<Finding> findings{
        Finding{FindingKind::firmware_downgraded, "R2", "R1", ""},
        Finding{FindingKind::not_registered, "", "", ""},
        Finding{FindingKind::sim_swapped, "8901", "8902", "run 3"},
    };
    EXPECT_EQ(station::core::first_blocking(findings), Reason::sim_swapped);
    EXPECT_FALSE(station::core::first_blocking({findings[0]}).has_value());
    EXPECT_FALSE(station::core::first_blocking({}).has_value());
}

TEST(Finding, TheMostDrasticActionWins) {
    EXPECT_EQ(station::core::action_for({}), DepotAction::ship_back);
    EXPECT_EQ(station::core::action_for({Finding{FindingKind::firmware_downgraded}}),
              DepotAction::ship_back);
    EXPECT_EQ(station::core::action_for({Finding{FindingKind::sim_swapped}}),
              DepotAction::re_register);
    EXPECT_EQ(station::core::action_for(
                  {Finding{FindingKind::sim_swapped}, Finding{FindingKind::imei_changed}}),
              DepotAction::scrap);
    EXPECT_EQ(station::core::to_string(DepotAction::replace_sim), "replace SIM");
}

}  // namespace
