// CSV export. Spreadsheets run cells that start with = + - @ (and tab or CR, which some strip
// first) as formulas: such cells get a leading ' so a hostile device string stays text.
#include <array>

#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/report/report.hpp>

namespace station::report {
namespace {

constexpr std::size_t k_max_cell = 4096;

constexpr std::array k_columns{"run", "mode", "lot", "operator", "profile", "station", "slot",
                               "port_chain", "port_path", "attempt", "fsn", "imei", "iccid", "imsi",
                               "model", "firmware", "sim", "region", "data_center", "outcome",
                               "reason", "message", "started", "ended",
                               // issue 13, appended: the unit's decided profile (the run's
                               // is `profile`), the decision's basis and its signals
                               "decided_profile", "sku_basis", "signals"};

// One CSV record being built: cells joined by commas (an empty first cell included).
struct Line {
    std::string text;
    std::size_t cells = 0;
};

void add(Line& line, std::string_view raw) {
    if (line.cells++ != 0) line.text += ',';
    line.text += csv_cell(raw);
}

}  // namespace

std::string csv_cell(std::string_view raw) {
    std::string text = core::sanitize_for_display(raw, k_max_cell);
    if (!text.empty() && (text.front() == '=' || text.front() == '+' || text.front() == '-' ||
                          text.front() == '@' || text.front() == '\t' || text.front() == '\r')) {
        text.insert(text.begin(), '\'');
    }
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string to_csv(const std::vector<store::ResultRow>& rows) {
    std::string out;
    Line header;
    for (const char* column : k_columns) add(header, column);
    out += header.text + "\r\n";
    for (const auto& row : rows) {
        const auto& run = row.run;
        const auto& slot = row.slot;
        const auto& id = slot.identity;
        Line line;
        add(line, std::to_string(run.id.value));
        add(line, store::to_string(run.info.mode));
        add(line, run.info.lot);
        add(line, run.info.operator_name);
        add(line, run.info.profile);
        add(line, run.hostname);
        add(line, slot.start.slot);
        add(line, slot.start.port_chain);
        add(line, slot.start.port_path);
        add(line, std::to_string(slot.start.attempt));
        add(line, id.fsn);
        add(line, id.imei);
        add(line, id.iccid);
        add(line, id.imsi);
        add(line, id.model);
        add(line, id.firmware);
        add(line, core::to_string(id.sim_status));
        add(line, slot.region ? core::to_string(*slot.region) : "");
        add(line, slot.data_center ? core::to_string(*slot.data_center) : "");
        add(line, outcome_text(slot));
        add(line, slot.reason ? core::to_string(*slot.reason) : "");
        add(line, slot.message);
        add(line, core::iso_utc(slot.start.started));
        add(line, slot.ended ? core::iso_utc(*slot.ended) : "");
        add(line, slot.profile);
        add(line, slot.sku_basis.value_or(""));
        add(line, signals_text(slot.signals));
        out += line.text + "\r\n";
    }
    return out;
}

}  // namespace station::report
