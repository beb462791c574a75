// UTC timestamps as text: the one ISO 8601 form the station writes to terminals, event lines,
// JSON and reports.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace station::core {

// "2026-11-28T10:12:03.007Z", or "2026-11-28T10:12:03Z" without millis. Times before 1970
// are floored to the millisecond before them ("1969-12-31T23:59:59.999Z" for -1 ms).
std::string iso_utc(std::chrono::system_clock::time_point at, bool millis = true);

// Reads a UTC date as an operator or a script writes it: "2026-11-28" (midnight UTC) or ISO 8601
// "2026-11-28T10:12:03Z", optionally with a fraction (".007", up to 9 digits, kept to the
// millisecond) and "+00:00" for "Z". Nullopt for anything else, impossible dates included (and
// days outside the years 1678..2261 that the clock can hold).
std::optional<std::chrono::system_clock::time_point> parse_utc_date(std::string_view text);

}  // namespace station::core
