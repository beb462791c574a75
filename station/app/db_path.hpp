// The results database a command works on: --db FILE, else $STATION_DB, else the XDG data dir.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace station::app {

// `db_arg` when given, else store::default_db_path(). Throws UsageError (naming `command`) when
// there is no way to find one.
std::filesystem::path resolve_db_path(const std::string& db_arg, std::string_view command);

// Help text of the --db option shared by the commands.
inline constexpr const char* k_db_help =
    "results database (default: $STATION_DB or "
    "$XDG_DATA_HOME/station/station.db)";

}  // namespace station::app
