// The two read-only ALMS look-ups of `station retest --alms-check`, built from the station's
// config and credentials file the way `register push` builds its clients (AlmsSession: the
// credentials file or the environment, a curl transport with TLS verification on, the retry
// policy), and the check hook over them.
#pragma once

#include <string>

#include <station/workflows/alms_check.hpp>

namespace station::app {

// The hook for the retest workflow: for each unit, looks it up by IMEI in ALMS NA and ALMS EU
// (workflows::check_alms). `credentials_file` as `register push --credentials` (empty: the
// default file and the environment); `attempts`: look-up passes per call before giving up
// (alms_unavailable). A data center whose settings cannot be loaded (missing from the file, no
// credentials) does not stop the run: every call of the hook fails (alms_unavailable) with the
// load error, so no unit PASSes unchecked. Safe to call from several slot threads (each
// data center's client is used by one at a time).
workflows::AlmsCheckHook make_alms_check_hook(const std::string& credentials_file,
                                              int attempts = 4);

}  // namespace station::app
