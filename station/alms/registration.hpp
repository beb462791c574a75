// What the station asks ALMS to register, what ALMS says back, and the outcome of one
// attempt in a form the outbox stores as is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/alms/clock.hpp>
#include <station/core/region.hpp>

namespace station::alms {

// One provisioned unit, as identified on the bench. Strings are raw device data.
struct UnitRecord {
    std::string fsn;  // factory serial number -> gateway.serialNumber
    std::string imei;
    std::string iccid;  // OOB SIM -> subscription.identifier
    std::string imsi;   // OOB SIM -> subscription.networkIdentifier (may be empty)
    std::string name;   // system name in ALMS; empty = the FSN
    core::Region region = core::Region::na;
    std::vector<std::string> labels;
};

// Support term bought with the unit (DOMAIN.md: 1 year by default, 3 or 5 from the PO).
enum class Term { one_year, three_years, five_years };

std::string_view to_string(Term term);  // "1y" | "3y" | "5y"
std::optional<Term> term_from_string(std::string_view text);

struct RegistrationRequest {
    UnitRecord unit;
    Term term = Term::one_year;
    std::string purchase_order;  // may be empty
    // The ALMS company uid to register into (the pallet manifest's `company`): every call for
    // this unit acts for it (`company=<uid>`); empty: the config's reseller target / company.
    std::string company{};
    // Outbox action `update` (a SIM swapped since registration): the unit's system exists and
    // its subscription moves to unit.iccid (AlmsClient::update_subscription); false: a create.
    bool update = false;
};

// A system as ALMS lists it (only the fields we compare).
struct RemoteSystem {
    std::string uid;
    std::string name;
    std::string imei;
    std::string serial;
    std::string iccid;
    std::string imsi;
};

// ALMS error body: {"error": "...", "errorParameters": [...]}.
struct ServerError {
    std::string code;
    std::vector<std::string> parameters;
};

enum class AttemptKind { registered, conflict, retry_later, failed_final };

std::string_view to_string(AttemptKind kind);

// The outcome of one register_unit call:
// - registered: `system_uid` (created now, or found with the same serial and ICCID);
// - conflict: ALMS has a different system for this IMEI; `detail` and `remote` say which;
// - retry_later: not settled (network, 5xx, 429/503...); try again at or after `not_before`;
// - failed_final: ALMS refused the unit (4xx); `server_error` holds its code and parameters.
// `detail` is a sanitized sentence fit for a terminal, a log or the database.
struct AttemptOutcome {
    AttemptKind kind = AttemptKind::retry_later;
    std::string system_uid;
    bool created = false;
    std::string detail;
    std::optional<WallTime> not_before;
    long http_status = 0;
    std::optional<ServerError> server_error;
    std::optional<RemoteSystem> remote;
    int passes = 0;  // look-up/create passes made in this call
    // retry_later only: a create was sent and its answer lost (timeout, dropped connection,
    // 5xx, unreadable 2xx): ALMS may hold the unit. It is not looked up again in this call.
    bool create_in_doubt = false;
};

}  // namespace station::alms
