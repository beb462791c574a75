// What a retest of a returned unit found changed since it left (issue 16): the finding kinds,
// which of them block shipping the unit back, and the action each asks of the depot. Pure.
//
// Every finding is listed with its evidence (before -> now, when and where the earlier value
// was seen); the verdict's reason is the first blocking finding in the order of FindingKind.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/reason.hpp>

namespace station::core {

// In verdict order: the first blocking kind present is the FAIL reason.
enum class FindingKind {
    never_provisioned,       // no earlier PASS of this FSN or IMEI in the store
    imei_changed,            // same FSN, other IMEI: module replaced
    fsn_changed,             // same IMEI, other FSN
    sku_changed,             // decided profile or region differs from provisioning
    alms_duplicate,          // found in both data centers
    alms_wrong_data_center,  // found in the data center its region does not route to
    sim_swapped,             // ICCID differs from the one provisioned
    alms_iccid_stale,        // ALMS holds another ICCID
    alms_missing,            // in neither data center
    not_registered,          // the outbox never reached `registered`
    firmware_downgraded,     // informational: firmware older than at provisioning
};

// What the depot does with a unit, from the mildest to the most drastic (action_for relies on
// this order).
enum class DepotAction { ship_back, replace_sim, re_register, scrap };

std::string_view to_string(FindingKind kind);  // the enum's name, e.g. "sim_swapped"
std::optional<FindingKind> finding_kind_from_string(std::string_view text);
std::string_view to_string(DepotAction action);  // "ship back" | "replace SIM" | ...

// Whether a kind stops the unit from shipping back (every kind but firmware_downgraded).
bool is_blocking(FindingKind kind);
// The FAIL reason a blocking kind gives (the Reason of the same name); nullopt otherwise.
std::optional<Reason> reason_of(FindingKind kind);
// The action one finding asks for: re-register (sim_swapped, alms_iccid_stale, alms_missing,
// not_registered), scrap (never_provisioned, imei_changed, fsn_changed, sku_changed,
// alms_wrong_data_center, alms_duplicate), ship back (firmware_downgraded).
DepotAction action_of(FindingKind kind);

struct Finding {
    FindingKind kind = FindingKind::never_provisioned;
    std::string before{};  // the value at provisioning (or in ALMS); empty when none
    std::string now{};     // the value the unit (or ALMS) shows now
    std::string seen{};    // when and where `before` was seen ("run 12, pallet P1, 2026-11-02")
};

// The verdict's reason: the first blocking finding in FindingKind order; nullopt when none.
std::optional<Reason> first_blocking(const std::vector<Finding>& findings);
// The action for a unit with these findings: the most drastic one asked (scrap over
// re-register over ship back); ship back when there is none.
DepotAction action_for(const std::vector<Finding>& findings);

}  // namespace station::core
