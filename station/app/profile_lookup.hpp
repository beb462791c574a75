// The SKU profiles as commands take them from the command line: the set loaded strictly (a
// broken set stops the command before any unit is touched) and a profile by name.
#pragma once

#include <string>
#include <string_view>

#include <profiles/loader.hpp>

namespace station::app {

// Loads every profile of `dir` (empty: $STATION_PROFILES_DIR or the shipped folder). Throws
// UsageError "<command>: SKU profiles do not load:" with one file:line error per line.
profiles::ProfileSet load_profiles_for(std::string_view command, const std::string& dir);

// The profile called `name`. Throws UsageError "<command>: <option>: no profile 'NAME' (known:
// ...)", the name sanitized.
const profiles::Profile& profile_named(const profiles::ProfileSet& set, const std::string& name,
                                       std::string_view command, std::string_view option);

}  // namespace station::app
