// The nightly regression as plain lines for a terminal or the journal: one per slot, then one
// per finding. Every line is sanitized, so a device string cannot act on a terminal or forge a
// line of its own.
#include <station/core/sanitize.hpp>
#include <station/report/regress.hpp>
#include <station/report/regress_common.hpp>

namespace station::report {

std::string regress_text(const core::RegressReport& report) {
    using namespace regress_detail;
    std::string out;
    for (const auto& s : report.slots) {
        std::string line = "slot " + s.slot + " " + (s.fsn.empty() ? "(no FSN)" : s.fsn) + " " +
                           std::string(core::to_string(s.outcome)) + " " +
                           std::to_string(s.passes) + "/" + std::to_string(s.iterations) +
                           " passed";
        if (!s.change.empty()) line += ", " + s.change;
        if (s.flake_rate > 0) line += ", flake rate " + number(s.flake_rate * 100, 0) + " %";
        out += core::sanitize_for_display(line, 1024) + "\n";
    }
    for (const auto& finding : report.findings) {
        out += core::sanitize_for_display(finding_line(finding), 1024) + "\n";
    }
    if (report.findings.empty()) out += "no findings\n";
    return out;
}

}  // namespace station::report
