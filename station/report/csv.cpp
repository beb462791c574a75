// CSV export of results, written with the one CSV writer (core/csv.hpp: formula starts
// neutralised, device strings sanitised, cells capped at 4096 bytes).
#include <array>

#include <station/core/csv.hpp>
#include <station/core/time_text.hpp>
#include <station/report/report.hpp>

namespace station::report {
namespace {

constexpr std::array k_columns{"run", "mode", "lot", "operator", "profile", "station", "slot",
                               "port_chain", "port_path", "attempt", "fsn", "imei", "iccid", "imsi",
                               "model", "firmware", "sim", "region", "data_center", "outcome",
                               "reason", "message", "started", "ended",
                               // issue 13, appended: the unit's decided profile (the run's
                               // is `profile`), the decision's basis and its signals
                               "decided_profile", "sku_basis", "signals"};

// Issue 16, appended with retests: the unit's RMA, its findings and the depot's action.
constexpr std::array k_retest_columns{"rma", "findings", "action"};

void add_retest_cells(core::CsvRecord& line, const store::ResultRow& row,
                      const RetestFindings& retests) {
    const auto found = retests.find(row.slot.id.value);
    if (found == retests.end()) {
        for (std::size_t i = 0; i < k_retest_columns.size(); ++i) line.add("");
        return;
    }
    line.add(found->second.rma);
    line.add(findings_text(found->second.findings));
    line.add(core::to_string(core::action_for(found->second.findings)));
}

}  // namespace

std::string to_csv(const std::vector<store::ResultRow>& rows, const RetestFindings* retests) {
    std::string out;
    core::CsvRecord header;
    for (const char* column : k_columns) header.add(column);
    if (retests != nullptr) {
        for (const char* column : k_retest_columns) header.add(column);
    }
    out += header.line();
    for (const auto& row : rows) {
        const auto& run = row.run;
        const auto& slot = row.slot;
        const auto& id = slot.identity;
        core::CsvRecord line;
        line.add(std::to_string(run.id.value));
        line.add(store::to_string(run.info.mode));
        line.add(run.info.lot);
        line.add(run.info.operator_name);
        line.add(run.info.profile);
        line.add(station_of(run));
        line.add(slot.start.slot);
        line.add(slot.start.port_chain);
        line.add(slot.start.port_path);
        line.add(std::to_string(slot.start.attempt));
        line.add(id.fsn);
        line.add(id.imei);
        line.add(id.iccid);
        line.add(id.imsi);
        line.add(id.model);
        line.add(id.firmware);
        line.add(core::to_string(id.sim_status));
        line.add(slot.region ? core::to_string(*slot.region) : "");
        line.add(slot.data_center ? core::to_string(*slot.data_center) : "");
        line.add(outcome_text(slot));
        line.add(slot.reason ? core::to_string(*slot.reason) : "");
        line.add(slot.message);
        line.add(core::iso_utc(slot.start.started));
        line.add(slot.ended ? core::iso_utc(*slot.ended) : "");
        line.add(slot.profile);
        line.add(slot.sku_basis.value_or(""));
        line.add(signals_text(slot.signals));
        if (retests != nullptr) add_retest_cells(line, row, *retests);
        out += line.line();
    }
    return out;
}

}  // namespace station::report
