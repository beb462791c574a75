// What retests found (issue 16), as reports show it: finding lines under a table, a unit's chain
// (provisioned -> registered -> retests) for `station history --fsn`, and their JSON.
#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/report/json_fields.hpp>
#include <station/report/report.hpp>

namespace station::report {
namespace {

using nlohmann::json;

constexpr std::size_t k_max_cell = 128;

std::string clean(std::string_view raw, std::size_t max = k_max_cell) {
    return core::sanitize_for_display(raw, max);
}

const Retested* retested_of(const RetestFindings& found, const store::ResultRow& row) {
    const auto it = found.find(row.slot.id.value);
    return it == found.end() ? nullptr : &it->second;
}

std::string verdict_text(const store::SlotRecord& slot) {
    std::string text(outcome_text(slot));
    if (slot.reason) text += " " + std::string(core::to_string(*slot.reason));
    return text;
}

std::string date_of(const store::SlotRecord& slot) {
    return core::iso_utc(slot.ended.value_or(slot.start.started)).substr(0, 10);
}

// "    sim_swapped: A -> B (seen)\n" per finding, each line sanitized on its own.
std::string finding_lines(const std::vector<core::Finding>& findings, std::string_view indent) {
    std::string out;
    for (const auto& f : findings) out += std::string(indent) + clean(finding_text(f), 512) + "\n";
    return out;
}

}  // namespace

std::vector<store::ResultRow> result_rows(const std::vector<store::RetestRow>& rows) {
    std::vector<store::ResultRow> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(row.result);
    return out;
}

RetestFindings retest_findings(const std::vector<store::RetestRow>& rows) {
    RetestFindings out;
    for (const auto& row : rows) out[row.result.slot.id.value] = Retested{row.rma, row.findings};
    return out;
}

std::string finding_text(const core::Finding& finding) {
    const auto side = [](const std::string& value) { return value.empty() ? "-" : value; };
    std::string text = std::string(core::to_string(finding.kind)) + ": " + side(finding.before) +
                       " -> " + side(finding.now);
    if (!finding.seen.empty()) text += " (" + finding.seen + ")";
    return text;
}

std::string findings_text(const std::vector<core::Finding>& findings) {
    std::string out;
    for (const auto& f : findings) {
        if (!out.empty()) out += "; ";
        out += finding_text(f);
    }
    return out;
}

std::string to_findings(const std::vector<store::ResultRow>& rows, const RetestFindings& retests) {
    std::string out;
    for (const auto& row : rows) {
        const Retested* found = retested_of(retests, row);
        if (found == nullptr) continue;
        const auto& slot = row.slot;
        out += "run " + std::to_string(row.run.id.value) + " slot " + clean(slot.start.slot, 40) +
               " " + (slot.identity.fsn.empty() ? "(no FSN)" : clean(slot.identity.fsn, 40)) +
               " (" + clean(found->rma, 64) + "): " + verdict_text(slot) + ", action " +
               std::string(core::to_string(core::action_for(found->findings))) + "\n";
        out += finding_lines(found->findings, "    ");
    }
    return out;
}

std::string to_chain(const std::string& fsn,
                     const std::optional<core::ProvisionedUnit>& provisioned,
                     const std::vector<store::ResultRow>& retests, const RetestFindings& found) {
    std::string out = "chain of " + clean(fsn, 64) + ":\n";
    if (!provisioned) {
        out += "  provisioned  never (no PASS of a provision run)\n";
    } else {
        const auto& p = *provisioned;
        out += "  provisioned  " + clean(p.seen, 256) + ", data center " +
               (p.data_center ? std::string(core::to_string(*p.data_center)) : "-") + "\n";
        out += std::string("  registered   ") + (p.registered ? "yes" : "no") + "\n";
    }
    for (const auto& row : retests) {
        const Retested* r = retested_of(found, row);
        const std::string rma = r != nullptr ? r->rma : row.run.info.lot;
        out += "  retest       RMA " + clean(rma, 64) + ", run " +
               std::to_string(row.run.id.value) + ", " + date_of(row.slot) + ": " +
               verdict_text(row.slot) + "\n";
        if (r != nullptr) out += finding_lines(r->findings, "                 ");
    }
    return out;
}

json finding_json(const core::Finding& finding) {
    return json{{"kind", core::to_string(finding.kind)},
                {"before", finding.before},
                {"now", finding.now},
                {"seen", finding.seen},
                {"blocking", core::is_blocking(finding.kind)},
                {"action", core::to_string(core::action_of(finding.kind))}};
}

json chain_json(const std::optional<core::ProvisionedUnit>& provisioned,
                const std::vector<store::ResultRow>& retests, const RetestFindings& found) {
    json out{{"provisioned", nullptr}, {"registered", false}, {"retests", json::array()}};
    if (provisioned) {
        const auto& p = *provisioned;
        out["provisioned"] = json{
            {"fsn", p.fsn},
            {"imei", p.imei},
            {"iccid", p.iccid},
            {"firmware", p.firmware},
            {"profile", nullable(p.profile)},
            {"region", p.region ? json(core::to_string(*p.region)) : json(nullptr)},
            {"data_center", p.data_center ? json(core::to_string(*p.data_center)) : json(nullptr)},
            {"seen", p.seen}};
        out["registered"] = p.registered;
    }
    for (const auto& row : retests) {
        const Retested* r = retested_of(found, row);
        json findings = json::array();
        std::vector<core::Finding> none;
        const auto& list = r != nullptr ? r->findings : none;
        for (const auto& f : list) findings.push_back(finding_json(f));
        out["retests"].push_back(json{
            {"rma", r != nullptr ? r->rma : row.run.info.lot},
            {"run", row.run.id.value},
            {"slot_result", row.slot.id.value},
            {"ended", row.slot.ended ? json(core::iso_utc(*row.slot.ended)) : json(nullptr)},
            {"outcome", outcome_text(row.slot)},
            {"reason", row.slot.reason ? json(core::to_string(*row.slot.reason)) : json(nullptr)},
            {"findings", std::move(findings)},
            {"action", core::to_string(core::action_for(list))}});
    }
    return out;
}

}  // namespace station::report
