// The unit's own votes for the SKU decision, from the shared tables (SignalTables) and the
// profiles' module lists. Each vote carries the value, the region (or none) and why.
#include <algorithm>

#include <station/core/sanitize.hpp>
#include <station/core/sku_decision.hpp>
#include <station/core/text.hpp>

namespace station::core {
namespace {

constexpr std::size_t k_shown = 64;  // characters of a device value in a basis

std::string region_word(const std::optional<Region>& vote) {
    return vote ? std::string(display_name(*vote)) : std::string("neutral");
}

// "zone 2", "MCC 310", "MCC 206 MNC 01".
std::string network_label(std::string_view prefix) {
    if (prefix.size() < 3) return "zone " + std::string(prefix);
    std::string label = "MCC " + std::string(prefix.substr(0, 3));
    if (prefix.size() > 3) label += " MNC " + std::string(prefix.substr(3));
    return label;
}

std::string table_place(const SignalTables& t, std::uint32_t line) {
    return t.source.empty() ? std::string("the tables")
                            : t.source + (line > 0 ? ":" + std::to_string(line) : "");
}

void vote_home_network(const Identity& id, const SignalTables* t, std::vector<SignalVote>& out) {
    if (id.imsi.empty()) return;
    const HomeNetwork* n = t ? t->home_network(id.imsi) : nullptr;
    SignalVote v{"imsi", id.imsi, n ? n->votes : std::nullopt, {}};
    if (!n) {
        v.basis = "home network MCC " + sanitize_for_display(id.imsi.substr(0, 3), 3) +
                  " is in no table: no vote";
    } else {
        v.basis = "home network " + network_label(n->prefix) + " " +
                  sanitize_for_display(n->name, k_shown) + ": " + region_word(n->votes) + " (" +
                  table_place(*t, n->line) + ")";
    }
    out.push_back(std::move(v));
}

void vote_issuer(const Identity& id, const SignalTables* t, std::vector<SignalVote>& out) {
    if (id.iccid.empty()) return;
    const Issuer* i = t ? t->issuer(id.iccid) : nullptr;
    SignalVote v{"iccid_issuer", id.iccid, i ? i->votes : std::nullopt, {}};
    if (!i) {
        v.basis = "the issuer of this ICCID is in no table: no vote";
    } else {
        v.basis = "issuer " + i->prefix + " " + sanitize_for_display(i->name, k_shown) +
                  (i->country.empty() ? "" : " (" + i->country + ")") + ": " +
                  region_word(i->votes) + " (" + table_place(*t, i->line) + ")";
    }
    out.push_back(std::move(v));
}

void vote_images(const Identity& id, const SignalTables* t, std::vector<SignalVote>& out) {
    std::vector<std::string> seen;
    for (const auto& image : id.carrier_images) {
        if (std::any_of(seen.begin(), seen.end(), [&](auto& s) { return iequals(s, image); }))
            continue;
        seen.push_back(image);
        const CarrierImage* c = t ? t->carrier_image(image) : nullptr;
        SignalVote v{"carrier_image", image, c ? c->votes : std::nullopt, {}};
        const std::string shown = sanitize_for_display(image, k_shown);
        v.basis = c ? "carrier image " + shown + ": " + region_word(c->votes) + " (" +
                          table_place(*t, c->line) + ")"
                    : "carrier image " + shown + " is in no table: no vote";
        out.push_back(std::move(v));
    }
}

void vote_module(const Identity& id, std::span<const SkuProfile> profiles,
                 std::vector<SignalVote>& out) {
    std::string carriers;
    for (const auto& p : profiles) {
        if (carries_module(p, id.model)) carriers += (carriers.empty() ? "" : ", ") + p.name;
    }
    SignalVote v{"module_model", id.model, std::nullopt, {}};
    if (id.model.empty()) {
        v.basis = "the unit reported no module model";
    } else {
        v.basis = carriers.empty()
                      ? "a module no profile carries"
                      : "a module carried by " + carriers + " (names the module, never the SKU)";
    }
    out.push_back(std::move(v));
}

}  // namespace

std::vector<SignalVote> unit_votes(const Identity& identity, const SignalTables* tables,
                                   std::span<const SkuProfile> profiles) {
    std::vector<SignalVote> votes;
    vote_home_network(identity, tables, votes);
    vote_issuer(identity, tables, votes);
    vote_images(identity, tables, votes);
    vote_module(identity, profiles, votes);
    return votes;
}

}  // namespace station::core
