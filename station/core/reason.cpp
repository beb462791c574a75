#include <station/core/reason.hpp>

#include <array>
#include <utility>

namespace station::core {
namespace {

struct ReasonRow {
    Reason reason;
    std::string_view name;
    Outcome outcome;
};

constexpr std::array k_reasons{
    ReasonRow{Reason::sim_not_inserted, "sim_not_inserted", Outcome::fail},
    ReasonRow{Reason::sim_pin_required, "sim_pin_required", Outcome::fail},
    ReasonRow{Reason::sim_puk_required, "sim_puk_required", Outcome::fail},
    ReasonRow{Reason::sim_failure, "sim_failure", Outcome::fail},
    ReasonRow{Reason::iccid_unreadable, "iccid_unreadable", Outcome::fail},
    ReasonRow{Reason::iccid_invalid, "iccid_invalid", Outcome::fail},
    ReasonRow{Reason::imei_unreadable, "imei_unreadable", Outcome::fail},
    ReasonRow{Reason::imei_invalid, "imei_invalid", Outcome::fail},
    ReasonRow{Reason::sku_unknown, "sku_unknown", Outcome::fail},
    ReasonRow{Reason::sku_conflicting_signals, "sku_conflicting_signals", Outcome::fail},
    ReasonRow{Reason::sku_mismatch, "sku_mismatch", Outcome::fail},
    ReasonRow{Reason::sku_undecided, "sku_undecided", Outcome::fail},
    ReasonRow{Reason::not_on_manifest, "not_on_manifest", Outcome::fail},
    ReasonRow{Reason::manifest_mismatch, "manifest_mismatch", Outcome::fail},
    ReasonRow{Reason::sim_not_as_shipped, "sim_not_as_shipped", Outcome::fail},
    ReasonRow{Reason::firmware_too_old, "firmware_too_old", Outcome::fail},
    ReasonRow{Reason::duplicate_iccid, "duplicate_iccid", Outcome::fail},
    ReasonRow{Reason::duplicate_imei, "duplicate_imei", Outcome::fail},
    ReasonRow{Reason::never_provisioned, "never_provisioned", Outcome::fail},
    ReasonRow{Reason::imei_changed, "imei_changed", Outcome::fail},
    ReasonRow{Reason::fsn_changed, "fsn_changed", Outcome::fail},
    ReasonRow{Reason::sku_changed, "sku_changed", Outcome::fail},
    ReasonRow{Reason::alms_duplicate, "alms_duplicate", Outcome::fail},
    ReasonRow{Reason::alms_wrong_data_center, "alms_wrong_data_center", Outcome::fail},
    ReasonRow{Reason::sim_swapped, "sim_swapped", Outcome::fail},
    ReasonRow{Reason::alms_iccid_stale, "alms_iccid_stale", Outcome::fail},
    ReasonRow{Reason::alms_missing, "alms_missing", Outcome::fail},
    ReasonRow{Reason::not_registered, "not_registered", Outcome::fail},
    ReasonRow{Reason::sim_busy, "sim_busy", Outcome::error},
    ReasonRow{Reason::no_response, "no_response", Outcome::error},
    ReasonRow{Reason::port_lost, "port_lost", Outcome::error},
    ReasonRow{Reason::port_unavailable, "port_unavailable", Outcome::error},
    ReasonRow{Reason::port_busy, "port_busy", Outcome::error},
    ReasonRow{Reason::protocol_error, "protocol_error", Outcome::error},
    ReasonRow{Reason::response_too_large, "response_too_large", Outcome::error},
    ReasonRow{Reason::bad_usage, "bad_usage", Outcome::error},
    ReasonRow{Reason::store_error, "store_error", Outcome::error},
    ReasonRow{Reason::slot_quarantined, "slot_quarantined", Outcome::error},
    ReasonRow{Reason::manifest_incomplete, "manifest_incomplete", Outcome::error},
    ReasonRow{Reason::out_of_resources, "out_of_resources", Outcome::error},
    ReasonRow{Reason::wrong_data_center, "wrong_data_center", Outcome::error},
    ReasonRow{Reason::alms_auth_refused, "alms_auth_refused", Outcome::error},
    ReasonRow{Reason::alms_tls_failed, "alms_tls_failed", Outcome::error},
    ReasonRow{Reason::alms_unavailable, "alms_unavailable", Outcome::error},
    ReasonRow{Reason::aborted, "aborted", Outcome::aborted},
};

const ReasonRow* find(Reason reason) {
    for (const auto& row : k_reasons) {
        if (row.reason == reason) return &row;
    }
    return nullptr;
}

}  // namespace

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::pass:
            return "PASS";
        case Outcome::fail:
            return "FAIL";
        case Outcome::error:
            return "ERROR";
        case Outcome::aborted:
            return "ABORTED";
    }
    return "ERROR";
}

std::string_view to_string(Reason reason) {
    const auto* row = find(reason);
    return row ? row->name : "protocol_error";
}

std::optional<Reason> reason_from_string(std::string_view text) {
    for (const auto& row : k_reasons) {
        if (row.name == text) return row.reason;
    }
    return std::nullopt;
}

Outcome outcome_of(Reason reason) {
    const auto* row = find(reason);
    return row ? row->outcome : Outcome::error;
}

}  // namespace station::core
