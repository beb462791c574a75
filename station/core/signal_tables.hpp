// The shared evidence tables of the SKU decision (profiles/networks.toml): which region a SIM's
// home network (IMSI MCC/MNC), a SIM issuer (ICCID prefix) and a carrier image vote for, or
// that they are neutral. One table for every profile, so a prefix cannot vote two ways.
// Pure data and look-ups; the loader is profiles/networks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/region.hpp>

namespace station::core {

// A SIM's home network: an IMSI prefix of 1 digit (an E.212 zone, e.g. "2" Europe), 3 digits
// (an MCC, "310") or 5-6 digits (MCC+MNC, "20601"). The longest prefix of an IMSI wins.
struct HomeNetwork {
    std::string prefix;
    std::string name;             // "USA", "Sierra Wireless Smart SIM (roaming)"
    std::optional<Region> votes;  // nullopt: neutral
    std::uint32_t line = 0;       // in the tables file
};

// A SIM issuer: an ICCID prefix ("89" + country code + issuer, e.g. "8901410" AT&T).
// The longest prefix of an ICCID wins.
struct Issuer {
    std::string prefix;
    std::string name;     // operator, "AT&T"
    std::string country;  // ISO 3166 alpha-2, "US"; may be empty for worldwide issuers
    std::optional<Region> votes;
    std::uint32_t line = 0;
};

// A carrier image name (AT!PRIID?, AT!IMPREF?), compared in any letter case. Images can only
// vote NA or be neutral: no public image proves Global (DOMAIN.md "Second reading").
struct CarrierImage {
    std::string name;
    std::optional<Region> votes;
    std::uint32_t line = 0;
};

struct SignalTables {
    std::string source;      // the file they came from, for messages
    std::string sha256;      // of the file's bytes as loaded; empty when parsed from text
    std::string provenance;  // the file's own `source = "..."`: where the facts come from
    std::vector<HomeNetwork> home_networks;
    std::vector<Issuer> issuers;
    std::vector<CarrierImage> carrier_images;

    // nullptr when nothing matches (then the signal is neutral).
    const HomeNetwork* home_network(std::string_view imsi) const;
    const Issuer* issuer(std::string_view iccid) const;
    const CarrierImage* carrier_image(std::string_view name) const;
};

}  // namespace station::core
