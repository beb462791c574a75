// Small text pieces shared by the pallet views: slot statuses with their symbols and colours,
// UTC timestamps, elapsed times, display widths and natural slot order.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include <station/app/pallet_view.hpp>
#include <station/core/reason.hpp>

namespace station::app::view {

// What a slot shows: a unit's outcome, or the slot's own state.
enum class Status { pass, fail, error, aborted, quarantined, running, waiting, empty, skipped };

// Every status, in the order counts are shown.
inline constexpr std::array k_statuses{Status::pass,    Status::fail,        Status::error,
                                       Status::aborted, Status::quarantined, Status::running,
                                       Status::waiting, Status::empty,       Status::skipped};

Status status_of(core::Outcome outcome);

// "✔ PASS" or "[PASS]".
std::string_view label(Status status, Glyphs glyphs);
// "✔" or "ok": for the compact grid.
std::string_view symbol(Status status, Glyphs glyphs);
// `text` in the status's colour (SGR codes) when `colour`; `text` unchanged otherwise.
std::string paint(std::string_view text, Status status, bool colour);

// "850ms", "12.3s", "3m12s", "1h02m".
std::string format_elapsed(std::chrono::milliseconds elapsed);

// Terminal columns of UTF-8 text (core::display_width: wide CJK, ⌛ and ⛔ 2, marks 0).
std::size_t display_width(std::string_view text);
// Exactly `width` columns: cut (ending with "…" or "~") or padded with spaces.
std::string fit(std::string_view text, std::size_t width, Glyphs glyphs);

// "A2" < "A10": digit runs compare as numbers.
bool natural_less(std::string_view a, std::string_view b);

}  // namespace station::app::view
