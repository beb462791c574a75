// compare_history: the findings of a returned unit against its provisioning record. Pure.
#include <station/core/retest.hpp>

#include <algorithm>

#include <station/core/sku_profile.hpp>
#include <station/core/text.hpp>

namespace station::core {
namespace {

// "xr90-na (na)": the parts known.
std::string describe_sku(const std::string& profile, std::optional<Region> region) {
    std::string text = profile;
    if (region) {
        if (!text.empty()) text += ' ';
        text += "(" + std::string(to_string(*region)) + ")";
    }
    return text;
}

// Identifiers (FSN, IMEI, ICCID) and profile names compare ignoring ASCII case; an empty value
// on either side says nothing.
bool differs(const std::string& before, const std::string& now) {
    return !before.empty() && !now.empty() && !iequals(before, now);
}

bool sku_differs(const ProvisionedUnit& was, const RetestedUnit& now) {
    const bool profile = differs(was.profile, now.profile);
    const bool region = was.region && now.region && *was.region != *now.region;
    return profile || region;
}

bool firmware_older(const std::string& before, const std::string& now) {
    const auto was = firmware_version(before);
    const auto is = firmware_version(now);
    return was && is && compare_versions(*is, *was) < 0;
}

// The findings against the unit's own record (by FSN, else the one found by its IMEI).
void compare_record(const ProvisionedUnit& was, const RetestedUnit& now,
                    std::vector<Finding>& out) {
    const Identity& id = now.identity;
    if (sku_differs(was, now)) {
        out.push_back({FindingKind::sku_changed, describe_sku(was.profile, was.region),
                       describe_sku(now.profile, now.region), was.seen});
    }
    if (!was.iccid.empty() && !iequals(was.iccid, id.iccid)) {
        out.push_back({FindingKind::sim_swapped, was.iccid, id.iccid, was.seen});
    }
    if (!was.registered) {
        const std::string where =
            was.data_center ? "queued for " + std::string(to_string(*was.data_center)) : "";
        out.push_back({FindingKind::not_registered, where, "not registered", was.seen});
    }
    if (firmware_older(was.firmware, id.firmware)) {
        out.push_back({FindingKind::firmware_downgraded, was.firmware, id.firmware, was.seen});
    }
}

}  // namespace

std::vector<Finding> compare_history(const UnitHistory& history, const RetestedUnit& now) {
    const Identity& id = now.identity;
    std::vector<Finding> out;
    if (!history.by_fsn && !history.by_imei) {
        out.push_back(
            {FindingKind::never_provisioned, "", "FSN " + id.fsn + ", IMEI " + id.imei, ""});
        return out;
    }
    if (history.by_fsn && differs(history.by_fsn->imei, id.imei)) {
        out.push_back(
            {FindingKind::imei_changed, history.by_fsn->imei, id.imei, history.by_fsn->seen});
    }
    if (history.by_imei && differs(history.by_imei->fsn, id.fsn)) {
        out.push_back(
            {FindingKind::fsn_changed, history.by_imei->fsn, id.fsn, history.by_imei->seen});
    }
    compare_record(history.by_fsn ? *history.by_fsn : *history.by_imei, now, out);
    std::stable_sort(out.begin(), out.end(),
                     [](const Finding& a, const Finding& b) { return a.kind < b.kind; });
    return out;
}

}  // namespace station::core
