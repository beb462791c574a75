#include <station/core/finding.hpp>

#include <array>

namespace station::core {
namespace {

struct KindRow {
    FindingKind kind;
    std::string_view name;
    std::optional<Reason> reason;  // blocking kinds only
    DepotAction action;
};

constexpr std::array k_kinds{
    KindRow{FindingKind::never_provisioned, "never_provisioned", Reason::never_provisioned,
            DepotAction::scrap},
    KindRow{FindingKind::imei_changed, "imei_changed", Reason::imei_changed, DepotAction::scrap},
    KindRow{FindingKind::fsn_changed, "fsn_changed", Reason::fsn_changed, DepotAction::scrap},
    KindRow{FindingKind::sku_changed, "sku_changed", Reason::sku_changed, DepotAction::scrap},
    KindRow{FindingKind::alms_duplicate, "alms_duplicate", Reason::alms_duplicate,
            DepotAction::scrap},
    KindRow{FindingKind::alms_wrong_data_center, "alms_wrong_data_center",
            Reason::alms_wrong_data_center, DepotAction::scrap},
    KindRow{FindingKind::sim_swapped, "sim_swapped", Reason::sim_swapped, DepotAction::re_register},
    KindRow{FindingKind::alms_iccid_stale, "alms_iccid_stale", Reason::alms_iccid_stale,
            DepotAction::re_register},
    KindRow{FindingKind::alms_missing, "alms_missing", Reason::alms_missing,
            DepotAction::re_register},
    KindRow{FindingKind::not_registered, "not_registered", Reason::not_registered,
            DepotAction::re_register},
    KindRow{FindingKind::firmware_downgraded, "firmware_downgraded", std::nullopt,
            DepotAction::ship_back},
};

const KindRow& row_of(FindingKind kind) {
    for (const auto& row : k_kinds) {
        if (row.kind == kind) return row;
    }
    return k_kinds.front();
}

}  // namespace

std::string_view to_string(FindingKind kind) {
    return row_of(kind).name;
}

std::optional<FindingKind> finding_kind_from_string(std::string_view text) {
    for (const auto& row : k_kinds) {
        if (row.name == text) return row.kind;
    }
    return std::nullopt;
}

std::string_view to_string(DepotAction action) {
    switch (action) {
        case DepotAction::ship_back:
            return "ship back";
        case DepotAction::replace_sim:
            return "replace SIM";
        case DepotAction::re_register:
            return "re-register";
        case DepotAction::scrap:
            return "scrap";
    }
    return "scrap";
}

bool is_blocking(FindingKind kind) {
    return row_of(kind).reason.has_value();
}

std::optional<Reason> reason_of(FindingKind kind) {
    return row_of(kind).reason;
}

DepotAction action_of(FindingKind kind) {
    return row_of(kind).action;
}

std::optional<Reason> first_blocking(const std::vector<Finding>& findings) {
    std::optional<FindingKind> first;
    for (const auto& f : findings) {
        if (is_blocking(f.kind) && (!first || f.kind < *first)) first = f.kind;
    }
    if (!first) return std::nullopt;
    return reason_of(*first);
}

DepotAction action_for(const std::vector<Finding>& findings) {
    DepotAction action = DepotAction::ship_back;
    for (const auto& f : findings) {
        if (action_of(f.kind) > action) action = action_of(f.kind);
    }
    return action;
}

}  // namespace station::core
