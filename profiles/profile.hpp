// One SKU profile as loaded from profiles/<name>.toml: what the decision rules need
// (core::SkuProfile), how to find the unit on USB and which AT commands identify it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include <drivers/router/identity_plan.hpp>
#include <drivers/usb/usb_device.hpp>
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
    std::string sha256;  // of the file's bytes as loaded (load_profile); empty when parsed text

    const std::string& name() const { return sku.name; }
};

// The USB devices units of `profile` show as (every product of its vendor when it lists none).
std::vector<drivers::usb::UsbMatch> usb_filter(const Profile& profile);
// The devices of any of `profiles`, each match once.
std::vector<drivers::usb::UsbMatch> usb_filter(std::span<const Profile> profiles);

}  // namespace profiles
