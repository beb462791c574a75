// JSON members that several outputs share (identify --json, scan --json, report --format json),
// so a unit's identity reads the same wherever a script meets it.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <station/core/finding.hpp>
#include <station/core/identity.hpp>
#include <station/core/region.hpp>
#include <station/core/retest.hpp>
#include <station/core/sku_decision.hpp>
#include <station/report/report.hpp>

namespace station::report {

// An empty string is null in JSON: "not read" rather than a value.
nlohmann::json nullable(const std::string& value);

// The identity's members: manufacturer, model, firmware, fsn, imei, imsi, iccid,
// iccid_command, sim_status, carrier_images. Device strings stay data (JSON escapes them).
nlohmann::json identity_json(const core::Identity& id);

// One vote of a SKU decision, the same in identify --json, scan --json, --json-events and
// report --format json: {"source", "value", "votes": "na"|"global"|"none", "basis"}.
nlohmann::json signal_json(const std::string& source, const std::string& value,
                           const std::optional<core::Region>& vote, const std::string& basis);

// A SKU decision as identify --json and scan --json show it: profile (the decided one, null
// when undecided), family, region, data_center, sku_basis and signals (signal_json each).
nlohmann::json decision_json(const core::SkuDecision& decision);

// The chain as JSON: {"provisioned": {fsn, imei, iccid, firmware, profile, region,
// data_center, seen} | null, "registered": bool, "retests": [{rma, run, slot_result, ended,
// outcome, reason, findings, action}]}.
nlohmann::json chain_json(const std::optional<core::ProvisionedUnit>& provisioned,
                          const std::vector<store::ResultRow>& retests,
                          const RetestFindings& found);
// A finding as JSON: {kind, before, now, seen, blocking, action}.
nlohmann::json finding_json(const core::Finding& finding);

}  // namespace station::report
