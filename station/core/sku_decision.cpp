#include <station/core/sku_decision.hpp>

#include <algorithm>
#include <cctype>

#include <station/core/sanitize.hpp>

namespace station::core {
namespace {

bool same_text(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

// The region every listed profile shares, or nullopt when they span both (or none).
std::optional<Region> common_region(const std::vector<const SkuProfile*>& listed) {
    if (listed.empty()) return std::nullopt;
    const Region first = listed.front()->region;
    for (const auto* p : listed) {
        if (p->region != first) return std::nullopt;
    }
    return first;
}

std::vector<std::string> names_of(const std::vector<const SkuProfile*>& listed) {
    std::vector<std::string> names;
    for (const auto* p : listed) names.push_back(p->name);
    return names;
}

// Neutral when no profile lists it or both regions do; otherwise the region that does.
SignalVote vote_of(std::string signal, std::string value, std::string what,
                   const std::vector<const SkuProfile*>& listed) {
    SignalVote v{std::move(signal), std::move(value), common_region(listed), {}};
    if (listed.empty()) {
        v.basis = what + " is listed by no profile: no vote";
    } else if (!v.vote) {
        v.basis = what + " is listed for both regions (" + join(names_of(listed)) + "): no vote";
    } else {
        v.basis = what + " is listed by " + join(names_of(listed));
    }
    return v;
}

std::vector<const SkuProfile*> model_matches(std::string_view model,
                                             std::span<const SkuProfile> profiles,
                                             std::string& pattern) {
    std::vector<const SkuProfile*> out;
    for (const auto& p : profiles) {
        for (const auto& glob : p.signals.model_patterns) {
            if (glob_match(glob, model)) {
                out.push_back(&p);
                if (pattern.empty()) pattern = glob;
                break;
            }
        }
    }
    return out;
}

void vote_carrier_images(const Identity& id, std::span<const SkuProfile> profiles,
                         std::vector<SignalVote>& votes) {
    std::vector<std::string> seen;
    for (const auto& image : id.carrier_images) {
        if (std::any_of(seen.begin(), seen.end(), [&](auto& s) { return same_text(s, image); }))
            continue;
        seen.push_back(image);
        std::vector<const SkuProfile*> listed;
        for (const auto& p : profiles) {
            const auto& names = p.signals.carrier_images;
            if (std::any_of(names.begin(), names.end(),
                            [&](auto& n) { return same_text(n, image); }))
                listed.push_back(&p);
        }
        votes.push_back(vote_of("carrier_image", image,
                                "carrier image " + sanitize_for_display(image, 64), listed));
    }
}

void vote_iccid_issuer(const Identity& id, std::span<const SkuProfile> profiles,
                       std::vector<SignalVote>& votes) {
    if (id.iccid.empty()) return;
    // The longest listed prefix names the issuer; every profile listing it votes.
    std::size_t best = 0;
    for (const auto& p : profiles) {
        for (const auto& prefix : p.signals.iccid_prefixes) {
            if (prefix.size() > best && id.iccid.starts_with(prefix)) best = prefix.size();
        }
    }
    std::vector<const SkuProfile*> listed;
    for (const auto& p : profiles) {
        const auto& prefixes = p.signals.iccid_prefixes;
        if (best > 0 && std::any_of(prefixes.begin(), prefixes.end(), [&](auto& x) {
                return x.size() == best && id.iccid.starts_with(x);
            }))
            listed.push_back(&p);
    }
    const std::string what =
        best > 0 ? "issuer prefix " + id.iccid.substr(0, best) : "the issuer of this ICCID";
    votes.push_back(vote_of("iccid_issuer", id.iccid, what, listed));
}

std::string describe_unit(const SkuProfile& p, std::string_view model) {
    return std::string(display_name(p.region)) + " " + p.family + " (model " +
           sanitize_for_display(model, 64) + ")";
}

SkuDecision failed(SkuDecision d, Reason reason, std::string message) {
    d.outcome = Outcome::fail;
    d.reason = reason;
    d.message = std::move(message);
    return d;
}

}  // namespace

std::string decided_profile(const SkuDecision& decision) {
    return decision.region ? decision.profile : std::string();
}

SkuDecision decide_sku(const Identity& id, std::span<const SkuProfile> profiles,
                       const SkuProfile* expected) {
    SkuDecision d;
    const std::string model = sanitize_for_display(id.model, 64);

    // 1. The primary signal: the unit's model / part number picks the profile.
    std::string pattern;
    const auto matched = model_matches(id.model, profiles, pattern);
    SignalVote model_vote{"model", id.model, common_region(matched), {}};
    if (matched.empty()) {
        model_vote.basis = "matches no profile's model patterns";
    } else {
        model_vote.basis = "matches " + join(names_of(matched)) + " (pattern '" + pattern + "')";
    }
    d.signals.push_back(model_vote);
    vote_carrier_images(id, profiles, d.signals);
    vote_iccid_issuer(id, profiles, d.signals);

    if (id.model.empty()) {
        return failed(std::move(d), Reason::sku_unknown, "the unit reported no model");
    }
    if (matched.empty()) {
        return failed(
            std::move(d), Reason::sku_unknown,
            "model " + model + " matches none of " + std::to_string(profiles.size()) + " profiles");
    }
    if (matched.size() > 1) {
        return failed(
            std::move(d), Reason::sku_conflicting_signals,
            "model " + model + " matches more than one profile: " + join(names_of(matched)));
    }
    const SkuProfile& unit = *matched.front();
    d.profile = unit.name;
    d.family = unit.family;

    // 2. Cross-checks: any signal voting for the other region is a conflict, never a guess.
    std::string disagreeing;
    for (const auto& v : d.signals) {
        if (v.vote && *v.vote != unit.region) {
            disagreeing += (disagreeing.empty() ? "" : "; ") + v.signal + " " +
                           sanitize_for_display(v.value, 64) + " says " +
                           std::string(display_name(*v.vote));
        }
    }
    if (!disagreeing.empty()) {
        return failed(std::move(d), Reason::sku_conflicting_signals,
                      "signals disagree: model " + model + " says " +
                          std::string(display_name(unit.region)) + " (" + unit.name + "), but " +
                          disagreeing);
    }
    d.region = unit.region;
    d.data_center = unit.data_center();

    // 3. The pallet: the unit must be what the operator says is on it.
    if (expected && (expected->family != unit.family || expected->region != unit.region)) {
        return failed(std::move(d), Reason::sku_mismatch,
                      "unit reports " + describe_unit(unit, id.model) + ", pallet profile is " +
                          expected->name);
    }

    // 4. Firmware at least the profile's minimum.
    if (!unit.min_firmware.empty()) {
        const auto need = firmware_version(unit.min_firmware);
        const auto have = firmware_version(id.firmware);
        if (!have) {
            return failed(std::move(d), Reason::firmware_too_old,
                          "firmware '" + sanitize_for_display(id.firmware, 80) +
                              "' has no version number; " + unit.name + " needs " +
                              unit.min_firmware + " or later");
        }
        if (need && compare_versions(*have, *need) < 0) {
            return failed(std::move(d), Reason::firmware_too_old,
                          "firmware '" + sanitize_for_display(id.firmware, 80) +
                              "' is older than " + unit.name + "'s minimum " + unit.min_firmware);
        }
    }

    d.outcome = Outcome::pass;
    d.message = describe_unit(unit, id.model) + " -> " + std::string(to_string(*d.data_center)) +
                " data center (" + std::string(default_base_url(*d.data_center)) + ")";
    return d;
}

}  // namespace station::core
