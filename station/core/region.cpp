#include <station/core/region.hpp>

#include <station/core/text.hpp>

#include <array>

namespace station::core {
namespace {

struct RouteRow {
    Region region;
    std::string_view region_name;
    std::string_view display;
    DataCenter data_center;
    std::string_view data_center_name;
    std::string_view base_url;
};

// The routing table (DOMAIN.md, confirmed): one row per region.
constexpr std::array k_routes{
    RouteRow{Region::na, "na", "NA", DataCenter::na, "na", "https://na.airvantage.net"},
    RouteRow{Region::global, "global", "Global", DataCenter::eu, "eu", "https://eu.airvantage.net"},
};

const RouteRow& row_for(Region region) {
    for (const auto& row : k_routes) {
        if (row.region == region) return row;
    }
    return k_routes.front();
}

const RouteRow& row_for(DataCenter data_center) {
    for (const auto& row : k_routes) {
        if (row.data_center == data_center) return row;
    }
    return k_routes.front();
}

}  // namespace

std::string_view to_string(Region region) {
    return row_for(region).region_name;
}
std::string_view to_string(DataCenter data_center) {
    return row_for(data_center).data_center_name;
}
std::string_view display_name(Region region) {
    return row_for(region).display;
}

std::optional<Region> region_from_string(std::string_view text) {
    for (const auto& row : k_routes) {
        if (row.region_name == text) return row.region;
    }
    return std::nullopt;
}

std::optional<DataCenter> data_center_from_string(std::string_view text) {
    for (const auto& row : k_routes) {
        if (row.data_center_name == text) return row.data_center;
    }
    return std::nullopt;
}

DataCenter data_center_for(Region region) {
    return row_for(region).data_center;
}

std::string_view default_base_url(DataCenter data_center) {
    return row_for(data_center).base_url;
}

std::optional<DataCenter> data_center_of_host(std::string_view host) {
    if (host.ends_with('.')) host.remove_suffix(1);
    for (const auto& row : k_routes) {
        std::string_view row_host = row.base_url;
        row_host.remove_prefix(row_host.find("://") + 3);
        if (iequals(host, row_host)) return row.data_center;
    }
    return std::nullopt;
}

}  // namespace station::core
