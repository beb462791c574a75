// The NA/Global decision rules, table-driven, with real ICCID prefixes (DOMAIN.md).
#include <station/core/sku_decision.hpp>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace station::core {
namespace {

SkuProfile profile(std::string name, std::string family, Region region,
                   std::vector<std::string> models, std::vector<std::string> images,
                   std::vector<std::string> prefixes, std::string min_fw = "01.14.00.00") {
    SkuProfile p;
    p.name = std::move(name);
    p.family = std::move(family);
    p.region = region;
    p.signals = {std::move(models), std::move(images), std::move(prefixes)};
    p.min_firmware = std::move(min_fw);
    return p;
}

const std::vector<std::string> k_na_images{"ATT", "TMO", "VZW"};
const std::vector<std::string> k_eu_images{"VODAFONE", "ORANGE", "TELEFONICA"};
// AT&T 89014, T-Mobile 8901260, Verizon 891480; Sierra EU SmartSIM 89332401, Vodafone DE 894920,
// Orange FR 893301, Telefonica ES 893407.
const std::vector<std::string> k_na_prefixes{"89014", "8901260", "891480"};
const std::vector<std::string> k_eu_prefixes{"89332401", "894920", "893301", "893407"};

std::vector<SkuProfile> profile_set() {
    return {
        profile("xr90-na", "xr90", Region::na, {"XR90-1104513", "XR90-NA*"}, k_na_images,
                k_na_prefixes),
        profile("xr90-global", "xr90", Region::global, {"XR90-1104514", "XR90-WW*"}, k_eu_images,
                k_eu_prefixes),
        profile("xr80-na", "xr80", Region::na, {"XR80-1104521"}, k_na_images, k_na_prefixes),
        profile("xr80-global", "xr80", Region::global, {"XR80-1104522"}, k_eu_images,
                k_eu_prefixes),
    };
}

const std::string k_fw = "SWI9X50C_01.14.22.00 7e1c2a jenkins 2022/10/11 09:31:00";

Identity unit(std::string model, std::vector<std::string> images, std::string iccid,
              std::string fw = k_fw) {
    Identity id;
    id.model = std::move(model);
    id.carrier_images = std::move(images);
    id.iccid = std::move(iccid);
    id.firmware = std::move(fw);
    return id;
}

const SkuProfile* find(const std::vector<SkuProfile>& set, std::string_view name) {
    for (const auto& p : set) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

// --- every combination of agreeing, disagreeing, neutral and absent cross-checks -------------

enum class Cross { agree, disagree, neutral, absent };

struct Combo {
    Region model_region;
    Cross images;
    Cross issuer;
};

std::string combo_name(const testing::TestParamInfo<Combo>& info) {
    const char* names[] = {"agree", "disagree", "neutral", "absent"};
    return std::string(info.param.model_region == Region::na ? "na" : "global") + "_images_" +
           names[static_cast<int>(info.param.images)] + "_issuer_" +
           names[static_cast<int>(info.param.issuer)];
}

std::vector<Combo> all_combos() {
    std::vector<Combo> out;
    for (auto r : {Region::na, Region::global}) {
        for (auto i : {Cross::agree, Cross::disagree, Cross::neutral, Cross::absent}) {
            for (auto s : {Cross::agree, Cross::disagree, Cross::neutral, Cross::absent}) {
                out.push_back({r, i, s});
            }
        }
    }
    return out;
}

class SkuSignalCombination : public testing::TestWithParam<Combo> {};

TEST_P(SkuSignalCombination, PassesOnlyWhenNoSignalDisagrees) {
    const Combo c = GetParam();
    const bool na = c.model_region == Region::na;
    const std::string model = na ? "XR90-1104513" : "XR90-1104514";
    std::vector<std::string> images;
    if (c.images == Cross::agree) images = {na ? "ATT" : "VODAFONE", "GENERIC"};
    if (c.images == Cross::disagree) images = {na ? "ORANGE" : "TMO"};
    if (c.images == Cross::neutral) images = {"GENERIC"};
    std::string iccid;  // 20-digit NA, 19-digit EU, Japanese (8981, listed by nobody)
    const std::string na_iccid = "89014104273001549164";
    const std::string eu_iccid = "8933240100123456784";
    if (c.issuer == Cross::agree) iccid = na ? na_iccid : eu_iccid;
    if (c.issuer == Cross::disagree) iccid = na ? eu_iccid : na_iccid;
    if (c.issuer == Cross::neutral) iccid = "8981100022152928491";

    const auto set = profile_set();
    const auto d = decide_sku(unit(model, images, iccid), set, nullptr);
    const bool conflict = c.images == Cross::disagree || c.issuer == Cross::disagree;
    if (conflict) {
        EXPECT_EQ(d.outcome, Outcome::fail);
        EXPECT_EQ(d.reason, Reason::sku_conflicting_signals) << d.message;
        EXPECT_FALSE(d.region);
        EXPECT_FALSE(d.data_center);
    } else {
        EXPECT_EQ(d.outcome, Outcome::pass) << d.message;
        EXPECT_EQ(d.region, c.model_region);
        EXPECT_EQ(d.data_center, na ? DataCenter::na : DataCenter::eu);
        EXPECT_EQ(d.profile, na ? "xr90-na" : "xr90-global");
    }
    // Every signal is reported, neutral ones too.
    ASSERT_FALSE(d.signals.empty());
    EXPECT_EQ(d.signals.front().signal, "model");
    EXPECT_EQ(d.signals.front().vote, c.model_region);
    const auto issuer_votes = std::count_if(d.signals.begin(), d.signals.end(),
                                            [](auto& v) { return v.signal == "iccid_issuer"; });
    EXPECT_EQ(issuer_votes, c.issuer == Cross::absent ? 0 : 1);
}

INSTANTIATE_TEST_SUITE_P(All, SkuSignalCombination, testing::ValuesIn(all_combos()), combo_name);

// --- each reason code, with its message --------------------------------------------------------

struct ReasonCase {
    std::string name;
    Identity identity;
    std::string expected;  // pallet profile, "" for none
    Outcome outcome;
    std::optional<Reason> reason;
    std::string message_has;
};

std::vector<ReasonCase> reason_cases() {
    return {
        {"na_pass_att_20", unit("XR90-1104513", {"ATT"}, "89014104273001549164"), "xr90-na",
         Outcome::pass, std::nullopt, "-> na data center (https://na.airvantage.net)"},
        {"na_pass_tmo_19", unit("XR80-1104521", {"TMO"}, "8901260123456789011"), "xr80-na",
         Outcome::pass, std::nullopt, "NA xr80"},
        {"na_pass_verizon", unit("XR90-NA-7", {"VZW"}, "89148000001234567815"), "xr90-na",
         Outcome::pass, std::nullopt, "model XR90-NA-7"},
        {"global_pass_smartsim_19", unit("XR90-1104514", {"GENERIC"}, "8933240100123456784"),
         "xr90-global", Outcome::pass, std::nullopt,
         "-> eu data center (https://eu.airvantage.net)"},
        {"global_pass_vodafone_de", unit("XR90-WW-2", {"VODAFONE"}, "89492026111111111111"), "",
         Outcome::pass, std::nullopt, "Global xr90"},
        {"global_pass_orange_fr", unit("XR80-1104522", {}, "8933011234567890128"), "",
         Outcome::pass, std::nullopt, "Global xr80"},
        {"global_pass_telefonica_es", unit("XR80-1104522", {}, "89340712345678901238"), "",
         Outcome::pass, std::nullopt, "Global xr80"},
        {"model_case_insensitive", unit("xr90-na-lower", {"att"}, "89014104273001549164"), "",
         Outcome::pass, std::nullopt, "NA xr90"},
        {"unknown_model", unit("XR99-0000001", {"ATT"}, "89014104273001549164"), "", Outcome::fail,
         Reason::sku_unknown, "model XR99-0000001 matches none of 4 profiles"},
        {"no_model", unit("", {"ATT"}, "89014104273001549164"), "", Outcome::fail,
         Reason::sku_unknown, "reported no model"},
        {"global_unit_na_sim", unit("XR90-1104514", {"GENERIC"}, "89014104273001549164"), "",
         Outcome::fail, Reason::sku_conflicting_signals,
         "model XR90-1104514 says Global (xr90-global), but iccid_issuer 89014104273001549164 "
         "says NA"},
        {"na_model_eu_images", unit("XR90-1104513", {"VODAFONE", "ORANGE"}, ""), "", Outcome::fail,
         Reason::sku_conflicting_signals,
         "carrier_image VODAFONE says Global; carrier_image "
         "ORANGE says Global"},
        {"conflict_before_mismatch", unit("XR90-1104514", {"ATT"}, ""), "xr90-na", Outcome::fail,
         Reason::sku_conflicting_signals, "carrier_image ATT says NA"},
        {"global_on_na_pallet", unit("XR90-1104514", {"GENERIC"}, "8933240100123456784"), "xr90-na",
         Outcome::fail, Reason::sku_mismatch,
         "unit reports Global xr90 (model XR90-1104514), pallet profile is xr90-na"},
        {"na_on_global_pallet", unit("XR90-1104513", {"ATT"}, "89014104273001549164"),
         "xr90-global", Outcome::fail, Reason::sku_mismatch,
         "unit reports NA xr90 (model XR90-1104513), pallet profile is xr90-global"},
        {"other_family_same_region", unit("XR80-1104521", {"TMO"}, "8901260123456789011"),
         "xr90-na", Outcome::fail, Reason::sku_mismatch,
         "unit reports NA xr80 (model XR80-1104521), pallet profile is xr90-na"},
        {"firmware_older", unit("XR90-1104513", {"ATT"}, "", "SWI9X50C_01.08.04.00 dbb5d0"), "",
         Outcome::fail, Reason::firmware_too_old,
         "'SWI9X50C_01.08.04.00 dbb5d0' is older than xr90-na's minimum 01.14.00.00"},
        {"firmware_equal", unit("XR90-1104513", {"ATT"}, "", "SWI9X50C_01.14.00.00"), "",
         Outcome::pass, std::nullopt, "NA xr90"},
        {"firmware_newer_major", unit("XR90-1104513", {"ATT"}, "", "SWI9X50C_02.01.03"), "",
         Outcome::pass, std::nullopt, "NA xr90"},
        {"firmware_unreadable", unit("XR90-1104513", {"ATT"}, "", "unknown build"), "",
         Outcome::fail, Reason::firmware_too_old, "has no version number"},
        {"mismatch_before_firmware", unit("XR90-1104514", {}, "", "SWI9X50C_01.01.00.00"),
         "xr90-na", Outcome::fail, Reason::sku_mismatch, "pallet profile is xr90-na"},
        {"hostile_model_sanitized", unit("XR99\x1b[2J", {}, ""), "", Outcome::fail,
         Reason::sku_unknown, "model XR99\\x1b[2J matches none"},
    };
}

class SkuReason : public testing::TestWithParam<ReasonCase> {};

TEST_P(SkuReason, EndsInItsOutcomeAndReason) {
    const auto& c = GetParam();
    const auto set = profile_set();
    const SkuProfile* expected = c.expected.empty() ? nullptr : find(set, c.expected);
    const auto d = decide_sku(c.identity, set, expected);
    EXPECT_EQ(d.outcome, c.outcome) << d.message;
    EXPECT_EQ(d.reason, c.reason) << d.message;
    EXPECT_NE(d.message.find(c.message_has), std::string::npos) << d.message;
    EXPECT_EQ(d.message.find('\x1b'), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Table, SkuReason, testing::ValuesIn(reason_cases()),
                         [](const auto& test_case) { return test_case.param.name; });

// --- profile-set corner cases ------------------------------------------------------------------

TEST(SkuDecision, ModelMatchingTwoProfilesIsAConflictNotAGuess) {
    auto set = profile_set();
    set.push_back(profile("xr90-na-bis", "xr90", Region::na, {"XR90-11045*"}, {}, {}));
    const auto d = decide_sku(unit("XR90-1104513", {}, ""), set, nullptr);
    EXPECT_EQ(d.reason, Reason::sku_conflicting_signals);
    EXPECT_NE(d.message.find("xr90-na, xr90-na-bis"), std::string::npos) << d.message;
    EXPECT_TRUE(d.profile.empty());
}

TEST(SkuDecision, CarrierImageListedForBothRegionsIsNeutral) {
    auto set = profile_set();
    set[0].signals.carrier_images.push_back("ROAMING");
    set[1].signals.carrier_images.push_back("ROAMING");
    const auto d = decide_sku(unit("XR90-1104514", {"ROAMING"}, ""), set, nullptr);
    EXPECT_EQ(d.outcome, Outcome::pass) << d.message;
    ASSERT_EQ(d.signals.size(), 2U);
    EXPECT_FALSE(d.signals[1].vote);
    EXPECT_NE(d.signals[1].basis.find("both regions"), std::string::npos);
}

TEST(SkuDecision, LongestIssuerPrefixDecides) {
    auto set = profile_set();
    set[0].signals.iccid_prefixes.push_back("8933");  // a broad NA prefix under the EU one
    const auto eu = decide_sku(unit("XR90-1104514", {}, "8933240100123456784"), set, nullptr);
    EXPECT_EQ(eu.outcome, Outcome::pass) << eu.message;
    EXPECT_EQ(eu.signals.back().vote, Region::global);
    EXPECT_NE(eu.signals.back().basis.find("issuer prefix 89332401"), std::string::npos);
    const auto na = decide_sku(unit("XR90-1104514", {}, "8933991234567890123"), set, nullptr);
    EXPECT_EQ(na.reason, Reason::sku_conflicting_signals) << na.message;
}

TEST(SkuDecision, DuplicateCarrierImagesVoteOnce) {
    const auto set = profile_set();
    const auto d = decide_sku(unit("XR90-1104513", {"ATT", "att", "GENERIC"}, ""), set, nullptr);
    EXPECT_EQ(d.signals.size(), 3U);  // model, ATT, GENERIC
}

TEST(SkuDecision, NoProfilesIsUnknown) {
    const auto d = decide_sku(unit("XR90-1104513", {}, ""), {}, nullptr);
    EXPECT_EQ(d.reason, Reason::sku_unknown);
}

// --- helpers -----------------------------------------------------------------------------------

TEST(GlobMatch, Table) {
    EXPECT_TRUE(glob_match("XR90-*", "XR90-1104513"));
    EXPECT_TRUE(glob_match("xr90-*", "XR90-1104513"));
    EXPECT_TRUE(glob_match("XR?0-11*13", "XR90-1104513"));
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_TRUE(glob_match("**13", "XR90-1104513"));
    EXPECT_FALSE(glob_match("XR90-*", "XR80-1104513"));
    EXPECT_FALSE(glob_match("XR90", "XR90-1104513"));
    EXPECT_FALSE(glob_match("XR90-?", "XR90-"));
    EXPECT_FALSE(glob_match("", "X"));
    // Pathological patterns stay fast (one backtrack point).
    EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*b", std::string(4096, 'a')));
}

TEST(FirmwareVersion, Table) {
    using V = std::vector<long>;
    EXPECT_EQ(firmware_version("SWI9X50C_01.14.22.00 7e1c2a jenkins 2022/10/11"),
              (V{1, 14, 22, 0}));
    EXPECT_EQ(firmware_version("SWI9X30C_02.24.05.06 r7040"), (V{2, 24, 5, 6}));
    EXPECT_EQ(firmware_version("1.2"), (V{1, 2}));
    EXPECT_FALSE(firmware_version("r7040"));
    EXPECT_FALSE(firmware_version(""));
    EXPECT_FALSE(firmware_version("1.12345678901234"));
    EXPECT_EQ(compare_versions({1, 2}, {1, 2, 0}), 0);
    EXPECT_LT(compare_versions({1, 9}, {1, 10}), 0);
    EXPECT_GT(compare_versions({2}, {1, 99, 99}), 0);
}

}  // namespace
}  // namespace station::core
