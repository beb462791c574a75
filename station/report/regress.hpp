// The nightly regression's outputs (issue 17) from core::RegressReport: JUnit XML for Jenkins and
// GitLab, a self-contained HTML page with inline SVG charts, JSON for other tools and a plain
// text summary for the terminal and the journal. Pure formatting: no I/O, no clock. Device
// strings are sanitized in XML, HTML and text; JSON keeps them as data.
#pragma once

#include <string>

#include <station/core/regress.hpp>

namespace station::report {

// <testsuites> with one <testsuite> per slot and one <testcase> per check (identity against
// golden, verdict, each kind of change, each command's timing): <failure> for a regression with
// its detail and the transcript tail, <error> for a rig fault; times in seconds.
std::string regress_junit(const core::RegressReport& report);

// One HTML5 page, well-formed as XHTML too, with no external files or scripts: the summary table
// (slot, unit, verdict, change since last night), the findings, and inline SVG charts of the
// pass rate per slot and the p50 / p95 round trip per slot over the last 30 nights, and the
// flaky slots.
std::string regress_html(const core::RegressReport& report);

// {"rig", "golden", "started", "run", "iterations", "exit_code", "slots": [...],
//  "findings": [...], "trend": [...]} (field names as in core/regress.hpp).
std::string regress_json(const core::RegressReport& report);

// Plain lines for a terminal or the journal: one per slot, then one per finding.
std::string regress_text(const core::RegressReport& report);

}  // namespace station::report
