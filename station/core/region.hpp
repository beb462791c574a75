// SKU regions and ALMS data centers. The routing table from region to data center lives
// here and only here (DOMAIN.md: an NA unit registered in the EU data center, or the
// reverse, can never be registered at all).
#pragma once

#include <optional>
#include <string_view>

namespace station::core {

// The SKU region a router was built for.
enum class Region { na, global };

// An ALMS data center.
enum class DataCenter { na, eu };

std::string_view to_string(Region region);           // "na" | "global"
std::string_view to_string(DataCenter data_center);  // "na" | "eu"
std::optional<Region> region_from_string(std::string_view text);
std::optional<DataCenter> data_center_from_string(std::string_view text);

// The one routing rule: NA SKUs -> NA data center, Global SKUs -> EU data center.
DataCenter data_center_for(Region region);

// The data center's default base URL, e.g. "https://na.airvantage.net".
std::string_view default_base_url(DataCenter data_center);

// The data center whose default base URL has this host ("eu.airvantage.net" -> eu; any
// letter case, a trailing dot allowed); none for any other host (a proxy, a test stand-in).
std::optional<DataCenter> data_center_of_host(std::string_view host);

// Human name for messages: "NA" | "Global".
std::string_view display_name(Region region);

}  // namespace station::core
