// compare_history: what changed in a returned unit since it was provisioned (issue 16). Pure: the
// unit's provisioning record (from the store) and what the unit shows now in, findings out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <station/core/finding.hpp>
#include <station/core/identity.hpp>
#include <station/core/region.hpp>

namespace station::core {

// What a unit was when it left: its last PASS provisioning result, and what became of its
// registration. `seen` says when and where ("run 12, pallet P1, station bench-3, 2026-11-02"),
// composed by the store from sanitised parts.
struct ProvisionedUnit {
    std::string fsn;
    std::string imei;
    std::string iccid;
    std::string firmware;
    std::string profile;  // decided profile
    std::optional<Region> region;
    std::optional<DataCenter> data_center;
    bool registered = false;  // its outbox row reached `registered`
    std::string seen;
};

// What the retest reads now: the unit's identity and the profile / region its SKU decision
// settled on (empty / nullopt when undecided).
struct RetestedUnit {
    Identity identity;
    std::string profile;
    std::optional<Region> region;
};

// The store's answer for one unit: its record found by FSN and, when different, the one found
// by IMEI (a module moved between units). Both empty: never provisioned.
struct UnitHistory {
    std::optional<ProvisionedUnit> by_fsn;
    std::optional<ProvisionedUnit> by_imei;
};

// Every finding, in FindingKind order: never_provisioned (no record at all); imei_changed (the
// FSN's record holds another IMEI); fsn_changed (the IMEI's record holds another FSN);
// sku_changed (profile or region differs); sim_swapped (ICCID differs); not_registered;
// firmware_downgraded (firmware_version() older). Each with before -> now and `seen`.
std::vector<Finding> compare_history(const UnitHistory& history, const RetestedUnit& now);

}  // namespace station::core
