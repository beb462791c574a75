// UTC timestamps as text: the one ISO 8601 form the station writes to terminals, event lines,
// JSON and reports.
#pragma once

#include <chrono>
#include <string>

namespace station::core {

// "2026-11-28T10:12:03.007Z", or "2026-11-28T10:12:03Z" without millis. Times before 1970
// are floored to the millisecond before them ("1969-12-31T23:59:59.999Z" for -1 ms).
std::string iso_utc(std::chrono::system_clock::time_point at, bool millis = true);

}  // namespace station::core
