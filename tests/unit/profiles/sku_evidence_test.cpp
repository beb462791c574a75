// The SKU decision over every row of the shipped evidence tables (profiles/networks.toml) and
// the shipped profiles: for each home network and each SIM issuer, what a unit with that SIM is
// decided as with a manifest of either region, and without one (with and without an NA carrier
// image). A row that votes the other region vetoes the manifest; a neutral row never decides.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <profiles/loader.hpp>
#include <station/core/sku_decision.hpp>

namespace {

using station::core::DecisionBasis;
using station::core::Identity;
using station::core::Manifest;
using station::core::Outcome;
using station::core::Reason;
using station::core::Region;

constexpr const char* k_fsn = "XR9N2301280017";
constexpr const char* k_imei = "354125080012765";

class SkuEvidence : public testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_set =
            new profiles::ProfileSet(profiles::load_profile_dir(STATION_SOURCE_DIR "/profiles"));
        s_skus = new std::vector<station::core::SkuProfile>(s_set->skus());
    }
    static void TearDownTestSuite() {
        delete s_skus;
        delete s_set;
    }

    // An XR90 unit (its module as the shipped profiles list it) with this SIM and images.
    static Identity unit(std::string imsi, std::string iccid, std::vector<std::string> images) {
        Identity id;
        id.model = "EM7565";
        id.firmware = "SWI9X50C_01.14.22.00";
        id.fsn = k_fsn;
        id.imei = k_imei;
        id.imsi = std::move(imsi);
        id.iccid = std::move(iccid);
        id.carrier_images = std::move(images);
        return id;
    }

    static station::core::SkuDecision decide(const Identity& id, const char* part,
                                             const char* pallet) {
        std::optional<Manifest> m;
        if (part) m = Manifest("pallet.csv", {{2, k_fsn, k_imei, part, "", "", ""}});
        const station::core::SkuProfile* expected = nullptr;
        for (const auto& p : *s_skus) {
            if (p.name == pallet) expected = &p;
        }
        return station::core::decide_sku(id,
                                         {*s_skus, &s_set->tables, expected, m ? &*m : nullptr});
    }

    // What a unit whose SIM votes `votes` (nullopt: neutral) must be decided as.
    static void expect_rules(const Identity& id, const std::optional<Region>& votes,
                             const std::string& what) {
        for (const auto& [part, pallet, region] :
             {std::tuple{"1104513", "xr90-na", Region::na},
              std::tuple{"1104514", "xr90-global", Region::global}}) {
            const auto d = decide(id, part, pallet);
            if (!votes || *votes == region) {
                EXPECT_EQ(d.outcome, Outcome::pass)
                    << what << " on " << pallet << ": " << d.message;
                EXPECT_EQ(d.basis, DecisionBasis::manifest) << what;
                EXPECT_EQ(d.region, region) << what;
            } else {
                EXPECT_EQ(d.reason, Reason::sku_conflicting_signals)
                    << what << " on " << pallet << ": " << d.message;
            }
        }
        // Without a manifest the SIM alone never decides; with an NA image it does only for NA.
        const auto alone = decide(id, nullptr, votes == Region::global ? "xr90-global" : "xr90-na");
        EXPECT_EQ(alone.reason, Reason::sku_undecided) << what << ": " << alone.message;
        Identity with_image = id;
        with_image.carrier_images = {"ATT"};
        const auto both = decide(with_image, nullptr, "xr90-na");
        if (votes == Region::na) {
            EXPECT_EQ(both.outcome, Outcome::pass) << what << ": " << both.message;
            EXPECT_EQ(both.basis, DecisionBasis::unit_signals) << what;
        } else if (votes == Region::global) {
            EXPECT_EQ(both.reason, Reason::sku_conflicting_signals) << what << ": " << both.message;
        } else {
            EXPECT_EQ(both.reason, Reason::sku_undecided) << what << ": " << both.message;
        }
    }

    static inline profiles::ProfileSet* s_set = nullptr;
    static inline std::vector<station::core::SkuProfile>* s_skus = nullptr;
};

// An IMSI with the row's prefix, padded to 15 digits with digits no longer row starts with.
std::string imsi_of(const std::string& prefix) {
    std::string imsi = prefix;
    while (imsi.size() < 15) imsi += '9';
    return imsi;
}

// An unknown (neutral) issuer: "8999..." is on no row.
constexpr const char* k_neutral_iccid = "89990000000000000001";
// A neutral home network: 901 (international) is listed neutral.
constexpr const char* k_neutral_imsi = "901999999999999";

TEST_F(SkuEvidence, ShippedSetLoads) {
    ASSERT_TRUE(s_set->ok()) << s_set->error_text();
    ASSERT_FALSE(s_set->tables.home_networks.empty());
    ASSERT_FALSE(s_set->tables.issuers.empty());
}

TEST_F(SkuEvidence, EveryHomeNetworkRowDecidesByItsRules) {
    ASSERT_FALSE(s_set->tables.home_networks.empty());
    for (const auto& row : s_set->tables.home_networks) {
        const std::string imsi = imsi_of(row.prefix);
        ASSERT_EQ(s_set->tables.home_network(imsi), &row) << row.prefix;
        expect_rules(unit(imsi, k_neutral_iccid, {}), row.votes,
                     "home network " + row.prefix + " (" + row.name + ")");
    }
}

TEST_F(SkuEvidence, EveryIssuerRowDecidesByItsRules) {
    ASSERT_FALSE(s_set->tables.issuers.empty());
    for (const auto& row : s_set->tables.issuers) {
        std::string iccid = row.prefix;
        while (iccid.size() < 19) iccid += '9';
        ASSERT_EQ(s_set->tables.issuer(iccid), &row) << row.prefix;
        expect_rules(unit(k_neutral_imsi, iccid, {}), row.votes,
                     "issuer " + row.prefix + " (" + row.name + ")");
    }
}

TEST_F(SkuEvidence, EveryCarrierImageRowVotesNaOrNothing) {
    ASSERT_FALSE(s_set->tables.carrier_images.empty());
    for (const auto& row : s_set->tables.carrier_images) {
        EXPECT_NE(row.votes, std::optional<Region>(Region::global)) << row.name;
        // With an NA SIM, an NA image is the second source; a neutral one leaves it undecided.
        const auto d =
            decide(unit("310410000000000", "8901410000000000000", {row.name}), nullptr, "xr90-na");
        if (row.votes == Region::na) {
            EXPECT_EQ(d.outcome, Outcome::pass) << row.name << ": " << d.message;
        } else {
            EXPECT_EQ(d.reason, Reason::sku_undecided) << row.name << ": " << d.message;
        }
    }
}

TEST_F(SkuEvidence, RealSimsOfEachKind) {
    // AT&T (20 digits, IMSI 310410), T-Mobile (19 digits, 310260), the Smart SIM (20 digits,
    // IMSI 20601: roaming, neutral), Vodafone DE (IMSI 26202).
    const auto att =
        decide(unit("310410730015491", "89014104273001549164", {"ATT"}), nullptr, "xr90-na");
    EXPECT_EQ(att.outcome, Outcome::pass) << att.message;
    const auto tmo =
        decide(unit("310260881234567", "8901260881234567120", {"TMO"}), nullptr, "xr90-na");
    EXPECT_EQ(tmo.outcome, Outcome::pass) << tmo.message;
    const auto smart = decide(unit("206010012345678", "89332401001234567893", {"GENERIC"}),
                              "1104514", "xr90-global");
    EXPECT_EQ(smart.outcome, Outcome::pass) << smart.message;
    const auto smart_on_na =
        decide(unit("206010012345678", "89332401001234567893", {"GENERIC"}), "1104513", "xr90-na");
    EXPECT_EQ(smart_on_na.outcome, Outcome::pass) << "a Smart SIM never vetoes: " << smart.message;
    const auto vodafone =
        decide(unit("262021234567890", "89492001234567890121", {}), "1104513", "xr90-na");
    EXPECT_EQ(vodafone.reason, Reason::sku_conflicting_signals) << vodafone.message;
}

}  // namespace
