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

#include <station/core/finding.hpp>
#include <station/core/retest.hpp>
#include <station/store/records.hpp>
#include <station/store/rma_log.hpp>

namespace station::report {

// What a report covers, e.g. {"pallet", "PAL-7"} or {"fsn", "ABC123"}.
struct Subject {
    std::string kind;
    std::string id;
};

// Stored AT transcripts by slot result id.
using Transcripts = std::map<std::int64_t, std::string>;
// Manifest lines no unit of a run matched (store::Store::manifest_missing), by run id.
using MissingLines = std::map<std::int64_t, std::vector<store::ManifestMissing>>;
// What a retest found on a retested unit (issue 16), by slot result id: its RMA and findings.
struct Retested {
    std::string rma;
    std::vector<core::Finding> findings;
};
using RetestFindings = std::map<std::int64_t, Retested>;
// The rows of store::RmaLog::retests_of_rma / retests_since, split for the writers below.
std::vector<store::ResultRow> result_rows(const std::vector<store::RetestRow>& rows);
RetestFindings retest_findings(const std::vector<store::RetestRow>& rows);

// One header line and one line per row, CRLF line ends (RFC 4180). With `retests`, three
// columns appended: rma, findings (each "kind: before -> now (seen)", "; " between them) and
// action (the depot's: "ship back" | "replace SIM" | "re-register" | "scrap").
std::string to_csv(const std::vector<store::ResultRow>& rows,
                   const RetestFindings* retests = nullptr);

// {"subject": {...}, "summary": {...}, "results": [...]}; each run carries `station_version`,
// `profiles` ({name, path, sha256}), `manifest` ({path, sha256, lines} or null) and
// `no_manifest`; each slot `profile`, `sku_basis` and `signals` ([{source, value, votes
// ("na" | "global" | "none"), basis}]). With `transcripts`, each slot a `transcript` (the
// stored text, device bytes escaped; null when none was stored); with `missing`, each run
// `missing_from_pallet` ([{line, serial, imei, part_number}], [] for a run not in it); with
// `retests`, each slot `rma` (null when not a retest), `findings` ([{kind, before, now, seen,
// blocking, action}]) and `action`.
std::string to_json(const Subject& subject, const std::vector<store::ResultRow>& rows,
                    const Transcripts* transcripts = nullptr, const MissingLines* missing = nullptr,
                    const RetestFindings* retests = nullptr);
// <testsuites> with one <testsuite> per run and one <testcase> per slot result: FAIL ->
// <failure>, ERROR -> <error>, ABORTED or unfinished -> <skipped>. With `retests`, the
// testcase's output lists its RMA, each finding and the depot's action.
std::string to_junit(const Subject& subject, const std::vector<store::ResultRow>& rows,
                     const RetestFindings* retests = nullptr);
// Aligned columns for a terminal (BASIS: the SKU decision's basis), with a summary line; a
// STATION column first when the rows come from the central database (RunRecord::station).
std::string to_table(const std::vector<store::ResultRow>& rows);
// What ran each run of `rows`, one block per run: "run 3: station 0.1.0 (...)" ("run 3 at
// bench-a: ..." for a central row), one line per
// profile file ("  xr90-na  sha256 <64 hex>  <path>"), the manifest ("  manifest <path>
// sha256 <64 hex>  N lines", or "  decided on the units' word alone (--no-manifest)") and,
// with `missing`, "  missing from the pallet: N" and one line per manifest line; sanitized.
std::string to_provenance(const std::vector<store::ResultRow>& rows,
                          const MissingLines* missing = nullptr);

// One finding as reports write it (unsanitized): "sim_swapped: 8901... -> 8902... (run 12,
// pallet P1, bench-3, 2026-11-02)"; an empty side shows as "-", no seen: no parentheses.
std::string finding_text(const core::Finding& finding);
// Every finding of a unit, "; " between them ("" for none).
std::string findings_text(const std::vector<core::Finding>& findings);
// The retested units' findings under a table, one block per unit: "run 40 slot A1 LA5123
// (RMA-100): FAIL, action re-register" and one sanitized line per finding.
std::string to_findings(const std::vector<store::ResultRow>& rows, const RetestFindings& retests);

// A unit's chain for `station history --fsn`: provisioned (run, pallet, station, date, data
// center) -> registered -> each retest (RMA, run, date, verdict) with its findings; sanitized.
// `retests`: the unit's retest results, oldest first.
std::string to_chain(const std::string& fsn,
                     const std::optional<core::ProvisionedUnit>& provisioned,
                     const std::vector<store::ResultRow>& retests, const RetestFindings& found);
// A signal's vote as reports write it: "na" | "global" | "none" (neutral).
std::string_view vote_text(const std::optional<core::Region>& vote);
// The decision's signals in one line, as stored (unsanitized):
// "imsi=310410123456789:na; iccid_issuer=89014103...:na; module_model=EM7565:none".
std::string signals_text(const std::vector<store::StoredSignal>& signals);

// The station a row names: its station id in the central database (--central), else the host
// name its run was recorded on (local rows).
std::string station_of(const store::RunRecord& run);

// Text for XML content and attribute values (& < > " ' escaped); the caller sanitizes first.
std::string xml_escape(std::string_view text);
// "PASS" | "FAIL" | "ERROR" | "ABORTED" | "RUNNING" (no outcome yet)
std::string_view outcome_text(const store::SlotRecord& slot);

}  // namespace station::report
