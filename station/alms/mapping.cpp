#include <station/alms/mapping.hpp>

#include <array>

#include <nlohmann/json.hpp>

#include <station/alms/url.hpp>
#include <station/core/sanitize.hpp>

namespace station::alms::mapping {
namespace {

using core::fail;
using core::Reason;
using nlohmann::json;

constexpr std::size_t k_shown = 120;  // longest remote value quoted in a message

std::string show(std::string_view text) {
    return core::sanitize_for_display(text, k_shown);
}

// A string member, "" when absent or null; nullopt when present with another type.
std::optional<std::string> string_member(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::string();
    if (!it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::optional<json> parse_json(std::string_view body) {
    json value = json::parse(body, nullptr, false);
    if (value.is_discarded()) return std::nullopt;
    return value;
}

core::Result<RemoteSystem> system_from(const json& item, std::string_view what, std::size_t i) {
    const std::string where = std::string(what) + ": items[" + std::to_string(i) + "]";
    if (!item.is_object()) return fail(Reason::protocol_error, where + " is not an object");
    RemoteSystem out;
    const auto uid = string_member(item, "uid");
    const auto name = string_member(item, "name");
    if (!uid || uid->empty()) return fail(Reason::protocol_error, where + " has no string uid");
    if (!name) return fail(Reason::protocol_error, where + ".name is not a string");
    out.uid = *uid;
    out.name = *name;
    for (const auto& [key, fields] :
         {std::pair{"gateway", std::pair{"imei", "serialNumber"}},
          std::pair{"subscription", std::pair{"identifier", "networkIdentifier"}}}) {
        const auto it = item.find(key);
        if (it == item.end() || it->is_null()) continue;
        if (!it->is_object())
            return fail(Reason::protocol_error, where + "." + key + " is not an object");
        const auto first = string_member(*it, fields.first);
        const auto second = string_member(*it, fields.second);
        if (!first || !second) {
            return fail(Reason::protocol_error, where + "." + key + " has a non-string field");
        }
        if (std::string_view(key) == "gateway") {
            out.imei = *first;
            out.serial = *second;
        } else {
            out.iccid = *first;
            out.imsi = *second;
        }
    }
    return out;
}

}  // namespace

core::Result<Token> parse_token(std::string_view body) {
    const auto value = parse_json(body);
    // The body holds the token: say what is wrong, never quote it.
    if (!value || !value->is_object()) {
        return fail(Reason::protocol_error, "token answer is not a JSON object (" +
                                                std::to_string(body.size()) + " bytes)");
    }
    const auto it = value->find("access_token");
    if (it == value->end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        return fail(Reason::protocol_error, "token answer has no access_token string");
    }
    Token token;
    token.access_token = Secret(it->get<std::string>());
    const auto expires = value->find("expires_in");
    if (expires != value->end()) {
        if (!expires->is_number()) {
            return fail(Reason::protocol_error, "token answer: expires_in is not a number");
        }
        const double seconds = expires->get<double>();
        if (seconds > 0 && seconds < 10.0 * 365 * 24 * 3600) {
            token.expires_in = std::chrono::seconds(static_cast<long long>(seconds));
        }
    }
    return token;
}

bool refused_client(long status, std::string_view body) {
    if (status != 400 && status != 401) return false;
    const auto error = parse_error(body);
    return error && error->code == "invalid_client";
}

std::string acting_company(const std::string& company_uid, const std::string& reseller_target) {
    return reseller_target.empty() ? company_uid : reseller_target;
}

std::string lookup_target(const UnitRecord& unit, const std::string& company) {
    std::string target = "/api/v1/systems?gateway=" + percent_encode("imei:" + unit.imei) +
                         "&fields=" + percent_encode("uid,name,gateway,subscription");
    if (!company.empty()) target += "&company=" + percent_encode(company);
    return target;
}

std::string create_target(const std::string& company) {
    std::string target = "/api/v1/systems";
    if (!company.empty()) target += "?company=" + percent_encode(company);
    return target;
}

std::string create_body(const RegistrationRequest& request) {
    const UnitRecord& unit = request.unit;
    json labels = json::array();
    for (const auto& label : labels_for(request)) labels.push_back(label);
    json subscription = {{"identifier", unit.iccid}};
    if (!unit.imsi.empty()) subscription["networkIdentifier"] = unit.imsi;
    const json body = {
        {"name", unit.name.empty() ? unit.fsn : unit.name},
        {"gateway", {{"imei", unit.imei}, {"serialNumber", unit.fsn}}},
        {"subscription", subscription},
        {"labels", labels},
        {"lifeCycleState", k_life_cycle_state},
    };
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string update_target(const std::string& uid, const std::string& company) {
    std::string target = "/api/v1/systems/" + percent_encode(uid);
    if (!company.empty()) target += "?company=" + percent_encode(company);
    return target;
}

std::string update_body(const UnitRecord& unit) {
    json subscription = {{"identifier", unit.iccid}};
    if (!unit.imsi.empty()) subscription["networkIdentifier"] = unit.imsi;
    const json body = {{"subscription", subscription}};
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> labels_for(const RegistrationRequest& request) {
    std::vector<std::string> labels = request.unit.labels;
    labels.push_back("term:" + std::string(to_string(request.term)));
    if (!request.purchase_order.empty()) labels.push_back("po:" + request.purchase_order);
    return labels;
}

namespace {

struct ExportColumn {
    std::string_view name;
    std::string (*value)(const RegistrationRequest&, const std::string& company);
};

const std::array k_export_columns{
    ExportColumn{"NAME",
                 [](const RegistrationRequest& r, const std::string&) {
                     return r.unit.name.empty() ? r.unit.fsn : r.unit.name;
                 }},
    ExportColumn{"LABELS",
                 [](const RegistrationRequest& r, const std::string&) {
                     std::string out;
                     for (const auto& label : labels_for(r))
                         out += (out.empty() ? "" : ";") + label;
                     return out;
                 }},
    ExportColumn{"GATEWAY[IMEI]",
                 [](const RegistrationRequest& r, const std::string&) { return r.unit.imei; }},
    ExportColumn{"GATEWAY[SERIAL NUMBER]",
                 [](const RegistrationRequest& r, const std::string&) { return r.unit.fsn; }},
    ExportColumn{"ICCID",
                 [](const RegistrationRequest& r, const std::string&) { return r.unit.iccid; }},
    ExportColumn{"SUBSCRIPTION[IDENTIFIER]",
                 [](const RegistrationRequest& r, const std::string&) { return r.unit.iccid; }},
    ExportColumn{"IMSI",
                 [](const RegistrationRequest& r, const std::string&) { return r.unit.imsi; }},
    ExportColumn{"TERM", [](const RegistrationRequest& r,
                            const std::string&) { return std::string(to_string(r.term)); }},
    ExportColumn{"PO",
                 [](const RegistrationRequest& r, const std::string&) { return r.purchase_order; }},
    ExportColumn{"COMPANY",
                 [](const RegistrationRequest&, const std::string& company) { return company; }},
    ExportColumn{"ACTION",
                 [](const RegistrationRequest& r, const std::string&) {
                     return std::string(r.update ? "update" : "create");
                 }},
};

}  // namespace

const std::vector<std::string>& export_column_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& column : k_export_columns) out.emplace_back(column.name);
        return out;
    }();
    return names;
}

const std::vector<std::string>& default_export_columns() {
    static const std::vector<std::string> columns{"NAME", "LABELS", "GATEWAY[IMEI]",
                                                  "GATEWAY[SERIAL NUMBER]", "ICCID"};
    return columns;
}

std::optional<std::string> export_value(std::string_view column, const RegistrationRequest& request,
                                        const std::string& company) {
    for (const auto& entry : k_export_columns) {
        if (entry.name == column) return entry.value(request, company);
    }
    return std::nullopt;
}

core::Result<std::vector<RemoteSystem>> parse_system_list(std::string_view body,
                                                          std::string_view what) {
    const auto value = parse_json(body);
    if (!value) {
        return fail(Reason::protocol_error, std::string(what) + ": malformed JSON (" +
                                                std::to_string(body.size()) + " bytes: '" +
                                                show(body.substr(0, 60)) + "')");
    }
    if (!value->is_object()) {
        return fail(Reason::protocol_error, std::string(what) + ": answer is not a JSON object");
    }
    const auto items = value->find("items");
    if (items == value->end() || !items->is_array()) {
        return fail(Reason::protocol_error, std::string(what) + ": answer has no items array");
    }
    std::vector<RemoteSystem> out;
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto system = system_from((*items)[i], what, i);
        if (!system) return tl::unexpected(system.error());
        out.push_back(std::move(*system));
    }
    return out;
}

core::Result<std::string> parse_created_uid(std::string_view body, std::string_view what) {
    const auto value = parse_json(body);
    if (!value) {
        return fail(Reason::protocol_error, std::string(what) + ": malformed JSON (" +
                                                std::to_string(body.size()) + " bytes: '" +
                                                show(body.substr(0, 60)) + "')");
    }
    const auto uid = value->is_object() ? string_member(*value, "uid") : std::nullopt;
    if (!uid || uid->empty()) {
        return fail(Reason::protocol_error, std::string(what) + ": answer has no uid string");
    }
    return *uid;
}

std::optional<ServerError> parse_error(std::string_view body) {
    const auto value = parse_json(body);
    if (!value || !value->is_object()) return std::nullopt;
    const auto code = string_member(*value, "error");
    if (!code || code->empty()) return std::nullopt;
    ServerError out{*code, {}};
    const auto params = value->find("errorParameters");
    if (params != value->end() && params->is_array()) {
        for (const auto& p : *params) {
            out.parameters.push_back(p.is_string() ? p.get<std::string>() : p.dump());
            if (out.parameters.size() >= 16) break;
        }
    }
    return out;
}

std::string describe(const std::optional<ServerError>& error) {
    if (!error) return {};
    std::string out = show(error->code);
    if (!error->parameters.empty()) {
        out += " [";
        for (std::size_t i = 0; i < error->parameters.size(); ++i) {
            out += (i == 0 ? "" : ", ") + show(error->parameters[i]);
        }
        out += "]";
    }
    return out;
}

bool same_unit(const RemoteSystem& remote, const UnitRecord& unit) {
    return remote.serial == unit.fsn && remote.iccid == unit.iccid;
}

std::string describe(const RemoteSystem& remote) {
    return "system " + show(remote.uid) + " '" + show(remote.name) + "' (IMEI " +
           show(remote.imei) + ", serial " + show(remote.serial) + ", ICCID " + show(remote.iccid) +
           ")";
}

std::string describe(const UnitRecord& unit) {
    return "unit (IMEI " + show(unit.imei) + ", serial " + show(unit.fsn) + ", ICCID " +
           show(unit.iccid) + ")";
}

}  // namespace station::alms::mapping
