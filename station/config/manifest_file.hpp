// Reads a pallet manifest (core::Manifest) strictly, before any unit is touched.
//
// Formats (chosen by content: JSON lines when the first non-blank character is '{'):
//  - CSV with a header row: any column order, names matched in any letter case, extra columns
//    ignored, UTF-8 with or without a BOM, ',' or ';' separated (the header decides), fields may
//    be double-quoted ("" inside quotes is one quote). Required columns: serial, imei,
//    part_number; optional: iccid, po, company. Blank lines are skipped.
//  - JSON lines: one object per line with the same keys (string values; other keys ignored).
//
// Every mistake is reported, one per line, as "<file>:<line>: <what>": a missing column, a
// missing value, a duplicate serial or IMEI (naming the first line), an IMEI check digit, an
// unknown part number, an ICCID that fails validation, malformed CSV or JSON.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include <station/core/manifest.hpp>
#include <station/core/result.hpp>

namespace station::config {

// True when some profile lists this part number.
using KnownPartNumber = std::function<bool(std::string_view part_number)>;

// Parses manifest text; `source` names it in messages. Errors: Reason::bad_usage, the message
// one "<source>:<line>: <what>" per line (at most 50, then "... and N more").
core::Result<core::Manifest> parse_manifest(std::string_view text, std::string_view source,
                                            const KnownPartNumber& known_part_number);

// Reads and parses a file (at most 256 MiB); sets Manifest::sha256 of its bytes.
core::Result<core::Manifest> load_manifest(const std::filesystem::path& path,
                                           const KnownPartNumber& known_part_number);

}  // namespace station::config
