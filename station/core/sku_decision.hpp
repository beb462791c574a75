// The NA/Global decision: which SKU a unit is, from its own signals, and whether that is what
// the pallet should hold. Pure: an identity and a profile set in, a verdict with every vote out.
//
// Why it is built this way: routing a unit to the wrong ALMS data center makes it impossible
// to register, so the rules never guess. The unit's model / part number is the primary signal
// and picks the profile; carrier images and the SIM issuer are cross-checks that can only veto:
// any disagreement is FAIL sku_conflicting_signals, no match at all is FAIL sku_unknown.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <station/core/identity.hpp>
#include <station/core/region.hpp>
#include <station/core/sku_profile.hpp>

namespace station::core {

// One signal and how it voted; `vote` is empty when the signal is neutral (e.g. a GENERIC
// carrier image, an issuer no profile lists). `basis` says why, for the operator.
struct SignalVote {
    std::string signal;  // "model" | "carrier_image" | "iccid_issuer"
    std::string value;   // raw device data: sanitize before display
    std::optional<Region> vote;
    std::string basis;
};

struct SkuDecision {
    Outcome outcome = Outcome::fail;
    std::optional<Reason> reason;
    std::string message;
    std::string profile;  // the profile the unit's model matched; empty when none or ambiguous
    std::string family;
    std::optional<Region> region;  // set only when the signals agree
    std::optional<DataCenter> data_center;
    std::vector<SignalVote> signals;
};

// The profile the decision settled on: the unit's own once its signals agree on a region
// (also when it then fails sku_mismatch or firmware_too_old); empty when no profile matched or
// the signals conflict, whatever the model matched.
std::string decided_profile(const SkuDecision& decision);

// Decides the unit's SKU from `identity` against every profile in `profiles`, then checks it
// against `expected` (the pallet's profile; nullptr when the operator named none) and the
// matched profile's minimum firmware. Order: sku_unknown / sku_conflicting_signals, then
// sku_mismatch, then firmware_too_old; PASS otherwise.
SkuDecision decide_sku(const Identity& identity, std::span<const SkuProfile> profiles,
                       const SkuProfile* expected);

}  // namespace station::core
