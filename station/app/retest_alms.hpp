// The ALMS look-ups of `station retest --alms-check` (issue 16): one place that builds the
// workflow's check_alms hook from the command line's credentials.
#pragma once

#include <string>

#include <station/core/result.hpp>
#include <station/workflows/retest.hpp>

namespace station::app {

// The hook for --alms-check (read-only look-ups by IMEI in both data centers). A failure here
// stops the run before any unit (a missing or unsafe credentials file). Until the look-ups are
// wired into this build, the hook answers every unit alms_unavailable, so those units end
// ERROR, never a PASS without the look-up.
core::Result<workflows::AlmsCheck> retest_alms_check(const std::string& credentials);

}  // namespace station::app
