// The pallet manifest: the packing list / advance shipping notice a warehouse system exports,
// one line per unit (DOMAIN.md "Second reading": the router SKU is not readable from the OOB
// radio, it comes from the supply chain). Pure data and look-ups; reading files is
// station/config/manifest_file's job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace station::core {

// One unit of the manifest. `serial` is the FSN; `iccid`, `po`, `company` may be empty.
struct ManifestLine {
    std::uint32_t line = 0;  // 1-based line in the file (the header is line 1 in a CSV)
    std::string serial;
    std::string imei;
    std::string part_number;
    std::string iccid;
    std::string po;
    std::string company;
};

// Every line of one manifest, indexed by serial (case-insensitive) and by IMEI.
class Manifest {
  public:
    Manifest() = default;
    Manifest(std::string source, std::vector<ManifestLine> lines);

    const std::string& source() const { return m_source; }  // the file as given
    const std::vector<ManifestLine>& lines() const { return m_lines; }
    std::size_t size() const { return m_lines.size(); }

    // Index into lines() of the line with this serial (any letter case, surrounding blanks
    // ignored) / this IMEI; nullopt when none.
    std::optional<std::size_t> find_serial(std::string_view serial) const;
    std::optional<std::size_t> find_imei(std::string_view imei) const;

    // "pallet.csv:12" for line index `index`.
    std::string place(std::size_t index) const;

    std::string sha256;  // of the file's bytes, for the run record; empty when parsed text

  private:
    std::string m_source;
    std::vector<ManifestLine> m_lines;
    std::unordered_map<std::string, std::size_t> m_by_serial;  // key: upper-cased serial
    std::unordered_map<std::string, std::size_t> m_by_imei;
};

// What the manifest says of one unit (by the FSN and IMEI the unit reports).
enum class ManifestMatchKind {
    matched,     // FSN and IMEI on the same line
    not_found,   // neither is on the manifest
    mismatched,  // on different lines, or only one of them is found
};

struct ManifestMatch {
    ManifestMatchKind kind = ManifestMatchKind::not_found;
    std::optional<std::size_t> line;  // index into lines(): the matched line (matched only)
    std::string message;  // for not_found / mismatched: both values and the lines, sanitized
};

ManifestMatch match_manifest(const Manifest& manifest, std::string_view fsn, std::string_view imei);

}  // namespace station::core
