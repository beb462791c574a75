// compare_history: one table row per situation, every finding kind with its evidence, and no
// finding where nothing changed (equal values, letter case of case-insensitive identifiers).
#include <station/core/retest.hpp>

#include <gtest/gtest.h>

namespace {

using station::core::compare_history;
using station::core::DataCenter;
using station::core::Finding;
using station::core::FindingKind;
using station::core::ProvisionedUnit;
using station::core::Region;
using station::core::RetestedUnit;
using station::core::UnitHistory;

constexpr const char* k_seen = "run 12, pallet P1, bench-3, 2026-11-02";
constexpr const char* k_seen_other = "run 7, pallet P0, bench-1, 2026-10-01";

ProvisionedUnit provisioned() {
    return ProvisionedUnit{
        "LA51230001", "353270090000011", "89014104279999999995", "SWI9X50C_01.14.03.00",
        "xr90-na",    Region::na,        DataCenter::na,         true,
        k_seen};
}

RetestedUnit retested() {
    RetestedUnit unit;
    unit.identity.fsn = "LA51230001";
    unit.identity.imei = "353270090000011";
    unit.identity.iccid = "89014104279999999995";
    unit.identity.firmware = "SWI9X50C_01.14.03.00";
    unit.profile = "xr90-na";
    unit.region = Region::na;
    return unit;
}

struct Case {
    const char* name;
    UnitHistory history;
    RetestedUnit now;
    std::vector<Finding> expected;
};

template <class Edit>
RetestedUnit retested_with(Edit edit) {
    auto unit = retested();
    edit(unit);
    return unit;
}

template <class Edit>
ProvisionedUnit provisioned_with(Edit edit) {
    auto unit = provisioned();
    edit(unit);
    return unit;
}

std::vector<Case> cases() {
    const auto same = UnitHistory{provisioned(), std::nullopt};
    return {
        {"unchanged", same, retested(), {}},
        {"same record found by FSN and by IMEI", {provisioned(), provisioned()}, retested(), {}},
        {"letter case of FSN, ICCID and profile",
         same,
         retested_with([](auto& u) {
             u.identity.fsn = "la51230001";
             u.profile = "XR90-NA";
         }),
         {}},
        {"hex ICCID in other case",
         {provisioned_with([](auto& p) { p.iccid = "898604A6101770125379"; }), std::nullopt},
         retested_with([](auto& u) { u.identity.iccid = "898604a6101770125379"; }),
         {}},
        {"firmware newer",
         same,
         retested_with([](auto& u) { u.identity.firmware = "SWI9X50C_01.14.22.00"; }),
         {}},
        {"firmware equal in another spelling",
         same,
         retested_with([](auto& u) { u.identity.firmware = "swi9x50c_01.14.03"; }),
         {}},
        {"firmware unreadable",
         same,
         retested_with([](auto& u) { u.identity.firmware = "unknown"; }),
         {}},
        {"SKU undecided now: nothing to compare",
         same,
         retested_with([](auto& u) {
             u.profile.clear();
             u.region.reset();
         }),
         {}},
        {"never provisioned",
         {},
         retested(),
         {{FindingKind::never_provisioned, "", "FSN LA51230001, IMEI 353270090000011", ""}}},
        {"SIM swapped",
         same,
         retested_with([](auto& u) { u.identity.iccid = "89014104270000000004"; }),
         {{FindingKind::sim_swapped, "89014104279999999995", "89014104270000000004", k_seen}}},
        {"SIM removed",
         same,
         retested_with([](auto& u) { u.identity.iccid.clear(); }),
         {{FindingKind::sim_swapped, "89014104279999999995", "", k_seen}}},
        {"module replaced: same FSN, other IMEI",
         same,
         retested_with([](auto& u) { u.identity.imei = "353270090000029"; }),
         {{FindingKind::imei_changed, "353270090000011", "353270090000029", k_seen}}},
        {"module moved here from another unit: its IMEI's record holds another FSN",
         {std::nullopt, provisioned_with([](auto& p) {
              p.fsn = "LA51230099";
              p.seen = k_seen_other;
          })},
         retested(),
         {{FindingKind::fsn_changed, "LA51230099", "LA51230001", k_seen_other}}},
        {"both records: own FSN with another IMEI, this IMEI in another unit",
         {provisioned_with([](auto& p) { p.imei = "353270090000029"; }),
          provisioned_with([](auto& p) {
              p.fsn = "LA51230099";
              p.seen = k_seen_other;
          })},
         retested(),
         {{FindingKind::imei_changed, "353270090000029", "353270090000011", k_seen},
          {FindingKind::fsn_changed, "LA51230099", "LA51230001", k_seen_other}}},
        {"provisioned Global, now reads as NA",
         {provisioned_with([](auto& p) {
              p.profile = "xr90-global";
              p.region = Region::global;
              p.data_center = DataCenter::eu;
          }),
          std::nullopt},
         retested(),
         {{FindingKind::sku_changed, "xr90-global (global)", "xr90-na (na)", k_seen}}},
        {"same profile name, other region",
         same,
         retested_with([](auto& u) { u.region = Region::global; }),
         {{FindingKind::sku_changed, "xr90-na (na)", "xr90-na (global)", k_seen}}},
        {"never registered",
         {provisioned_with([](auto& p) { p.registered = false; }), std::nullopt},
         retested(),
         {{FindingKind::not_registered, "queued for na", "not registered", k_seen}}},
        {"firmware downgraded",
         same,
         retested_with([](auto& u) { u.identity.firmware = "SWI9X50C_01.09.00.00"; }),
         {{FindingKind::firmware_downgraded, "SWI9X50C_01.14.03.00", "SWI9X50C_01.09.00.00",
           k_seen}}},
        {"every finding at once, in kind order",
         {provisioned_with([](auto& p) {
              p.registered = false;
              p.region = Region::global;
              p.data_center = DataCenter::eu;
          }),
          std::nullopt},
         retested_with([](auto& u) {
             u.identity.firmware = "SWI9X50C_01.00.00.00";
             u.identity.iccid = "89014104270000000004";
             u.identity.imei = "353270090000029";
         }),
         {{FindingKind::imei_changed, "353270090000011", "353270090000029", k_seen},
          {FindingKind::sku_changed, "xr90-na (global)", "xr90-na (na)", k_seen},
          {FindingKind::sim_swapped, "89014104279999999995", "89014104270000000004", k_seen},
          {FindingKind::not_registered, "queued for eu", "not registered", k_seen},
          {FindingKind::firmware_downgraded, "SWI9X50C_01.14.03.00", "SWI9X50C_01.00.00.00",
           k_seen}}},
    };
}

void expect_same(const std::vector<Finding>& got, const std::vector<Finding>& want,
                 const char* name) {
    ASSERT_EQ(got.size(), want.size()) << name;
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].kind, want[i].kind) << name << " #" << i;
        EXPECT_EQ(got[i].before, want[i].before) << name << " #" << i;
        EXPECT_EQ(got[i].now, want[i].now) << name << " #" << i;
        EXPECT_EQ(got[i].seen, want[i].seen) << name << " #" << i;
    }
}

TEST(CompareHistory, EachSituationGivesItsFindings) {
    for (const auto& c : cases())
        expect_same(compare_history(c.history, c.now), c.expected, c.name);
}

}  // namespace
