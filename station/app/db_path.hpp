// The results database a command works on: --db FILE, else $STATION_DB, else `db` in the
// station's config file, else the XDG data dir.
//
// The config file is $STATION_CONFIG when set (it must then exist), else
// $XDG_CONFIG_HOME/station/station.toml, else ~/.config/station/station.toml when present, else
// the system-wide /etc/station/station.toml of an installed /usr/bin/station
// (<prefix>/etc/station/station.toml for <prefix>/bin/station) when present. It is
// strict TOML; today it holds `db = "PATH"` (relative paths are taken from the file's folder).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace station::app {

// `db_arg` when given, else the lookup above. Throws UsageError (naming `command`, and the file
// and line of a bad config file) when there is no way to find one. Creates the folder of the
// default XDG location only; the store refuses a named file whose folder does not exist.
std::filesystem::path resolve_db_path(const std::string& db_arg, std::string_view command);

// The config file that applies, if any (nullopt: none). Throws UsageError when $STATION_CONFIG
// names a file that does not exist.
std::optional<std::filesystem::path> station_config_path(std::string_view command);

// Help text of the --db option shared by the commands.
inline constexpr const char* k_db_help =
    "results database (default: $STATION_DB, `db` in the station config file, or "
    "$XDG_DATA_HOME/station/station.db)";

}  // namespace station::app
