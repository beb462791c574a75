// The nightly regression's inline SVG charts (internal to station_report): pass rate per slot
// and p50 / p95 round trip per slot over the last 30 nights, and the flaky slots. Every data
// point is an element with data-* attributes and a <title>, so a person hovering and a test
// counting both find it. Text is sanitized and escaped.
#pragma once

#include <string>

#include <station/core/regress.hpp>

namespace station::report::regress_detail {

// A slot's colour in every chart and legend ("hsl(137,60%,40%)"), by its place in the rig.
std::string slot_colour(std::size_t index);

// <svg> of the pass rate per slot per night, or a "no earlier nights" note for an empty trend.
std::string pass_rate_chart(const core::RegressReport& report);

// One small <svg> per slot with its p50 and p95 round trip per night (one scale for all), or
// the note for an empty trend.
std::string round_trip_charts(const core::RegressReport& report);

// <svg> bars of the flake rate of every slot above 0, or a "no flaky slots" note.
std::string flaky_chart(const core::RegressReport& report);

}  // namespace station::report::regress_detail
