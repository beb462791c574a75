// The NA/Global decision: which SKU a unit is and whether that is what the pallet should hold.
// Pure: an identity and the evidence in, a verdict with every vote out.
//
// Why it is built this way: routing a unit to the wrong ALMS data center makes it impossible
// to register, so the rules never guess. A module's ATI names the module, not the router SKU
// (DOMAIN.md "Second reading"), so the primary signal is the pallet manifest: the line holding
// the unit's FSN and IMEI names its part number, which picks the profile. The unit's own signals
// (SIM home network, SIM issuer, carrier images, module model) can only veto. Without a
// manifest at least two independent signals must agree on the region: the SIM (home network
// and issuer, read from one card) and the module's carrier images; one source alone is
// sku_undecided, never a guess.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <station/core/identity.hpp>
#include <station/core/manifest.hpp>
#include <station/core/region.hpp>
#include <station/core/signal_tables.hpp>
#include <station/core/sku_profile.hpp>

namespace station::core {

// One signal and how it voted; `vote` is empty when the signal is neutral (a GENERIC carrier
// image, a Smart SIM, an issuer or network no table lists, a module model). `basis` says why.
struct SignalVote {
    // Where the signal comes from: "manifest" | "imsi" | "iccid_issuer" | "carrier_image" |
    // "module_model".
    std::string source;
    std::string value;  // raw device / manifest data: sanitize before display
    std::optional<Region> vote;
    std::string basis;  // composed by the station from sanitised parts
};

// What the decided region rests on.
enum class DecisionBasis {
    manifest,      // the unit's manifest line (the unit's signals did not veto)
    unit_signals,  // no manifest: at least two independent signals of the unit agreed
    history,       // a retest: the profile the unit was provisioned as (its signals did not veto)
    part_number,   // a retest: the profile whose part numbers list the label's part number
};
// "manifest" | "unit_signals" | "history" | "part_number"
std::string_view to_string(DecisionBasis basis);

struct SkuDecision {
    Outcome outcome = Outcome::fail;
    std::optional<Reason> reason;
    std::string message;
    std::string profile;  // the unit's profile; empty when none could be named
    std::string family;
    std::optional<Region> region;  // set only once the evidence agrees
    std::optional<DataCenter> data_center;
    std::optional<DecisionBasis> basis;        // set with region
    std::optional<std::size_t> manifest_line;  // index of the unit's manifest line, when matched
    std::vector<SignalVote> signals;
};

// Everything the decision weighs besides the unit itself.
struct SkuEvidence {
    std::span<const SkuProfile> profiles;  // every known profile
    const SignalTables* tables = nullptr;  // null: no table votes (every SIM / image neutral)
    const SkuProfile* expected = nullptr;  // the pallet's profile; null when none was named
    const Manifest* manifest = nullptr;    // null: decide on the unit's word alone
    // A retest of a returned unit (issue 16), in this order of precedence and before any
    // manifest: the profile its provisioning record names (basis history, signal "history"),
    // else the part number on its label (basis part_number, signal "part_number"; a part number
    // no profile lists is sku_unknown). Either is a vote the unit's own signals can veto
    // (sku_conflicting_signals), as a manifest line's is.
    const SkuProfile* history = nullptr;
    std::string part_number{};
};

// The profile the decision settled on: the unit's own once its evidence agrees on a region
// (also when it then fails sku_mismatch or firmware_too_old); empty otherwise.
std::string decided_profile(const SkuDecision& decision);

// Order of verdicts: sku_unknown (a part number no profile lists), not_on_manifest /
// manifest_mismatch / sim_not_as_shipped (with a manifest), sku_conflicting_signals, sku_undecided
// / sku_unknown, sku_mismatch, firmware_too_old; PASS otherwise.
SkuDecision decide_sku(const Identity& identity, const SkuEvidence& evidence);

// The unit's own votes (everything but the manifest), in a fixed order: imsi, iccid_issuer,
// carrier_image (one per distinct image, any case), module_model.
std::vector<SignalVote> unit_votes(const Identity& identity, const SignalTables* tables,
                                   std::span<const SkuProfile> profiles);

}  // namespace station::core
