// The NA/Global decision rules, table-driven: the manifest as the primary signal, the unit's own
// signals as vetoes, and without a manifest two independent sources or no decision at all.
// Tables here are small hand-built ones with real prefixes (DOMAIN.md "Second reading"); every
// row of the shipped networks.toml is walked by tests/unit/profiles/sku_evidence_test.cpp.
#include <station/core/sku_decision.hpp>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace station::core {
namespace {

SkuProfile profile(std::string name, std::string family, Region region,
                   std::vector<std::string> modules, std::vector<std::string> parts,
                   std::string min_fw = "01.14.00.00") {
    SkuProfile p;
    p.name = std::move(name);
    p.family = std::move(family);
    p.region = region;
    p.signals.module_models = std::move(modules);
    p.part_numbers = std::move(parts);
    p.min_firmware = std::move(min_fw);
    return p;
}

std::vector<SkuProfile> profile_set() {
    return {
        profile("xr90-na", "xr90", Region::na, {"EM7565*"}, {"1104513"}),
        profile("xr90-global", "xr90", Region::global, {"EM7565*"}, {"1104514"}),
        profile("xr80-na", "xr80", Region::na, {"EM7511*"}, {"1104521"}),
        profile("xr80-global", "xr80", Region::global, {"EM7511*"}, {"1104522"}),
    };
}

SignalTables tables() {
    SignalTables t;
    t.source = "networks.toml";
    t.home_networks = {{"310", "USA", Region::na, 1},
                       {"2", "Europe", Region::global, 2},
                       {"20601", "Smart SIM", std::nullopt, 3}};
    t.issuers = {{"8901410", "AT&T", "US", Region::na, 4},
                 {"894920", "Vodafone DE", "DE", Region::global, 5},
                 {"89332401", "Sierra Wireless Smart SIM", "", std::nullopt, 6}};
    t.carrier_images = {{"ATT", Region::na, 7}, {"GENERIC", std::nullopt, 8}};
    return t;
}

const std::string k_fw = "SWI9X50C_01.14.22.00 7e1c2a jenkins 2022/10/11 09:31:00";
constexpr const char* k_att_iccid = "89014104273001549164";
constexpr const char* k_att_imsi = "310410730015491";
constexpr const char* k_smart_iccid = "89332401001234567890";
constexpr const char* k_smart_imsi = "206010012345678";
constexpr const char* k_vodafone_iccid = "89492001234567890123";
constexpr const char* k_vodafone_imsi = "262021234567890";

Identity unit(std::string imsi, std::string iccid, std::vector<std::string> images,
              std::string model = "EM7565") {
    Identity id;
    id.model = std::move(model);
    id.firmware = k_fw;
    id.fsn = "XR9N2301280017";
    id.imei = "354125080012765";
    id.imsi = std::move(imsi);
    id.iccid = std::move(iccid);
    id.carrier_images = std::move(images);
    return id;
}

Manifest manifest_with(std::string part, std::string iccid = "") {
    ManifestLine line{
        2, "XR9N2301280017", "354125080012765", std::move(part), std::move(iccid), "PO-9", "c-1"};
    ManifestLine other{3, "XR9N2301280099", "354125080099991", "1104513", "", "", ""};
    return Manifest("pallet.csv", {line, other});
}

const SkuProfile* find(const std::vector<SkuProfile>& set, std::string_view name) {
    for (const auto& p : set) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

struct Case {
    const char* what;
    Identity identity;
    std::optional<std::string> manifest_part;  // nullopt: no manifest
    const char* expected;                      // pallet profile, "" for none
    Outcome outcome;
    std::optional<Reason> reason;
    const char* profile;  // decided_profile
    std::optional<DecisionBasis> basis;
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.what;
}

class Decide : public ::testing::TestWithParam<Case> {};

TEST_P(Decide, FollowsTheRules) {
    const auto& c = GetParam();
    const auto set = profile_set();
    const auto t = tables();
    std::optional<Manifest> m;
    if (c.manifest_part) m = manifest_with(*c.manifest_part);
    const SkuEvidence ev{set, &t, *c.expected ? find(set, c.expected) : nullptr, m ? &*m : nullptr};
    const auto d = decide_sku(c.identity, ev);
    EXPECT_EQ(d.outcome, c.outcome) << d.message;
    EXPECT_EQ(d.reason, c.reason) << d.message;
    EXPECT_EQ(decided_profile(d), c.profile) << d.message;
    EXPECT_EQ(d.basis, c.basis) << d.message;
    EXPECT_FALSE(d.message.empty());
    if (d.outcome == Outcome::pass) {
        ASSERT_TRUE(d.data_center && d.region);
        EXPECT_EQ(*d.data_center, data_center_for(*d.region));
    }
}

INSTANTIATE_TEST_SUITE_P(
    Manifest, Decide,
    ::testing::Values(
        Case{"NA part number, AT&T SIM, ATT image", unit(k_att_imsi, k_att_iccid, {"ATT"}),
             "1104513", "xr90-na", Outcome::pass, std::nullopt, "xr90-na", DecisionBasis::manifest},
        Case{"Global part number, Smart SIM (neutral) and GENERIC: the manifest decides",
             unit(k_smart_imsi, k_smart_iccid, {"GENERIC"}), "1104514", "xr90-global",
             Outcome::pass, std::nullopt, "xr90-global", DecisionBasis::manifest},
        Case{"NA part number, Smart SIM: the manifest decides NA",
             unit(k_smart_imsi, k_smart_iccid, {}), "1104513", "", Outcome::pass, std::nullopt,
             "xr90-na", DecisionBasis::manifest},
        Case{"a Global unit on an NA manifest: the SIM vetoes",
             unit(k_vodafone_imsi, k_vodafone_iccid, {}), "1104513", "xr90-na", Outcome::fail,
             Reason::sku_conflicting_signals, "", std::nullopt},
        Case{"Global part number, AT&T SIM and ATT image: vetoed",
             unit(k_att_imsi, k_att_iccid, {"ATT"}), "1104514", "xr90-global", Outcome::fail,
             Reason::sku_conflicting_signals, "", std::nullopt},
        Case{"module of another family: vetoed", unit(k_att_imsi, k_att_iccid, {}, "EM9191"),
             "1104513", "xr90-na", Outcome::fail, Reason::sku_conflicting_signals, "",
             std::nullopt},
        Case{"the manifest's profile is not the pallet's", unit(k_att_imsi, k_att_iccid, {"ATT"}),
             "1104513", "xr80-na", Outcome::fail, Reason::sku_mismatch, "xr90-na",
             DecisionBasis::manifest},
        Case{"old firmware",
             [] {
                 auto id = unit(k_att_imsi, k_att_iccid, {});
                 id.firmware = "SWI9X50C_01.07.02.00";
                 return id;
             }(),
             "1104513", "xr90-na", Outcome::fail, Reason::firmware_too_old, "xr90-na",
             DecisionBasis::manifest},
        Case{"part number no profile lists", unit(k_att_imsi, k_att_iccid, {}), "9999999", "",
             Outcome::fail, Reason::sku_unknown, "", std::nullopt}));

INSTANTIATE_TEST_SUITE_P(
    UnitSignals, Decide,
    ::testing::Values(
        Case{"AT&T SIM + ATT image, pallet xr90-na: two sources agree",
             unit(k_att_imsi, k_att_iccid, {"ATT"}), std::nullopt, "xr90-na", Outcome::pass,
             std::nullopt, "xr90-na", DecisionBasis::unit_signals},
        Case{"two sources agree, no pallet profile: the module names the family",
             unit(k_att_imsi, k_att_iccid, {"ATT"}, "EM7511"), std::nullopt, "", Outcome::pass,
             std::nullopt, "xr80-na", DecisionBasis::unit_signals},
        Case{"the SIM alone (home network and issuer are one card): undecided",
             unit(k_att_imsi, k_att_iccid, {}), std::nullopt, "xr90-na", Outcome::fail,
             Reason::sku_undecided, "", std::nullopt},
        Case{"the image alone: undecided", unit(k_smart_imsi, k_smart_iccid, {"ATT"}), std::nullopt,
             "xr90-na", Outcome::fail, Reason::sku_undecided, "", std::nullopt},
        Case{"a Global SIM without a manifest: images never prove Global, undecided",
             unit(k_vodafone_imsi, k_vodafone_iccid, {"GENERIC"}), std::nullopt, "xr90-global",
             Outcome::fail, Reason::sku_undecided, "", std::nullopt},
        Case{"neutral everything: undecided", unit(k_smart_imsi, k_smart_iccid, {"GENERIC"}),
             std::nullopt, "", Outcome::fail, Reason::sku_undecided, "", std::nullopt},
        Case{"Global SIM and ATT image disagree", unit(k_vodafone_imsi, k_vodafone_iccid, {"ATT"}),
             std::nullopt, "xr90-na", Outcome::fail, Reason::sku_conflicting_signals, "",
             std::nullopt},
        Case{"NA unit on a Global pallet", unit(k_att_imsi, k_att_iccid, {"ATT"}), std::nullopt,
             "xr90-global", Outcome::fail, Reason::sku_mismatch, "", std::nullopt},
        Case{"module carried by no NA profile", unit(k_att_imsi, k_att_iccid, {"ATT"}, "EM9191"),
             std::nullopt, "", Outcome::fail, Reason::sku_unknown, "", std::nullopt},
        Case{"module not what the pallet's family carries",
             unit(k_att_imsi, k_att_iccid, {"ATT"}, "EM9191"), std::nullopt, "xr90-na",
             Outcome::fail, Reason::sku_conflicting_signals, "", std::nullopt}));

TEST(DecideManifest, UnitNotOnTheManifestFailsNotOnManifest) {
    const auto set = profile_set();
    const auto t = tables();
    const auto m = manifest_with("1104513");
    auto id = unit(k_att_imsi, k_att_iccid, {"ATT"});
    id.fsn = "XR9N0000000001";
    id.imei = "490154203237518";
    const auto d = decide_sku(id, {set, &t, find(set, "xr90-na"), &m});
    EXPECT_EQ(d.reason, Reason::not_on_manifest) << d.message;
    EXPECT_FALSE(d.manifest_line);
    ASSERT_FALSE(d.signals.empty());
    EXPECT_EQ(d.signals.front().source, "manifest");
    EXPECT_FALSE(d.signals.front().vote);
}

TEST(DecideManifest, FsnAndImeiOnDifferentLinesFailManifestMismatch) {
    const auto set = profile_set();
    const auto t = tables();
    const auto m = manifest_with("1104513");
    auto id = unit(k_att_imsi, k_att_iccid, {"ATT"});
    id.imei = "354125080099991";  // line 3's IMEI, line 2's FSN
    const auto d = decide_sku(id, {set, &t, nullptr, &m});
    EXPECT_EQ(d.reason, Reason::manifest_mismatch) << d.message;
    EXPECT_NE(d.message.find("XR9N2301280017"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find("354125080099991"), std::string::npos) << d.message;
}

TEST(DecideManifest, ASimNotAsShippedFails) {
    const auto set = profile_set();
    const auto t = tables();
    const Manifest m("pallet.csv", {{2, "XR9N2301280017", "354125080012765", "1104513",
                                     "89014104273001549172", "", ""}});
    const auto d = decide_sku(unit(k_att_imsi, k_att_iccid, {"ATT"}), {set, &t, nullptr, &m});
    EXPECT_EQ(d.reason, Reason::sim_not_as_shipped) << d.message;
    EXPECT_NE(d.message.find("89014104273001549172"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find("pallet.csv:2"), std::string::npos) << d.message;
    EXPECT_EQ(d.manifest_line, 0U) << "the line was the unit's: not missing from the pallet";
}

TEST(DecideManifest, TheMatchedLineAndItsVoteAreReported) {
    const auto set = profile_set();
    const auto t = tables();
    const auto m = manifest_with("1104513", k_att_iccid);
    const auto d = decide_sku(unit(k_att_imsi, k_att_iccid, {"ATT", "att", "GENERIC"}),
                              {set, &t, find(set, "xr90-na"), &m});
    ASSERT_EQ(d.outcome, Outcome::pass) << d.message;
    EXPECT_EQ(d.manifest_line, 0U);
    std::vector<std::string> sources;
    for (const auto& s : d.signals) sources.push_back(s.source);
    EXPECT_EQ(sources, (std::vector<std::string>{"manifest", "imsi", "iccid_issuer",
                                                 "carrier_image", "carrier_image", "module_model"}))
        << "ATT once in any case, GENERIC kept as a neutral vote";
    EXPECT_EQ(d.signals[0].vote, Region::na);
    EXPECT_NE(d.signals[0].basis.find("pallet.csv:2"), std::string::npos);
    EXPECT_EQ(d.signals[1].vote, Region::na);
    EXPECT_EQ(d.signals[2].vote, Region::na);
    EXPECT_FALSE(d.signals[4].vote) << "GENERIC is neutral";
    EXPECT_FALSE(d.signals[5].vote) << "a module model never votes a region";
}

TEST(DecideUnitSignals, LongestPrefixWinsSoTheSmartSimIsNeutralInEurope) {
    const auto t = tables();
    const auto votes = unit_votes(unit(k_smart_imsi, k_smart_iccid, {}), &t, {});
    ASSERT_GE(votes.size(), 2U);
    EXPECT_FALSE(votes[0].vote) << votes[0].basis;
    EXPECT_NE(votes[0].basis.find("Smart SIM"), std::string::npos) << votes[0].basis;
    EXPECT_FALSE(votes[1].vote) << votes[1].basis;
}

TEST(DecideUnitSignals, WithoutTablesEverySimAndImageIsNeutral) {
    const auto set = profile_set();
    const auto d =
        decide_sku(unit(k_att_imsi, k_att_iccid, {"ATT"}), {set, nullptr, nullptr, nullptr});
    EXPECT_EQ(d.reason, Reason::sku_undecided) << d.message;
}

TEST(DecideUnitSignals, SeveralProfilesCarryingTheModuleAreUndecided) {
    auto set = profile_set();
    set.push_back(profile("em7565", "em7565", Region::na, {"EM7565"}, {}));
    const auto t = tables();
    const auto d = decide_sku(unit(k_att_imsi, k_att_iccid, {"ATT"}), {set, &t, nullptr, nullptr});
    EXPECT_EQ(d.reason, Reason::sku_undecided) << d.message;
    EXPECT_NE(d.message.find("xr90-na, em7565"), std::string::npos) << d.message;
}

TEST(DecideNames, BasisNames) {
    EXPECT_EQ(to_string(DecisionBasis::manifest), "manifest");
    EXPECT_EQ(to_string(DecisionBasis::unit_signals), "unit_signals");
}

}  // namespace
}  // namespace station::core
