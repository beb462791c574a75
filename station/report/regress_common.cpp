#include <station/report/regress_common.hpp>

#include <array>
#include <cstdio>

#include <station/core/sanitize.hpp>
#include <station/report/report.hpp>

namespace station::report::regress_detail {

std::string_view kind_name(core::RegressKind kind) {
    switch (kind) {
        case core::RegressKind::identity_drift:
            return "identity_drift";
        case core::RegressKind::verdict_changed:
            return "verdict_changed";
        case core::RegressKind::new_failure:
            return "new_failure";
        case core::RegressKind::fixed:
            return "fixed";
        case core::RegressKind::flaky:
            return "flaky";
        case core::RegressKind::slower:
            return "slower";
        case core::RegressKind::rig_fault:
            return "rig_fault";
    }
    return "unknown";
}

bool kind_fails(core::RegressKind kind) {
    return kind != core::RegressKind::fixed;
}

std::string number(double value, int decimals) {
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "%.*f", decimals, value);
    return buf.data();
}

std::string safe(std::string_view raw, std::size_t max) {
    return xml_escape(core::sanitize_for_display(raw, max));
}

std::string safe_lines(std::string_view text, std::size_t max_line) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!out.empty()) out += '\n';
        out += safe(line, max_line);
        start = end + 1;
    }
    return out;
}

std::vector<std::string> slot_names(const core::RegressReport& report) {
    std::vector<std::string> names;
    const auto add = [&names](const std::string& name) {
        for (const auto& known : names) {
            if (known == name) return;
        }
        names.push_back(name);
    };
    for (const auto& slot : report.slots) add(slot.slot);
    for (const auto& finding : report.findings) add(finding.slot);
    return names;
}

std::vector<const core::RegressFinding*> findings_of(const core::RegressReport& report,
                                                     std::string_view slot) {
    std::vector<const core::RegressFinding*> out;
    for (const auto& finding : report.findings) {
        if (finding.slot == slot) out.push_back(&finding);
    }
    return out;
}

std::string transcript_tail(const core::RegressReport& report, std::string_view slot) {
    std::string tail;
    for (const auto& observation : report.observations) {
        if (observation.slot == slot && !observation.transcript_tail.empty()) {
            tail = observation.transcript_tail;
        }
    }
    return tail;
}

std::string finding_line(const core::RegressFinding& finding) {
    std::string line = "slot " + finding.slot + " " + std::string(kind_name(finding.kind));
    if (!finding.what.empty()) line += " " + finding.what;
    if (!finding.before.empty() || !finding.now.empty()) {
        line += ": " + (finding.before.empty() ? "-" : finding.before) + " -> " +
                (finding.now.empty() ? "-" : finding.now);
    }
    if (!finding.detail.empty()) line += ": " + finding.detail;
    return line;
}

}  // namespace station::report::regress_detail
