// station doctor: the bench's self-check. Each check reads only its inputs (DoctorInputs), so
// tests inject a root folder, a group list, a clock and a free-space figure through the
// environment variables the README documents (STATION_DOCTOR_*).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace station::app::doctor {

enum class Level { ok, warn, fail };

std::string_view to_string(Level level);  // "OK" | "WARN" | "FAIL"

// One line of the report: what was checked, how it stands, and what to do about it.
struct Check {
    std::string name;     // "groups", "udev", "usb", "database", "disk", "profiles", ...
    Level level = Level::ok;
    std::string message;  // what was found (device and file strings sanitized)
    std::string fix;      // empty when OK
};

struct Inputs {
    std::string root;                                 // prefix of /etc, /usr/lib, /proc (tests)
    std::optional<std::vector<std::string>> groups;   // the user's groups (nullopt: getgroups)
    std::optional<std::int64_t> now;                  // Unix seconds (nullopt: the system clock)
    std::optional<std::uint64_t> free_mib;            // free space (nullopt: statvfs)
    std::filesystem::path db;                         // resolved database path
    std::string profiles_dir;                         // --profiles-dir (empty: the default)
    std::vector<std::string> rigs;                    // --rig files
    std::string credentials;                          // --credentials (empty: the default)
    bool online = false;
};

// Free-space thresholds of the database's file system: below them WARN and FAIL.
inline constexpr std::uint64_t k_warn_free_mib = 1024;
inline constexpr std::uint64_t k_fail_free_mib = 100;

// How far the clock may run ahead of the build date before it is suspicious (WARN) or absurd
// (FAIL), in days; any time before the build date is FAIL.
inline constexpr std::int64_t k_warn_ahead_days = 5 * 366;
inline constexpr std::int64_t k_fail_ahead_days = 20 * 366;

// The bench (doctor_bench.cpp).
Check check_groups(const Inputs& in);
Check check_udev(const Inputs& in);
Check check_usb(const Inputs& in);
Check check_clock(const Inputs& in);
std::int64_t build_time();  // Unix seconds of the build (SOURCE_DATE_EPOCH when set)

// Files (doctor_files.cpp).
Check check_database(const Inputs& in);
Check check_disk(const Inputs& in);
Check check_profiles(const Inputs& in);
std::vector<Check> check_rigs(const Inputs& in);
Check check_credentials(const Inputs& in);
std::vector<Check> check_alms(const Inputs& in);  // --online only

}  // namespace station::app::doctor
