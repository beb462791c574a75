#include <station/core/sku_decision.hpp>

#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>

namespace station::core {
namespace {

constexpr std::size_t k_shown = 64;

std::string region_name(Region r) {
    return std::string(display_name(r));
}

SkuDecision failed(SkuDecision d, Reason reason, std::string message) {
    d.outcome = Outcome::fail;
    d.reason = reason;
    d.message = std::move(message);
    return d;
}

std::string vote_text(const SignalVote& v) {
    return v.source + " " + sanitize_for_display(v.value, k_shown) + " says " +
           region_name(*v.vote);
}

// Any two non-neutral votes that disagree: the message names every vote against the first.
std::optional<std::string> conflict(const std::vector<SignalVote>& votes) {
    const SignalVote* first = nullptr;
    std::vector<std::string> against;
    for (const auto& v : votes) {
        if (!v.vote) continue;
        if (!first) {
            first = &v;
        } else if (*v.vote != *first->vote) {
            against.push_back(vote_text(v));
        }
    }
    if (against.empty()) return std::nullopt;
    return "signals disagree: " + vote_text(*first) + ", but " + join(against);
}

// The independent sources that voted: the SIM (home network, issuer: one card) and the
// module's carrier images. Votes agree here (conflicts were failed before).
struct Sources {
    std::optional<Region> region;
    std::vector<std::string> voted;  // "the SIM (...)", "the carrier images (...)"
};

Sources independent_sources(const std::vector<SignalVote>& votes) {
    Sources s;
    std::string sim, images;
    for (const auto& v : votes) {
        if (!v.vote) continue;
        s.region = v.vote;
        std::string& group = v.source == "carrier_image" ? images : sim;
        group += (group.empty() ? "" : ", ") + v.source + " " + sanitize_for_display(v.value, 24);
    }
    if (!sim.empty()) s.voted.push_back("the SIM (" + sim + ")");
    if (!images.empty()) s.voted.push_back("the carrier images (" + images + ")");
    return s;
}

// Without a manifest: the profile the agreeing sources and the module name, or a FAIL.
std::optional<SkuDecision> pick_by_unit(SkuDecision& d, const Identity& id, const SkuEvidence& ev,
                                        const SkuProfile*& unit) {
    const Sources s = independent_sources(d.signals);
    if (s.voted.size() < 2) {
        const std::string said =
            s.voted.empty() ? "no signal votes a region"
                            : "only " + s.voted.front() + " says " + region_name(*s.region);
        return failed(std::move(d), Reason::sku_undecided,
                      said +
                          ": a unit is never routed on one source alone; give the pallet's "
                          "--manifest");
    }
    const Region region = *s.region;
    if (ev.expected) {
        if (ev.expected->region != region) {
            return failed(std::move(d), Reason::sku_mismatch,
                          "unit's signals say " + region_name(region) + " (" + join(s.voted) +
                              "), pallet profile is " + ev.expected->name + " (" +
                              region_name(ev.expected->region) + ")");
        }
        unit = ev.expected;
        return std::nullopt;
    }
    std::vector<std::string> carried;
    for (const auto& p : ev.profiles) {
        if (p.region == region && carries_module(p, id.model)) {
            carried.push_back(p.name);
            unit = &p;
        }
    }
    const std::string module = "module " + sanitize_for_display(id.model, k_shown);
    if (carried.empty()) {
        return failed(std::move(d), Reason::sku_unknown,
                      module + " is carried by no " + region_name(region) + " profile");
    }
    if (carried.size() > 1) {
        return failed(std::move(d), Reason::sku_undecided,
                      module + " is carried by several " + region_name(region) + " profiles (" +
                          join(carried) + "): name the pallet's profile or give --manifest");
    }
    return std::nullopt;
}

// With a manifest: the unit's line, its SIM as shipped and the profile its part number names.
std::optional<SkuDecision> pick_by_manifest(SkuDecision& d, const Identity& id,
                                            const SkuEvidence& ev, const SkuProfile*& unit) {
    const Manifest& m = *ev.manifest;
    const auto match = match_manifest(m, id.fsn, id.imei);
    if (match.kind != ManifestMatchKind::matched || !match.line) {
        d.signals.insert(
            d.signals.begin(),
            SignalVote{"manifest", id.fsn.empty() ? id.imei : id.fsn, std::nullopt, match.message});
        return failed(std::move(d),
                      match.kind == ManifestMatchKind::not_found ? Reason::not_on_manifest
                                                                 : Reason::manifest_mismatch,
                      match.message);
    }
    d.manifest_line = *match.line;
    const ManifestLine& line = m.lines()[*match.line];
    const std::string place = m.place(*match.line);
    unit = profile_with_part(ev.profiles, line.part_number);
    SignalVote v{"manifest", line.part_number, unit ? std::optional(unit->region) : std::nullopt,
                 place + " lists part number " + sanitize_for_display(line.part_number, 32)};
    v.basis += unit ? ": " + unit->name : ": listed by no profile";
    d.signals.insert(d.signals.begin(), v);
    if (!line.iccid.empty() && line.iccid != id.iccid) {
        return failed(std::move(d), Reason::sim_not_as_shipped,
                      "the unit's SIM " + sanitize_for_display(id.iccid, 32) +
                          " is not the one shipped: " + place + " lists ICCID " + line.iccid);
    }
    if (!unit) {
        return failed(std::move(d), Reason::sku_unknown,
                      place + ": part number " + sanitize_for_display(line.part_number, 32) +
                          " is listed by no profile");
    }
    return std::nullopt;
}

// A retest: the profile the unit's record or label names, as the first vote.
std::optional<SkuDecision> pick_by_label(SkuDecision& d, const SkuEvidence& ev,
                                         const SkuProfile*& unit) {
    if (ev.history) {
        unit = ev.history;
        d.signals.insert(d.signals.begin(),
                         SignalVote{"history", unit->name, unit->region,
                                    "provisioned as " + unit->name + " (its last PASS)"});
        return std::nullopt;
    }
    const std::string part = sanitize_for_display(ev.part_number, 32);
    unit = profile_with_part(ev.profiles, ev.part_number);
    d.signals.insert(
        d.signals.begin(),
        SignalVote{
            "part_number", ev.part_number, unit ? std::optional(unit->region) : std::nullopt,
            "label part number " + part + (unit ? ": " + unit->name : ": listed by no profile")});
    if (!unit) {
        return failed(std::move(d), Reason::sku_unknown,
                      "part number " + part + " is listed by no profile");
    }
    return std::nullopt;
}

DecisionBasis basis_of(const SkuEvidence& ev) {
    if (ev.history) return DecisionBasis::history;
    if (!ev.part_number.empty()) return DecisionBasis::part_number;
    return ev.manifest ? DecisionBasis::manifest : DecisionBasis::unit_signals;
}

// The unit's module must be one its profile's family carries.
std::optional<std::string> module_problem(const SkuProfile& unit, const Identity& id) {
    if (unit.signals.module_models.empty() || carries_module(unit, id.model)) return std::nullopt;
    const std::string carried = join(unit.signals.module_models);
    if (id.model.empty()) {
        return "the unit reported no module model; " + unit.name + " carries " + carried;
    }
    return "module " + sanitize_for_display(id.model, k_shown) + " is not what " + unit.name +
           " carries (" + carried + ")";
}

std::optional<std::string> firmware_problem(const SkuProfile& unit, const Identity& id) {
    if (unit.min_firmware.empty()) return std::nullopt;
    const auto need = firmware_version(unit.min_firmware);
    const auto have = firmware_version(id.firmware);
    const std::string fw = "firmware '" + sanitize_for_display(id.firmware, 80) + "'";
    if (!have) {
        return fw + " has no version number; " + unit.name + " needs " + unit.min_firmware +
               " or later";
    }
    if (need && compare_versions(*have, *need) < 0) {
        return fw + " is older than " + unit.name + "'s minimum " + unit.min_firmware;
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(DecisionBasis basis) {
    switch (basis) {
        case DecisionBasis::manifest:
            return "manifest";
        case DecisionBasis::unit_signals:
            return "unit_signals";
        case DecisionBasis::history:
            return "history";
        case DecisionBasis::part_number:
            return "part_number";
    }
    return "unit_signals";
}

std::string decided_profile(const SkuDecision& decision) {
    return decision.region ? decision.profile : std::string();
}

SkuDecision decide_sku(const Identity& id, const SkuEvidence& ev) {
    SkuDecision d;
    d.signals = unit_votes(id, ev.tables, ev.profiles);
    const SkuProfile* unit = nullptr;
    const DecisionBasis basis = basis_of(ev);
    const bool labelled = basis == DecisionBasis::history || basis == DecisionBasis::part_number;
    if (labelled) {
        if (auto verdict = pick_by_label(d, ev, unit)) return std::move(*verdict);
    } else if (ev.manifest) {
        if (auto verdict = pick_by_manifest(d, id, ev, unit)) return std::move(*verdict);
    }
    if (auto why = conflict(d.signals)) {
        return failed(std::move(d), Reason::sku_conflicting_signals, *why);
    }
    if (basis == DecisionBasis::unit_signals) {
        if (auto verdict = pick_by_unit(d, id, ev, unit)) return std::move(*verdict);
    }
    d.profile = unit->name;
    d.family = unit->family;
    if (auto why = module_problem(*unit, id)) {
        return failed(std::move(d), Reason::sku_conflicting_signals, *why);
    }
    d.region = unit->region;
    d.data_center = unit->data_center();
    d.basis = basis;
    const std::string described = region_name(unit->region) + " " + unit->family + " (" +
                                  unit->name + ", by " + std::string(to_string(*d.basis)) + ")";
    if (ev.expected &&
        (ev.expected->family != unit->family || ev.expected->region != unit->region)) {
        return failed(std::move(d), Reason::sku_mismatch,
                      "unit is " + described + ", pallet profile is " + ev.expected->name);
    }
    if (auto why = firmware_problem(*unit, id)) {
        return failed(std::move(d), Reason::firmware_too_old, *why);
    }
    d.outcome = Outcome::pass;
    d.message = described + " -> " + std::string(to_string(*d.data_center)) + " data center (" +
                std::string(default_base_url(*d.data_center)) + ")";
    return d;
}

}  // namespace station::core
