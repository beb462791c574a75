// The wire shape of ALMS requests and answers, all in this one module: the AirLink Register
// mapping is not fully public (DOMAIN.md), so when it turns out different, this is the only
// file to change. Everything here is pure (text in, values out).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/alms/registration.hpp>
#include <station/alms/secret.hpp>
#include <station/core/result.hpp>

namespace station::alms::mapping {

// OAuth2 client-credentials token request.
inline constexpr std::string_view k_token_path = "/api/oauth/token";
inline constexpr std::string_view k_token_content_type = "application/x-www-form-urlencoded";
inline constexpr std::string_view k_token_form = "grant_type=client_credentials";

struct Token {
    Secret access_token;
    std::chrono::seconds expires_in{0};  // 0 when the answer did not say
};

// The token endpoint refused the client credentials as sent: 400 or 401 with the OAuth error
// `invalid_client` (RFC 6749 5.2).
bool refused_client(long status, std::string_view body);

// Parses {"access_token": "...", "expires_in": N}. Errors never quote the body (it holds the
// token).
core::Result<Token> parse_token(std::string_view body);

// Which company a call acts on: the reseller's target company when set, else company_uid
// (empty = the credentials' own company, no parameter).
std::string acting_company(const std::string& company_uid, const std::string& reseller_target);

// Path and query of the look-up by IMEI, e.g.
// "/api/v1/systems?gateway=imei:35...&fields=uid,name,gateway,subscription&company=c1".
std::string lookup_target(const UnitRecord& unit, const std::string& company);

// Path and query of the create call.
std::string create_target(const std::string& company);
inline constexpr std::string_view k_json_content_type = "application/json";

// The create body: name, gateway {imei, serialNumber}, subscription {identifier = ICCID,
// networkIdentifier = IMSI}, labels (the unit's, plus term and PO), lifeCycleState.
std::string create_body(const RegistrationRequest& request);

// The subscription update of an outbox `update` row (a SIM swapped since registration).
// ASSUMPTION TO CONFIRM: DOMAIN.md names no call that changes a system's SIM; this is the least
// surprising REST form, `PUT /api/v1/systems/<uid>` (company as on every call) with only the
// subscription to set: {"subscription": {"identifier": ICCID, "networkIdentifier": IMSI}}.
// Kept here, the one place to correct when the real call is known; the client reads the
// system back by IMEI afterwards and trusts only what the read-back shows.
std::string update_target(const std::string& uid, const std::string& company);
std::string update_body(const UnitRecord& unit);

// The labels a unit is registered with: its own, then "term:<1y|3y|5y>" and "po:<PO>" (when
// set). Term and PO as labels is assumed: the public API has no field for them.
std::vector<std::string> labels_for(const RegistrationRequest& request);

// Bulk-import file columns (ALMS systems CSV). The Register screen's exact column list is not
// public, so columns are chosen by name from this table: NAME, LABELS, GATEWAY[IMEI],
// GATEWAY[SERIAL NUMBER], ICCID, SUBSCRIPTION[IDENTIFIER], IMSI, TERM, PO, COMPANY, ACTION
// (the outbox action: create, or update = change the existing system's SIM, never create it).
const std::vector<std::string>& export_column_names();
// The default columns: NAME, LABELS, GATEWAY[IMEI], GATEWAY[SERIAL NUMBER], ICCID.
const std::vector<std::string>& default_export_columns();
// One cell's raw value, or nullopt for an unknown column. `company` fills COMPANY (reseller
// target). LABELS joins the labels with ';'.
std::optional<std::string> export_value(std::string_view column, const RegistrationRequest& request,
                                        const std::string& company);

// Parses a systems list {"items": [...], ...}. `what` names the call in errors.
core::Result<std::vector<RemoteSystem>> parse_system_list(std::string_view body,
                                                          std::string_view what);

// The uid of a created system ({"uid": "...", ...}).
core::Result<std::string> parse_created_uid(std::string_view body, std::string_view what);

// {"error": "...", "errorParameters": [...]}, or nullopt for an empty/other body.
std::optional<ServerError> parse_error(std::string_view body);

// "error.code [param1, param2]" (sanitized), or "" for nullopt.
std::string describe(const std::optional<ServerError>& error);

// The same unit: serial number and ICCID both equal.
bool same_unit(const RemoteSystem& remote, const UnitRecord& unit);

// "system <uid> '<name>' (IMEI .., serial .., ICCID ..)", sanitized.
std::string describe(const RemoteSystem& remote);
std::string describe(const UnitRecord& unit);

// The lifeCycleState new systems are created in.
inline constexpr std::string_view k_life_cycle_state = "INVENTORY";

}  // namespace station::alms::mapping
