// The regression rig's golden file (issue 17): per slot the unit's expected identity and verdict,
// TOML, read strictly before any unit is touched.
//
//   [[slot]]
//   slot = "A1"                     # the rig's label (required, unique, in the rig file)
//   fsn = "XR9N2301280017"          # each field optional: only what is given is checked
//   imei = "353270091234567"
//   iccid = "89014103211118510720"
//   model = "XR90"
//   firmware = "01.14.22.00"        # exact, or
//   firmware_min = "01.14.00.00"    # a minimum (not both)
//   profile = "xr90-na"
//   region = "na"                   # "na" | "global"
//   data_center = "na"              # "na" | "eu"
//   verdict = "PASS"                # "PASS" (default) | "FAIL" | "ERROR"
//
// Every mistake is reported as "<file>:<line>: <what>" (unknown key, wrong type, a bad IMEI or
// ICCID, a duplicate slot, firmware and firmware_min both given, a profile not loaded, an empty
// value: leave the key out instead). Every mistake of the file is listed, at most 50, then
// "<file>: and N more problems".
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include <station/core/regress.hpp>
#include <station/core/result.hpp>

namespace station::config {

// True when a profile of this name is loaded.
using KnownProfile = std::function<bool(std::string_view name)>;

// Errors: Reason::bad_usage, one "<source>:<line>: <what>" per line.
core::Result<core::Golden> parse_golden(std::string_view text, std::string_view source,
                                        const KnownProfile& known_profile);
core::Result<core::Golden> load_golden(const std::filesystem::path& path,
                                       const KnownProfile& known_profile);

// The golden file text of `golden` (for `station regress --record-golden`): one [[slot]] table
// per slot with every field set (empty / nullopt fields left out, verdict always written),
// values TOML-escaped (config/toml_text.hpp); parse_golden reads it back equal. Each line of
// `header_comment` becomes a "# " comment line above the tables.
std::string golden_text(const core::Golden& golden, std::string_view header_comment);

}  // namespace station::config
