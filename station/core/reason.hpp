// Outcomes and the stable reason codes scripts depend on.
#pragma once

#include <optional>
#include <string_view>

namespace station::core {

// Ordered by severity: a run's outcome is its worst slot's.
enum class Outcome { pass, fail, error, aborted };

// Stable machine-readable reason codes. Each belongs to exactly one outcome
// (see outcome_of): FAIL means the unit is at fault, ERROR the station or line.
enum class Reason {
    // unit at fault (FAIL)
    sim_not_inserted,
    sim_pin_required,
    sim_puk_required,
    sim_failure,
    iccid_unreadable,
    iccid_invalid,
    imei_unreadable,
    imei_invalid,
    sku_unknown,
    sku_conflicting_signals,
    sku_mismatch,
    sku_undecided,       // fewer than two independent signals agree and no manifest decides
    not_on_manifest,     // neither the unit's FSN nor its IMEI is on the pallet manifest
    manifest_mismatch,   // FSN and IMEI on different manifest lines, or only one of them found
    sim_not_as_shipped,  // the unit's ICCID is not the one its manifest line lists
    firmware_too_old,
    duplicate_iccid,
    duplicate_imei,
    // retest of a returned unit (issue 16; core/finding.hpp): what changed since it left
    never_provisioned,       // no earlier PASS of this FSN or IMEI in the store
    imei_changed,            // same FSN, other IMEI: module replaced
    fsn_changed,             // same IMEI, other FSN
    sku_changed,             // decided profile or region differs from provisioning
    alms_duplicate,          // ALMS holds the unit in both data centers
    alms_wrong_data_center,  // ALMS holds it in the data center its region does not route to
    sim_swapped,             // ICCID differs from the one provisioned
    alms_iccid_stale,        // ALMS holds another ICCID
    alms_missing,            // ALMS holds it in neither data center
    not_registered,          // its registration never reached `registered`
    // station, port or line at fault (ERROR)
    sim_busy,
    no_response,
    port_lost,
    port_unavailable,
    port_busy,  // another process (a second station, a terminal program) holds the port
    protocol_error,
    response_too_large,
    bad_usage,
    store_error,
    slot_quarantined,
    manifest_incomplete,  // --require-complete: manifest lines that no unit of the run matched
    out_of_resources,     // the station got no thread or file it needs (limits of this machine)
    // ALMS (ERROR: the station's setup or the service, never the unit)
    wrong_data_center,  // the unit routes to the other data center: refused before any request
    alms_auth_refused,  // ALMS refused the client credentials or the acting company
    alms_tls_failed,    // the server's certificate is not trusted (or the CA bundle is unusable)
    alms_unavailable,   // ALMS did not answer usably within the retries
    aborted,
};

std::string_view to_string(Outcome outcome);
std::string_view to_string(Reason reason);
std::optional<Reason> reason_from_string(std::string_view text);

// The outcome a reason implies.
Outcome outcome_of(Reason reason);

// The more severe of two outcomes.
constexpr Outcome worst(Outcome a, Outcome b) {
    return a < b ? b : a;
}

}  // namespace station::core
