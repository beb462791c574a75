// Fuzz target: the regression rig's golden files (station/config/golden_file.cpp). Beyond no
// crash: error messages are display-safe, and a golden file that parses is written back by
// golden_text to text that parses to the same slots (its contract).
#include <cstdint>

#include <station/config/golden_file.hpp>

#include "fuzz_support.hpp"

namespace {

using station::core::GoldenSlot;

bool same(const GoldenSlot& a, const GoldenSlot& b) {
    return a.slot == b.slot && a.fsn == b.fsn && a.imei == b.imei && a.iccid == b.iccid &&
           a.model == b.model && a.firmware == b.firmware && a.firmware_min == b.firmware_min &&
           a.profile == b.profile && a.region == b.region && a.data_center == b.data_center &&
           a.verdict == b.verdict;
}

bool known_profile(std::string_view name) {
    return name != "unknown";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto golden =
        station::config::parse_golden(fuzz::as_text(data, size), "golden.toml", known_profile);
    if (!golden) {
        fuzz::check_message(golden.error().message);
        return 0;
    }
    const std::string text = station::config::golden_text(*golden, "written back");
    const auto again = station::config::parse_golden(text, "written.toml", known_profile);
    fuzz::require(again.has_value(), "written golden text parses",
                  again ? text : again.error().message);
    fuzz::require(again->slots.size() == golden->slots.size(), "same slot count", text);
    for (std::size_t i = 0; i < golden->slots.size(); ++i) {
        fuzz::require(same(golden->slots[i], again->slots[i]), "same slot after writing", text);
    }
    return 0;
}
