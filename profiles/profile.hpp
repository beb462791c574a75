// One SKU profile as loaded from profiles/<name>.toml: what the decision rules need
// (core::SkuProfile), how to find the unit on USB and which AT commands identify it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include <drivers/router/identity_plan.hpp>
#include <station/core/sku_profile.hpp>

namespace profiles {

// How the unit shows on USB and where its OOB radio's AT port is.
struct UsbSpec {
    std::uint16_t vendor_id = 0;
    std::vector<std::uint16_t> product_ids;
    std::optional<int> at_interface;  // pinned USB interface; nullopt: probe each tty with AT
};

struct Profile {
    station::core::SkuProfile sku;
    UsbSpec usb;
    drivers::router::IdentityPlan plan;
    std::filesystem::path source;

    const std::string& name() const { return sku.name; }
};

}  // namespace profiles
