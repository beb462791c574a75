#include <station/core/signal_tables.hpp>

#include <algorithm>
#include <station/core/text.hpp>

namespace station::core {
namespace {

bool is_digit(char ch) {
    return ch >= '0' && ch <= '9';
}

// The row whose (non-empty) prefix is the longest prefix of `value`, or nullptr.
template <class Row>
const Row* longest_prefix(const std::vector<Row>& rows, std::string_view value) {
    const Row* best = nullptr;
    for (const auto& row : rows) {
        if (row.prefix.empty() || !value.starts_with(row.prefix)) continue;
        if (!best || row.prefix.size() > best->prefix.size()) best = &row;
    }
    return best;
}

}  // namespace

const HomeNetwork* SignalTables::home_network(std::string_view imsi) const {
    if (imsi.empty() || !std::all_of(imsi.begin(), imsi.end(), is_digit)) return nullptr;
    return longest_prefix(home_networks, imsi);
}

const Issuer* SignalTables::issuer(std::string_view iccid) const {
    if (iccid.empty()) return nullptr;
    return longest_prefix(issuers, iccid);
}

const CarrierImage* SignalTables::carrier_image(std::string_view name) const {
    if (name.empty()) return nullptr;
    const auto it =
        std::find_if(carrier_images.begin(), carrier_images.end(),
                     [&](const CarrierImage& image) { return iequals(image.name, name); });
    return it == carrier_images.end() ? nullptr : &*it;
}

}  // namespace station::core
