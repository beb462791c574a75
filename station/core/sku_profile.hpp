// What the decision rules know of one SKU profile (profiles/<name>.toml): family, region, the
// part numbers that name it on a manifest and the modules it carries. Loading and validating files
// is profiles/'s job; the data center is never stored, it is derived from the region
// (station/core/region.hpp).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/region.hpp>

namespace station::core {

// What a profile says about the unit's own radio. The region evidence (SIM issuers, home
// networks, carrier images) is one shared table for every profile: core::SignalTables.
struct SkuSignals {
    // Globs over the ATI "Model:" line: the radio modules this SKU family carries. A sanity
    // check, never the SKU (a module's ATI names the module: DOMAIN.md "Second reading"); an
    // EM9191 where an EM7565 belongs is sku_conflicting_signals.
    std::vector<std::string> module_models;
};

struct SkuProfile {
    std::string name;    // e.g. "xr90-na" (the file name without .toml)
    std::string family;  // e.g. "xr90"
    Region region = Region::na;
    SkuSignals signals;
    // The router part numbers of this SKU as packing lists show them: a manifest line's
    // part_number picks the profile (the primary signal).
    std::vector<std::string> part_numbers;
    // A pallet of this profile needs --manifest (or an explicit --no-manifest).
    bool require_manifest = false;
    std::string min_firmware;  // e.g. "01.14.22.00"; empty: no minimum
    int default_term_years = 1;
    std::vector<int> terms_years{1, 3, 5};

    DataCenter data_center() const { return data_center_for(region); }
};

// True when one of the profile's module_models globs matches the unit's ATI model.
bool carries_module(const SkuProfile& profile, std::string_view model);

// The profile that lists this part number (any letter case); nullptr when none does.
const SkuProfile* profile_with_part(std::span<const SkuProfile> profiles, std::string_view part);

// Case-insensitive glob: '*' any run of characters, '?' one character, all else literal.
bool glob_match(std::string_view pattern, std::string_view text);

// The first dotted number in a firmware string ("SWI9X50C_01.14.22.00 7e1c2a ..." ->
// {1, 14, 22, 0}); nullopt when there is none or a part is absurdly long.
std::optional<std::vector<long>> firmware_version(std::string_view firmware);

// <0, 0, >0 like strcmp; missing trailing parts count as 0 (1.2 == 1.2.0).
int compare_versions(const std::vector<long>& a, const std::vector<long>& b);

}  // namespace station::core
