#include <station/workflows/alms_check.hpp>

#include <algorithm>

#include <station/core/sanitize.hpp>

namespace station::workflows {
namespace {

using core::DataCenter;
using core::Finding;
using core::FindingKind;

std::string show(const std::string& text) {
    return core::sanitize_for_display(text, 120);
}

std::string alms_name(DataCenter dc) {
    return "ALMS " + std::string(core::to_string(dc));
}

// "ALMS eu, system <uid>" (and ", and N more" when it holds several for the IMEI).
std::string seen_in(DataCenter dc, const std::vector<alms::RemoteSystem>& systems) {
    std::string out = alms_name(dc) + ", system " + show(systems.front().uid);
    if (systems.size() > 1) out += " and " + std::to_string(systems.size() - 1) + " more";
    return out;
}

DataCenter other_than(DataCenter dc) {
    return dc == DataCenter::na ? DataCenter::eu : DataCenter::na;
}

std::vector<Finding> judge(const AlmsCheckUnit& unit, const std::vector<alms::RemoteSystem>& right,
                           const std::vector<alms::RemoteSystem>& wrong) {
    const DataCenter dc = unit.data_center;
    const DataCenter other = other_than(dc);
    std::vector<Finding> findings;
    if (right.empty() && wrong.empty()) {
        findings.push_back({FindingKind::alms_missing, "",
                            "no system with IMEI " + show(unit.imei) + " in ALMS na or eu",
                            "ALMS na, ALMS eu"});
        return findings;
    }
    if (!right.empty() && !wrong.empty()) {
        findings.push_back({FindingKind::alms_duplicate, seen_in(other, wrong), seen_in(dc, right),
                            seen_in(dc, right) + "; " + seen_in(other, wrong)});
    } else if (right.empty()) {
        findings.push_back(
            {FindingKind::alms_wrong_data_center, alms_name(other),
             alms_name(dc) + " (region " + std::string(core::display_name(unit.region)) + ")",
             seen_in(other, wrong)});
    }
    const bool holds_iccid = std::any_of(right.begin(), right.end(),
                                         [&](const auto& s) { return s.iccid == unit.iccid; });
    if (!right.empty() && !holds_iccid) {
        findings.push_back({FindingKind::alms_iccid_stale, show(right.front().iccid),
                            show(unit.iccid), seen_in(dc, right)});
    }
    return findings;
}

}  // namespace

core::Result<std::vector<Finding>> check_alms(AlmsLookup& na, AlmsLookup& eu,
                                              const AlmsCheckUnit& unit) {
    auto in_na = na.find_by_imei(unit.imei);
    if (!in_na) {
        return core::fail(in_na.error().reason, "ALMS check: " + in_na.error().message);
    }
    auto in_eu = eu.find_by_imei(unit.imei);
    if (!in_eu) {
        return core::fail(in_eu.error().reason, "ALMS check: " + in_eu.error().message);
    }
    const bool na_is_right = unit.data_center == DataCenter::na;
    return judge(unit, na_is_right ? *in_na : *in_eu, na_is_right ? *in_eu : *in_na);
}

AlmsCheckHook make_alms_check(std::shared_ptr<AlmsLookup> na, std::shared_ptr<AlmsLookup> eu) {
    return [na = std::move(na), eu = std::move(eu)](
               const core::Identity& identity, core::Region region,
               DataCenter data_center) -> core::Result<std::vector<Finding>> {
        if (!na || !eu) {
            return core::fail(core::Reason::alms_unavailable, "ALMS check: no look-up for the " +
                                                                  std::string(!na ? "NA" : "EU") +
                                                                  " data center");
        }
        return check_alms(*na, *eu,
                          AlmsCheckUnit{identity.imei, identity.iccid, region, data_center});
    };
}

}  // namespace station::workflows
