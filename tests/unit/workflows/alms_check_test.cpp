// check_alms over two fake look-ups: where ALMS holds a returned unit, as findings, and ALMS down
// as an error (never an empty list).
#include <station/workflows/alms_check.hpp>

#include <gtest/gtest.h>

#include <optional>

#include <unit_numbers.hpp>

namespace {

using station::alms::RemoteSystem;
using station::core::DataCenter;
using station::core::Finding;
using station::core::FindingKind;
using station::core::Reason;
using station::core::Region;
using station::workflows::AlmsCheckUnit;
using station::workflows::AlmsLookup;
using tests::iccid_for;
using tests::imei_for;
using tests::serial_for;

class FakeLookup final : public AlmsLookup {
  public:
    station::core::Result<std::vector<RemoteSystem>> find_by_imei(
        const std::string& imei) override {
        ++calls;
        if (down) return station::core::fail(*down, "ALMS xx: down");
        std::vector<RemoteSystem> out;
        for (const auto& s : systems) {
            if (s.imei == imei) out.push_back(s);
        }
        return out;
    }
    std::vector<RemoteSystem> systems;
    std::optional<Reason> down;
    int calls = 0;
};

const std::string k_iccid = iccid_for(1);
const std::string k_old_iccid = iccid_for(2);

RemoteSystem system_with(const std::string& uid, const std::string& iccid) {
    return RemoteSystem{uid, serial_for(1), imei_for(1), serial_for(1), iccid, ""};
}

struct Case {
    const char* name;
    Region region;
    std::vector<RemoteSystem> in_na;
    std::vector<RemoteSystem> in_eu;
    std::vector<Finding> findings;
};

TEST(CheckAlms, FindingsFromWhereALMSHoldsTheUnit) {
    const std::vector<Case> table{
        {"NA unit in NA with its ICCID: nothing", Region::na, {system_with("u1", k_iccid)}, {}, {}},
        {"Global unit in EU with its ICCID: nothing",
         Region::global,
         {},
         {system_with("u2", k_iccid)},
         {}},
        {"nowhere: missing",
         Region::na,
         {},
         {},
         {{FindingKind::alms_missing, "",
           "no system with IMEI " + imei_for(1) + " in ALMS na or eu", "ALMS na, ALMS eu"}}},
        {"NA unit only in EU: wrong data center",
         Region::na,
         {},
         {system_with("u2", k_iccid)},
         {{FindingKind::alms_wrong_data_center, "ALMS eu", "ALMS na (region NA)",
           "ALMS eu, system u2"}}},
        {"Global unit only in NA: wrong data center",
         Region::global,
         {system_with("u1", k_old_iccid)},
         {},
         {{FindingKind::alms_wrong_data_center, "ALMS na", "ALMS eu (region Global)",
           "ALMS na, system u1"}}},
        {"in both: duplicate",
         Region::na,
         {system_with("u1", k_iccid)},
         {system_with("u2", k_iccid)},
         {{FindingKind::alms_duplicate, "ALMS eu, system u2", "ALMS na, system u1",
           "ALMS na, system u1; ALMS eu, system u2"}}},
        {"in the right one with another ICCID: stale",
         Region::na,
         {system_with("u1", k_old_iccid)},
         {},
         {{FindingKind::alms_iccid_stale, k_old_iccid, k_iccid, "ALMS na, system u1"}}},
        {"in both, the right one stale: duplicate and stale",
         Region::global,
         {system_with("u1", k_iccid)},
         {system_with("u2", k_old_iccid)},
         {{FindingKind::alms_duplicate, "ALMS na, system u1", "ALMS eu, system u2",
           "ALMS eu, system u2; ALMS na, system u1"},
          {FindingKind::alms_iccid_stale, k_old_iccid, k_iccid, "ALMS eu, system u2"}}},
    };
    for (const auto& t : table) {
        SCOPED_TRACE(t.name);
        FakeLookup na;
        FakeLookup eu;
        na.systems = t.in_na;
        eu.systems = t.in_eu;
        const auto dc = station::core::data_center_for(t.region);
        const auto found = station::workflows::check_alms(
            na, eu, AlmsCheckUnit{imei_for(1), k_iccid, t.region, dc});
        ASSERT_TRUE(found) << found.error().message;
        ASSERT_EQ(found->size(), t.findings.size());
        for (std::size_t i = 0; i < t.findings.size(); ++i) {
            EXPECT_EQ(station::core::to_string((*found)[i].kind),
                      station::core::to_string(t.findings[i].kind));
            EXPECT_EQ((*found)[i].before, t.findings[i].before);
            EXPECT_EQ((*found)[i].now, t.findings[i].now);
            EXPECT_EQ((*found)[i].seen, t.findings[i].seen);
        }
        EXPECT_EQ(na.calls, 1);  // both data centers, always
        EXPECT_EQ(eu.calls, 1);
    }
}

TEST(CheckAlms, ALookUpThatCannotAnswerIsAnErrorNeverAnEmptyList) {
    const std::vector<std::pair<const char*, Reason>> table{
        {"na", Reason::alms_unavailable},
        {"eu", Reason::alms_unavailable},
        {"eu", Reason::alms_auth_refused},
        {"na", Reason::alms_tls_failed},
    };
    for (const auto& [which, reason] : table) {
        SCOPED_TRACE(std::string(which) + " " + std::string(station::core::to_string(reason)));
        auto na = std::make_shared<FakeLookup>();
        auto eu = std::make_shared<FakeLookup>();
        (std::string(which) == "na" ? na : eu)->down = reason;
        const auto hook = station::workflows::make_alms_check(na, eu);
        station::core::Identity identity;
        identity.imei = imei_for(1);
        identity.iccid = k_iccid;
        const auto found = hook(identity, Region::na, DataCenter::na);
        ASSERT_FALSE(found);
        EXPECT_EQ(found.error().reason, reason);
        EXPECT_NE(found.error().message.find("ALMS check"), std::string::npos);
    }
}

TEST(CheckAlms, TheHookPassesTheIdentityAndAMissingLookUpFails) {
    auto na = std::make_shared<FakeLookup>();
    auto eu = std::make_shared<FakeLookup>();
    eu->systems = {system_with("u2", k_old_iccid)};
    station::core::Identity identity;
    identity.imei = imei_for(1);
    identity.iccid = k_iccid;
    const auto found =
        station::workflows::make_alms_check(na, eu)(identity, Region::global, DataCenter::eu);
    ASSERT_TRUE(found);
    ASSERT_EQ(found->size(), 1U);
    EXPECT_EQ(found->front().kind, FindingKind::alms_iccid_stale);

    const auto without_eu =
        station::workflows::make_alms_check(na, nullptr)(identity, Region::global, DataCenter::eu);
    ASSERT_FALSE(without_eu);
    EXPECT_EQ(without_eu.error().reason, Reason::alms_unavailable);
}

}  // namespace
