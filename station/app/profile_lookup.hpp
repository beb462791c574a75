// The SKU profiles as commands take them from the command line: the set loaded strictly (a
// broken set stops the command before any unit is touched) and a profile by name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <profiles/loader.hpp>
#include <station/core/manifest.hpp>

namespace station::app {

// Loads every profile of `dir` (empty: $STATION_PROFILES_DIR or the shipped folder). Throws
// UsageError "<command>: SKU profiles do not load:" with one file:line error per line. Files'
// SHA-256 only with FileHashes::compute (a run records them; nothing else shows them).
profiles::ProfileSet load_profiles_for(std::string_view command, const std::string& dir,
                                       profiles::FileHashes hashes);

// The profile called `name`. Throws UsageError "<command>: <option>: no profile 'NAME' (known:
// ...)", the name sanitized.
const profiles::Profile& profile_named(const profiles::ProfileSet& set, const std::string& name,
                                       std::string_view command, std::string_view option);

// Loads --manifest FILE strictly against the set's part numbers; nullopt when `path` is empty.
// Throws UsageError "<command>: --manifest: ..." with every "file:line: what" (exit 64).
std::optional<core::Manifest> manifest_for(std::string_view command, const std::string& path,
                                           const profiles::ProfileSet& set);

// A pallet of a profile with require_manifest needs --manifest, or --no-manifest said out
// loud; --no-manifest with --manifest is a contradiction. Throws UsageError (exit 64).
void check_manifest_choice(std::string_view command, const profiles::Profile* pallet,
                           bool has_manifest, bool no_manifest);

}  // namespace station::app
