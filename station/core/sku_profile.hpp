// What the decision rules know of one SKU profile (profiles/<name>.toml): family, region and
// the signals that tell this SKU apart. Loading and validating files is profiles/'s job; the
// data center is never stored, it is derived from the region (station/core/region.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/region.hpp>

namespace station::core {

// The signals a profile contributes to the NA/Global decision.
struct SkuSignals {
    std::vector<std::string> model_patterns;  // globs over the unit's model / part number
    std::vector<std::string> carrier_images;  // carrier image names sold with this region
    std::vector<std::string> iccid_prefixes;  // SIM issuer prefixes (digits) of this region
};

struct SkuProfile {
    std::string name;    // e.g. "xr90-na" (the file name without .toml)
    std::string family;  // e.g. "xr90"
    Region region = Region::na;
    SkuSignals signals;
    std::string min_firmware;  // e.g. "01.14.22.00"; empty: no minimum
    int default_term_years = 1;
    std::vector<int> terms_years{1, 3, 5};

    DataCenter data_center() const { return data_center_for(region); }
};

// Case-insensitive glob: '*' any run of characters, '?' one character, all else literal.
bool glob_match(std::string_view pattern, std::string_view text);

// True when some text matches both globs (same rules as glob_match): "XR90-*" and
// "XR90-1104514" overlap, "XR90-*" and "*-NA" overlap ("XR90-NA"), "XR90-*" and "XR80-*" do
// not. Exact, by walking both patterns together (at most (|a|+1)*(|b|+1) states).
bool globs_overlap(std::string_view a, std::string_view b);

// The first dotted number in a firmware string ("SWI9X50C_01.14.22.00 7e1c2a ..." ->
// {1, 14, 22, 0}); nullopt when there is none or a part is absurdly long.
std::optional<std::vector<long>> firmware_version(std::string_view firmware);

// <0, 0, >0 like strcmp; missing trailing parts count as 0 (1.2 == 1.2.0).
int compare_versions(const std::vector<long>& a, const std::vector<long>& b);

}  // namespace station::core
