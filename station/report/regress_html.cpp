// The nightly regression as one self-contained HTML5 page, well-formed as XML too: inline CSS
// and inline SVG only (no script, no external file or link), so it can be mailed, archived by
// CI or opened from disk and look the same. Every device string is sanitized, then escaped.
#include <station/core/time_text.hpp>
#include <station/report/regress.hpp>
#include <station/report/regress_charts.hpp>
#include <station/report/regress_common.hpp>

namespace station::report {
namespace {

using namespace regress_detail;

constexpr char k_style[] = R"(body{font-family:sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}
table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:4px 8px;text-align:left}
th{background:#eee}tr.PASS td.outcome{background:#d7f0d7}tr.FAIL td.outcome{background:#f6d2d2}
tr.ERROR td.outcome{background:#f9e3b8}tr.ABORTED td.outcome{background:#ddd}
li.regression{color:#a00}li.rig_fault{color:#a60}li.fixed{color:#070}
.note{color:#666;font-style:italic}.chart text{font-size:11px;fill:#333}
.chart .label{font-size:12px;fill:#000}.axes line{stroke:#333;stroke-width:1}
.multiples{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0}figcaption{font-size:12px}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:12px;font-size:12px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px})";

std::string head(const core::RegressReport& report, const std::string& title) {
    return "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
           "<head>\n<meta charset=\"utf-8\"/>\n<title>" +
           title + "</title>\n<style>\n" + k_style + "\n</style>\n</head>\n<body>\n<h1>" + title +
           "</h1>\n<p>golden file " + safe(report.golden) + ", " +
           std::to_string(report.iterations) + " iterations, started " +
           core::iso_utc(report.started, false) +
           (report.run ? ", run " + std::to_string(*report.run) : std::string()) + "</p>\n";
}

std::string cell(const std::string& text, const char* css = nullptr) {
    return std::string("<td") + (css ? std::string(" class=\"") + css + "\"" : "") + ">" + text +
           "</td>";
}

std::string summary_table(const core::RegressReport& report) {
    std::string out =
        "<h2>Slots</h2>\n<table class=\"summary\">\n<thead><tr><th>slot</th><th>unit "
        "FSN</th><th>verdict</th><th>passes</th><th>change since last night</th><th>flake "
        "rate</th></tr></thead>\n<tbody>\n";
    for (const auto& s : report.slots) {
        const std::string outcome(core::to_string(s.outcome));
        out += "<tr class=\"" + outcome + "\" data-slot=\"" + safe(s.slot) + "\">" +
               cell(safe(s.slot)) + cell(s.fsn.empty() ? "-" : safe(s.fsn)) +
               cell(outcome, "outcome") +
               cell(std::to_string(s.passes) + "/" + std::to_string(s.iterations)) +
               cell(s.change.empty() ? "-" : safe(s.change)) +
               cell(number(s.flake_rate * 100, 0) + " %") + "</tr>\n";
    }
    if (report.slots.empty()) out += "<tr><td colspan=\"6\">no slots</td></tr>\n";
    return out + "</tbody>\n</table>\n";
}

std::string findings_list(const core::RegressReport& report) {
    std::string out = "<h2>Findings</h2>\n";
    if (report.findings.empty()) return out + "<p class=\"note\">nothing changed</p>\n";
    out += "<ul class=\"findings\">\n";
    for (const auto& f : report.findings) {
        const std::string kind(kind_name(f.kind));
        const char* css = f.kind == core::RegressKind::rig_fault ? "rig_fault"
                          : kind_fails(f.kind)                   ? "regression"
                                                                 : "fixed";
        out += "<li class=\"" + std::string(css) + "\" data-kind=\"" + kind + "\">" +
               safe(finding_line(f)) + "</li>\n";
    }
    return out + "</ul>\n";
}

std::string legend(const core::RegressReport& report) {
    if (report.trend.empty()) return "";
    std::string out = "<ul class=\"legend\">\n";
    const auto slots = slot_names(report);
    for (std::size_t i = 0; i < slots.size(); ++i) {
        out += "<li><span class=\"swatch\" style=\"background:" + slot_colour(i) +
               "\"></span>slot " + safe(slots[i]) + "</li>\n";
    }
    return out + "</ul>\n";
}

}  // namespace

std::string regress_html(const core::RegressReport& report) {
    const std::string date = core::iso_utc(report.started, false).substr(0, 10);
    const std::string title = safe("Nightly regression: rig " + report.rig + ", " + date);
    return head(report, title) + summary_table(report) + findings_list(report) +
           "<h2>Pass rate per slot</h2>\n" + pass_rate_chart(report) + legend(report) +
           "<h2>Round trip per slot (p50, p95)</h2>\n" + round_trip_charts(report) +
           "<h2>Flaky slots</h2>\n" + flaky_chart(report) + "</body>\n</html>\n";
}

}  // namespace station::report
