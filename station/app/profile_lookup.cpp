#include <station/app/profile_lookup.hpp>

#include <station/app/usage_error.hpp>
#include <station/core/sanitize.hpp>

namespace station::app {

profiles::ProfileSet load_profiles_for(std::string_view command, const std::string& dir) {
    auto set = profiles::load_profile_dir(profiles::profiles_dir(dir));
    if (!set.ok()) {
        throw UsageError(std::string(command) + ": SKU profiles do not load:\n" + set.error_text());
    }
    return set;
}

const profiles::Profile& profile_named(const profiles::ProfileSet& set, const std::string& name,
                                       std::string_view command, std::string_view option) {
    if (const auto* found = set.find(name)) return *found;
    std::string known;
    for (const auto& profile : set.profiles) known += (known.empty() ? "" : ", ") + profile.name();
    throw UsageError(std::string(command) + ": " + std::string(option) + ": no profile '" +
                     core::sanitize_for_display(name, 64) + "' (known: " + known + ")");
}

}  // namespace station::app
