// Loads and validates SKU profiles. Every mistake is reported as "<file>:<line>: <what>",
// e.g. "profiles/xr90-na.toml:12: unknown key 'data_centre'"; a profile whose region and data
// center disagree is rejected, so the routing table in station/core stays the only one.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <profiles/networks.hpp>
#include <profiles/profile.hpp>
#include <station/core/result.hpp>
#include <station/core/signal_tables.hpp>

namespace profiles {

// Parses one profile. `expected_name` (the file name without .toml) must equal `name` when set.
station::core::Result<Profile> parse_profile(std::string_view text, std::string_view source,
                                             std::string_view expected_name = {});

// Reads and parses one file (its stem must be the profile's name).
station::core::Result<Profile> load_profile(const std::filesystem::path& path,
                                            FileHashes hashes = FileHashes::compute);

// A set of profiles that loaded, and what did not.
struct ProfileSet {
    std::vector<Profile> profiles;
    station::core::SignalTables tables;        // networks.toml (empty when not loaded)
    std::vector<station::core::Error> errors;  // per file, then across files

    bool ok() const { return errors.empty(); }
    const Profile* find(std::string_view name) const;
    std::vector<station::core::SkuProfile> skus() const;
    std::string error_text() const;  // one error per line
};

// Loads every *.toml in `dir` (sorted; networks.toml is the shared evidence tables, required),
// then checks the set as a whole. Every file is read and checked whatever `hashes` says.
ProfileSet load_profile_dir(const std::filesystem::path& dir,
                            FileHashes hashes = FileHashes::compute);

// Loads the given files (one named networks.toml is read as the tables), then checks the set.
ProfileSet load_profile_files(std::span<const std::filesystem::path> files,
                              FileHashes hashes = FileHashes::compute);

// Checks across files: names unique; no part number (any case) listed by two profiles (one
// manifest line would name two SKUs).
std::vector<station::core::Error> check_profile_set(std::span<const Profile> set);

// `given` when set, else $STATION_PROFILES_DIR, else shipped_profiles_dir().
std::filesystem::path profiles_dir(std::string_view given = {});

// The profiles shipped with the running binary (found from /proc/self/exe, never only from a
// path compiled in): <prefix>/share/station/profiles for an installed <prefix>/bin/station,
// else, for a binary inside its build folder, the source tree's profiles/. When neither
// applies, the installed place (missing), so the error names where they should be.
std::filesystem::path shipped_profiles_dir();

}  // namespace profiles
