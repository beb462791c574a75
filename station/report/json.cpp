#include <nlohmann/json.hpp>

#include <station/core/time_text.hpp>
#include <station/report/json_fields.hpp>
#include <station/report/report.hpp>

namespace station::report {
namespace {

using nlohmann::json;

json profiles_json(const std::vector<store::RunProfile>& profiles) {
    json out = json::array();
    for (const auto& p : profiles) {
        out.push_back(json{{"name", p.name}, {"path", p.path}, {"sha256", p.sha256}});
    }
    return out;
}

json manifest_json(const std::optional<store::RunManifest>& manifest) {
    if (!manifest) return json(nullptr);
    return json{{"path", manifest->path}, {"sha256", manifest->sha256}, {"lines", manifest->lines}};
}

json missing_json(const std::vector<store::ManifestMissing>& lines) {
    json out = json::array();
    for (const auto& m : lines) {
        out.push_back(json{{"line", m.line},
                           {"serial", m.serial},
                           {"imei", m.imei},
                           {"part_number", m.part_number}});
    }
    return out;
}

json signals_json(const std::vector<store::StoredSignal>& signals) {
    json out = json::array();
    for (const auto& s : signals) {
        out.push_back(json{{"source", s.source},
                           {"value", s.value},
                           {"votes", vote_text(s.vote)},
                           {"basis", s.basis}});
    }
    return out;
}

json run_json(const store::RunRecord& run) {
    return json{
        {"id", run.id.value},
        {"mode", store::to_string(run.info.mode)},
        {"lot", run.info.lot},
        {"operator", run.info.operator_name},
        {"profile", run.info.profile},
        {"station", nullable(station_of(run))},
        {"started", core::iso_utc(run.info.started)},
        {"ended", run.ended ? json(core::iso_utc(*run.ended)) : json(nullptr)},
        {"outcome", run.outcome ? json(core::to_string(*run.outcome)) : json(nullptr)},
        {"interrupted", run.interrupted},
        {"station_version", nullable(run.info.station_version)},
        {"profiles", profiles_json(run.info.profiles)},
        {"manifest", manifest_json(run.info.manifest)},
        {"no_manifest", run.info.no_manifest},
    };
}

json slot_json(const store::SlotRecord& slot) {
    json out{
        {"id", slot.id.value},
        {"slot", slot.start.slot},
        {"port_chain", slot.start.port_chain},
        {"port_path", slot.start.port_path},
        {"attempt", slot.start.attempt},
        {"started", core::iso_utc(slot.start.started)},
        {"ended", slot.ended ? json(core::iso_utc(*slot.ended)) : json(nullptr)},
        {"region", slot.region ? json(core::to_string(*slot.region)) : json(nullptr)},
        {"data_center",
         slot.data_center ? json(core::to_string(*slot.data_center)) : json(nullptr)},
        {"outcome", outcome_text(slot)},
        {"reason", slot.reason ? json(core::to_string(*slot.reason)) : json(nullptr)},
        {"message", slot.message},
        {"profile", nullable(slot.profile)},
        {"sku_basis", slot.sku_basis ? json(*slot.sku_basis) : json(nullptr)},
        {"signals", signals_json(slot.signals)},
    };
    out.update(identity_json(slot.identity));
    return out;
}

// The run's members, with its missing manifest lines when the caller gave them.
json run_with_missing(const store::RunRecord& run, const MissingLines* missing) {
    json out = run_json(run);
    if (missing != nullptr) {
        const auto found = missing->find(run.id.value);
        out["missing_from_pallet"] = missing_json(
            found == missing->end() ? std::vector<store::ManifestMissing>{} : found->second);
    }
    return out;
}

// A retested unit's members: rma (null when not a retest), findings, action.
void add_retest(json& slot, const store::SlotRecord& record, const RetestFindings& retests) {
    const auto found = retests.find(record.id.value);
    json findings = json::array();
    if (found == retests.end()) {
        slot["rma"] = nullptr;
        slot["findings"] = findings;
        slot["action"] = nullptr;
        return;
    }
    for (const auto& f : found->second.findings) findings.push_back(finding_json(f));
    slot["rma"] = found->second.rma;
    slot["findings"] = std::move(findings);
    slot["action"] = core::to_string(core::action_for(found->second.findings));
}

}  // namespace

std::string to_json(const Subject& subject, const std::vector<store::ResultRow>& rows,
                    const Transcripts* transcripts, const MissingLines* missing,
                    const RetestFindings* retests) {
    json results = json::array();
    json summary{{"PASS", 0}, {"FAIL", 0}, {"ERROR", 0}, {"ABORTED", 0}, {"RUNNING", 0}};
    for (const auto& row : rows) {
        json slot = slot_json(row.slot);
        if (transcripts != nullptr) {
            const auto found = transcripts->find(row.slot.id.value);
            slot["transcript"] = found == transcripts->end() || found->second.empty()
                                     ? json(nullptr)
                                     : json(found->second);
        }
        if (retests != nullptr) add_retest(slot, row.slot, *retests);
        results.push_back(
            json{{"run", run_with_missing(row.run, missing)}, {"slot", std::move(slot)}});
        auto& count = summary[std::string(outcome_text(row.slot))];
        count = count.get<int>() + 1;
    }
    const json out{{"subject", {{"kind", subject.kind}, {"id", subject.id}}},
                   {"summary", summary},
                   {"results", results}};
    return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace station::report
