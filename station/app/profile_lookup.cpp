#include <station/app/profile_lookup.hpp>

#include <station/app/usage_error.hpp>
#include <station/config/manifest_file.hpp>
#include <station/core/sanitize.hpp>

namespace station::app {

profiles::ProfileSet load_profiles_for(std::string_view command, const std::string& dir,
                                       profiles::FileHashes hashes) {
    auto set = profiles::load_profile_dir(profiles::profiles_dir(dir), hashes);
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

std::optional<core::Manifest> manifest_for(std::string_view command, const std::string& path,
                                           const profiles::ProfileSet& set) {
    if (path.empty()) return std::nullopt;
    const auto skus = set.skus();
    const auto known = [&skus](std::string_view part) {
        return core::profile_with_part(skus, part) != nullptr;
    };
    auto manifest = config::load_manifest(path, known);
    if (!manifest) {
        throw UsageError(std::string(command) + ": --manifest: " + manifest.error().message);
    }
    return std::move(*manifest);
}

void check_manifest_choice(std::string_view command, const profiles::Profile* pallet,
                           bool has_manifest, bool no_manifest) {
    if (has_manifest && no_manifest) {
        throw UsageError(std::string(command) +
                         ": give --manifest FILE or --no-manifest, not both");
    }
    if (pallet && pallet->sku.require_manifest && !has_manifest && !no_manifest) {
        throw UsageError(std::string(command) + ": profile " + pallet->name() +
                         " needs the pallet's manifest (--manifest FILE): its units' SKU comes "
                         "from the packing list; --no-manifest decides on the units' word alone "
                         "and is recorded on the run");
    }
}

}  // namespace station::app
