// Pieces the nightly regression's writers share (JUnit, HTML, JSON, text): kind names, numbers
// as text, a slot's findings and transcript tail. Internal to station_report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <station/core/regress.hpp>

namespace station::report::regress_detail {

// "identity_drift", ... as core::to_string(RegressKind) spells them. Kept here so the writers
// do not depend on core/regress.cpp (the same names; the lead may switch to core's at merge).
std::string_view kind_name(core::RegressKind kind);

// Fails the slot's check (a product regression, or a rig fault): every kind but `fixed`.
bool kind_fails(core::RegressKind kind);

// A number with `decimals` digits after the point ("12.5"), never locale-dependent.
std::string number(double value, int decimals = 1);

// Sanitized (core::sanitize_for_display) and XML-escaped: for XML and HTML text and attributes.
std::string safe(std::string_view raw, std::size_t max = 512);

// Each line of `text` sanitized and escaped on its own, joined by '\n' (a device's newline
// cannot start a line of its own; nothing else survives raw).
std::string safe_lines(std::string_view text, std::size_t max_line = 512);

// The slots of the report in rig order, then any slot that only a finding names.
std::vector<std::string> slot_names(const core::RegressReport& report);

// The findings about `slot`, in report order.
std::vector<const core::RegressFinding*> findings_of(const core::RegressReport& report,
                                                     std::string_view slot);

// The slot's last non-empty transcript tail tonight ("" if none).
std::string transcript_tail(const core::RegressReport& report, std::string_view slot);

// One line about a finding: "slot A1 slower AT+CIMI: 40.2 -> 61.0: p95 ..." (unsanitized).
std::string finding_line(const core::RegressFinding& finding);

}  // namespace station::report::regress_detail
