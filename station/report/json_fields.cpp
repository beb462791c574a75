#include <station/report/json_fields.hpp>

namespace station::report {

using nlohmann::json;

json nullable(const std::string& value) {
    return value.empty() ? json(nullptr) : json(value);
}

json identity_json(const core::Identity& id) {
    return json{
        {"manufacturer", nullable(id.manufacturer)},
        {"model", nullable(id.model)},
        {"firmware", nullable(id.firmware)},
        {"fsn", nullable(id.fsn)},
        {"imei", nullable(id.imei)},
        {"imsi", nullable(id.imsi)},
        {"iccid", nullable(id.iccid)},
        {"iccid_command", nullable(id.iccid_command)},
        {"sim_status", core::to_string(id.sim_status)},
        {"carrier_images", id.carrier_images},
    };
}

nlohmann::json signal_json(const std::string& source, const std::string& value,
                           const std::optional<core::Region>& vote, const std::string& basis) {
    return {{"source", source},
            {"value", value},
            {"votes", vote ? std::string(to_string(*vote)) : std::string("none")},
            {"basis", basis}};
}

nlohmann::json decision_json(const core::SkuDecision& d) {
    const auto name = [](const auto& value) {
        return value ? nlohmann::json(std::string(to_string(*value))) : nlohmann::json(nullptr);
    };
    nlohmann::json signals = nlohmann::json::array();
    for (const auto& v : d.signals)
        signals.push_back(signal_json(v.source, v.value, v.vote, v.basis));
    return {{"profile", nullable(core::decided_profile(d))},
            {"family", nullable(d.family)},
            {"region", name(d.region)},
            {"data_center", name(d.data_center)},
            {"sku_basis", name(d.basis)},
            {"signals", std::move(signals)}};
}

}  // namespace station::report
