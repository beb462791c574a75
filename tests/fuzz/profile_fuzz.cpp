// Fuzz target: the SKU profile loader (profiles/loader.cpp with its [[plan]] reader) and the
// shared evidence tables (profiles/networks.cpp), both over the same TOML text. Beyond no crash:
// every error message is display-safe, and a profile that loads has a name and a plan.
#include <cstdint>

#include <profiles/loader.hpp>
#include <profiles/networks.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    const auto profile = profiles::parse_profile(text, "profiles/fuzz.toml");
    if (profile) {
        fuzz::require(!profile->sku.name.empty(), "a loaded profile has a name");
    } else {
        fuzz::check_message(profile.error().message);
    }
    const auto tables = profiles::parse_signal_tables(text, "profiles/networks.toml");
    if (!tables) fuzz::check_message(tables.error().message);
    return 0;
}
