// Report writers over store rows: CSV (safe to open in a spreadsheet), JUnit XML (for CI
// servers), JSON and a terminal table. Pure formatting: no I/O, no clock. Device strings are
// sanitized (station/core/sanitize.hpp) in CSV, XML and the table; JSON keeps them as data
// (escaped by the JSON encoder, invalid UTF-8 replaced).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/store/records.hpp>

namespace station::report {

// What a report covers, e.g. {"pallet", "PAL-7"} or {"fsn", "ABC123"}.
struct Subject {
    std::string kind;
    std::string id;
};

// One header line and one line per row, CRLF line ends (RFC 4180).
std::string to_csv(const std::vector<store::ResultRow>& rows);
// Stored AT transcripts by slot result id.
using Transcripts = std::map<std::int64_t, std::string>;
// Manifest lines no unit of a run matched (store::Store::manifest_missing), by run id.
using MissingLines = std::map<std::int64_t, std::vector<store::ManifestMissing>>;

// {"subject": {...}, "summary": {...}, "results": [...]}; each run carries `station_version`,
// `profiles` ({name, path, sha256}), `manifest` ({path, sha256, lines} or null) and
// `no_manifest`; each slot `profile`, `sku_basis` and `signals` ([{source, value, votes
// ("na" | "global" | "none"), basis}]). With `transcripts`, each slot a `transcript` (the
// stored text, device bytes escaped; null when none was stored); with `missing`, each run
// `missing_from_pallet` ([{line, serial, imei, part_number}], [] for a run not in it).
std::string to_json(const Subject& subject, const std::vector<store::ResultRow>& rows,
                    const Transcripts* transcripts = nullptr,
                    const MissingLines* missing = nullptr);
// <testsuites> with one <testsuite> per run and one <testcase> per slot result: FAIL ->
// <failure>, ERROR -> <error>, ABORTED or unfinished -> <skipped>.
std::string to_junit(const Subject& subject, const std::vector<store::ResultRow>& rows);
// Aligned columns for a terminal (BASIS: the SKU decision's basis), with a summary line.
std::string to_table(const std::vector<store::ResultRow>& rows);
// What ran each run of `rows`, one block per run: "run 3: station 0.1.0 (...)", one line per
// profile file ("  xr90-na  sha256 <64 hex>  <path>"), the manifest ("  manifest <path>
// sha256 <64 hex>  N lines", or "  decided on the units' word alone (--no-manifest)") and,
// with `missing`, "  missing from the pallet: N" and one line per manifest line; sanitized.
std::string to_provenance(const std::vector<store::ResultRow>& rows,
                          const MissingLines* missing = nullptr);

// A signal's vote as reports write it: "na" | "global" | "none" (neutral).
std::string_view vote_text(const std::optional<core::Region>& vote);
// The decision's signals in one line, as stored (unsanitized):
// "imsi=310410123456789:na; iccid_issuer=89014103...:na; module_model=EM7565:none".
std::string signals_text(const std::vector<store::StoredSignal>& signals);

// Text for XML content and attribute values (& < > " ' escaped); the caller sanitizes first.
std::string xml_escape(std::string_view text);
// "PASS" | "FAIL" | "ERROR" | "ABORTED" | "RUNNING" (no outcome yet)
std::string_view outcome_text(const store::SlotRecord& slot);

}  // namespace station::report
