// Loads the shared evidence tables (profiles/networks.toml) into core::SignalTables.
//
// The file holds three arrays of tables:
//   [[home_network]]  mcc = "310" (1 digit: an E.212 zone; 3 digits: an MCC), mnc = "410"
//                     (optional, 2-3 digits, only with a 3-digit mcc), name = "...",
//                     votes = "na" | "global" | "neutral"
//   [[issuer]]        prefix = "8901410" (ICCID prefix, 4-10 digits starting 89), name = "AT&T",
//                     country = "US" (optional), votes = "na" | "global" | "neutral"
//   [[carrier_image]] name = "ATT", votes = "na" | "neutral" ("global" is an error: no carrier
//                     image proves Global)
// plus an optional `source = "..."` string at the top naming where the facts come from.
// Every mistake is "<file>:<line>: <what>" (all of them, one per line): unknown keys, bad
// digits, a prefix / MCC+MNC / image listed twice (whatever the votes: one listed for both
// regions is the mistake that matters).
#pragma once

#include <filesystem>
#include <string_view>

#include <station/core/result.hpp>
#include <station/core/signal_tables.hpp>

namespace profiles {

// Whether loading a file also computes the SHA-256 of its bytes (Profile::sha256,
// SignalTables::sha256). Only a run records them (provision); commands that never show or store
// them skip the hashing, which is an eighth of reading a profiles folder.
enum class FileHashes { compute, skip };

// The tables file's name inside a profiles folder.
inline constexpr std::string_view k_tables_file = "networks.toml";

station::core::Result<station::core::SignalTables> parse_signal_tables(std::string_view text,
                                                                       std::string_view source);

station::core::Result<station::core::SignalTables> load_signal_tables(
    const std::filesystem::path& path, FileHashes hashes = FileHashes::compute);

}  // namespace profiles
