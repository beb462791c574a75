// The SKU of a returned unit (issue 16): the profile its provisioning record names (basis
// history), else its label's part number (basis part_number), before any manifest or the
// two-vote rule; the unit's own signals still veto. Table-driven.
#include <station/core/sku_decision.hpp>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace station::core {
namespace {

SkuProfile profile(std::string name, std::string family, Region region, std::string module,
                   std::string part) {
    SkuProfile p;
    p.name = std::move(name);
    p.family = std::move(family);
    p.region = region;
    p.signals.module_models = {std::move(module)};
    p.part_numbers = {std::move(part)};
    p.min_firmware = "01.14.00.00";
    return p;
}

const std::vector<SkuProfile>& profile_set() {
    static const std::vector<SkuProfile> set{
        profile("xr90-na", "xr90", Region::na, "EM7565*", "1104513"),
        profile("xr90-global", "xr90", Region::global, "EM7565*", "1104514"),
        profile("xr80-na", "xr80", Region::na, "EM7511*", "1104521"),
    };
    return set;
}

const SkuProfile* find(std::string_view name) {
    for (const auto& p : profile_set()) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

SignalTables tables() {
    SignalTables t;
    t.source = "networks.toml";
    t.home_networks = {{"310", "USA", Region::na, 1}, {"20601", "Smart SIM", std::nullopt, 2}};
    t.issuers = {{"8901410", "AT&T", "US", Region::na, 3},
                 {"89332401", "Sierra Wireless Smart SIM", "", std::nullopt, 4}};
    t.carrier_images = {{"ATT", Region::na, 5}, {"GENERIC", std::nullopt, 6}};
    return t;
}

enum class Sim { smart, att };

Identity unit(Sim sim, std::string model = "EM7565") {
    Identity id;
    id.model = std::move(model);
    id.firmware = "SWI9X50C_01.14.22.00 7e1c2a jenkins 2022/10/11 09:31:00";
    id.fsn = "XR9G2302140042";
    id.imei = "354125080177329";
    id.imsi = sim == Sim::att ? "310410730015491" : "206010012345678";
    id.iccid = sim == Sim::att ? "89014104273001549164" : "89332401001234567893";
    id.carrier_images = {sim == Sim::att ? "ATT" : "GENERIC"};
    return id;
}

struct Case {
    const char* what;
    Identity identity;
    const char* history;      // provisioned profile, "" for none
    const char* part_number;  // the label's, "" for none
    bool manifest;            // a manifest naming the unit NA is given too
    Outcome outcome;
    std::optional<Reason> reason;
    const char* profile;  // decided_profile
    std::optional<DecisionBasis> basis;
    const char* first_signal;  // source of the first vote
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.what;
}

class Basis : public ::testing::TestWithParam<Case> {};

TEST_P(Basis, DecidesTheReturnedUnit) {
    const auto& c = GetParam();
    const auto t = tables();
    const Manifest m("pallet.csv",
                     {ManifestLine{2, "XR9G2302140042", "354125080177329", "1104513", "", "", ""}});
    SkuEvidence ev{profile_set(), &t, nullptr, c.manifest ? &m : nullptr};
    ev.history = *c.history ? find(c.history) : nullptr;
    ev.part_number = c.part_number;
    const auto d = decide_sku(c.identity, ev);
    EXPECT_EQ(d.outcome, c.outcome) << d.message;
    EXPECT_EQ(d.reason, c.reason) << d.message;
    EXPECT_EQ(decided_profile(d), c.profile) << d.message;
    EXPECT_EQ(d.basis, c.basis) << d.message;
    ASSERT_FALSE(d.signals.empty());
    EXPECT_EQ(d.signals.front().source, c.first_signal);
    EXPECT_FALSE(d.manifest_line.has_value()) << "a label or record wins over the manifest";
}

INSTANTIATE_TEST_SUITE_P(
    Retest, Basis,
    ::testing::Values(
        Case{"provisioned Global, neutral signals: the record decides", unit(Sim::smart),
             "xr90-global", "", false, Outcome::pass, std::nullopt, "xr90-global",
             DecisionBasis::history, "history"},
        Case{"provisioned NA, NA signals agree", unit(Sim::att), "xr90-na", "", false,
             Outcome::pass, std::nullopt, "xr90-na", DecisionBasis::history, "history"},
        Case{"provisioned Global, now an NA SIM and image: the unit vetoes", unit(Sim::att),
             "xr90-global", "", false, Outcome::fail, Reason::sku_conflicting_signals, "",
             std::nullopt, "history"},
        Case{"the record wins over the label and the manifest", unit(Sim::smart), "xr90-global",
             "1104513", true, Outcome::pass, std::nullopt, "xr90-global", DecisionBasis::history,
             "history"},
        Case{"provisioned as another family's profile: the module vetoes", unit(Sim::att),
             "xr80-na", "", false, Outcome::fail, Reason::sku_conflicting_signals, "", std::nullopt,
             "history"},
        Case{"no record: the label's Global part number decides", unit(Sim::smart), "", "1104514",
             true, Outcome::pass, std::nullopt, "xr90-global", DecisionBasis::part_number,
             "part_number"},
        Case{"no record: an NA label on an NA unit", unit(Sim::att), "", "1104513", false,
             Outcome::pass, std::nullopt, "xr90-na", DecisionBasis::part_number, "part_number"},
        Case{"a Global label on an NA unit: vetoed", unit(Sim::att), "", "1104514", false,
             Outcome::fail, Reason::sku_conflicting_signals, "", std::nullopt, "part_number"},
        Case{"a part number no profile lists", unit(Sim::smart), "", "9999999", false,
             Outcome::fail, Reason::sku_unknown, "", std::nullopt, "part_number"}));

TEST(BasisName, NamesEveryBasis) {
    EXPECT_EQ(to_string(DecisionBasis::manifest), "manifest");
    EXPECT_EQ(to_string(DecisionBasis::unit_signals), "unit_signals");
    EXPECT_EQ(to_string(DecisionBasis::history), "history");
    EXPECT_EQ(to_string(DecisionBasis::part_number), "part_number");
}

}  // namespace
}  // namespace station::core
