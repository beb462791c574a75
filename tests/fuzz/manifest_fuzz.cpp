// Fuzz target: pallet manifests, CSV and JSON lines (station/config/manifest_*.cpp). Beyond no
// crash: error messages are display-safe, and every line of a manifest that loads has a valid
// IMEI and is found again by its serial and by its IMEI.
#include <cstdint>

#include <station/config/manifest_file.hpp>
#include <station/core/identifiers.hpp>

#include "fuzz_support.hpp"

namespace {

// Part numbers starting "XR" are "known" (as XR90-1104513), so both answers occur.
bool known_part_number(std::string_view part_number) {
    return part_number.starts_with("XR");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto manifest =
        station::config::parse_manifest(fuzz::as_text(data, size), "pallet.csv", known_part_number);
    if (!manifest) {
        fuzz::check_message(manifest.error().message);
        return 0;
    }
    const auto& lines = manifest->lines();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& line = lines[i];
        fuzz::require(station::core::check_imei(line.imei) == station::core::IdCheck::ok,
                      "a manifest line has a valid IMEI", line.imei);
        fuzz::require(manifest->find_serial(line.serial) == i, "found by its serial", line.serial);
        fuzz::require(manifest->find_imei(line.imei) == i, "found by its IMEI", line.imei);
        (void)manifest->place(i);
    }
    return 0;
}
