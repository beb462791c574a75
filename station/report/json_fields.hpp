// JSON members that several outputs share (identify --json, scan --json, report --format json),
// so a unit's identity reads the same wherever a script meets it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <station/core/identity.hpp>

namespace station::report {

// An empty string is null in JSON: "not read" rather than a value.
nlohmann::json nullable(const std::string& value);

// The identity's members: manufacturer, model, firmware, fsn, imei, imsi, iccid,
// iccid_command, sim_status, carrier_images. Device strings stay data (JSON escapes them).
nlohmann::json identity_json(const core::Identity& id);

}  // namespace station::report
