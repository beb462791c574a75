#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/core/utf8.hpp>
#include <station/report/report.hpp>

namespace station::report {
namespace {

constexpr std::size_t k_max_width = 40;

constexpr std::array<const char*, 12> k_headers{"RUN",    "LOT",   "SLOT",   "TRY",
                                                "FSN",    "IMEI",  "ICCID",  "DC",
                                                "RESULT", "BASIS", "REASON", "ENDED"};

std::vector<std::string> cells_of(const store::ResultRow& row) {
    const auto& slot = row.slot;
    const auto clean = [](std::string_view raw) {
        return core::sanitize_for_display(raw, k_max_width);
    };
    return {std::to_string(row.run.id.value),
            clean(row.run.info.lot),
            clean(slot.start.slot),
            std::to_string(slot.start.attempt),
            clean(slot.identity.fsn),
            clean(slot.identity.imei),
            clean(slot.identity.iccid),
            slot.data_center ? std::string(core::to_string(*slot.data_center)) : "-",
            std::string(outcome_text(slot)),
            slot.sku_basis ? clean(*slot.sku_basis) : "-",
            slot.reason ? std::string(core::to_string(*slot.reason)) : "-",
            slot.ended ? core::iso_utc(*slot.ended) : "-"};
}

}  // namespace

std::string to_table(const std::vector<store::ResultRow>& rows) {
    const bool central = std::any_of(rows.begin(), rows.end(), [](const store::ResultRow& row) {
        return !row.run.station.empty();
    });
    std::vector<std::vector<std::string>> lines;
    lines.emplace_back(k_headers.begin(), k_headers.end());
    if (central) lines.back().insert(lines.back().begin(), "STATION");
    std::map<std::string, int> counts;
    for (const auto& row : rows) {
        lines.push_back(cells_of(row));
        if (central) {
            lines.back().insert(lines.back().begin(),
                                core::sanitize_for_display(row.run.station, k_max_width));
        }
        ++counts[std::string(outcome_text(row.slot))];
    }
    std::vector<std::size_t> widths(lines.front().size(), 0);
    for (const auto& line : lines) {
        for (std::size_t i = 0; i < line.size(); ++i)
            widths[i] = std::max(widths[i], core::display_width(line[i]));
    }
    std::string out;
    for (const auto& line : lines) {
        std::string text;
        for (std::size_t i = 0; i < line.size(); ++i) {
            text += line[i];
            if (i + 1 < line.size()) {
                text += std::string(widths[i] - core::display_width(line[i]) + 2, ' ');
            }
        }
        out += text + "\n";
    }
    out += std::to_string(rows.size()) + " result" + (rows.size() == 1 ? "" : "s");
    for (const auto& [outcome, count] : counts) out += ", " + std::to_string(count) + " " + outcome;
    out += "\n";
    return out;
}

namespace {

std::string profile_lines(const std::vector<store::RunProfile>& profiles) {
    std::size_t name_width = 0;
    for (const auto& p : profiles) {
        name_width =
            std::max(name_width, core::display_width(core::sanitize_for_display(p.name, 64)));
    }
    std::string out;
    for (const auto& p : profiles) {
        const std::string name = core::sanitize_for_display(p.name, 64);
        out += "  " + name + std::string(name_width - core::display_width(name), ' ') +
               "  sha256 " + core::sanitize_for_display(p.sha256, 64) + "  " +
               core::sanitize_for_display(p.path, 512) + "\n";
    }
    return out;
}

// The manifest the run decided with, or the operator's waiver; nothing for older runs.
std::string manifest_line(const store::RunInfo& info) {
    if (info.manifest) {
        const auto& m = *info.manifest;
        return "  manifest " + core::sanitize_for_display(m.path, 512) + "  sha256 " +
               core::sanitize_for_display(m.sha256, 64) + "  " + std::to_string(m.lines) + " line" +
               (m.lines == 1 ? "" : "s") + "\n";
    }
    if (info.no_manifest) return "  decided on the units' word alone (--no-manifest)\n";
    return "";
}

std::string missing_lines(const std::vector<store::ManifestMissing>& lines) {
    std::string out = "  missing from the pallet: " + std::to_string(lines.size()) + "\n";
    for (const auto& m : lines) {
        out += "    line " + std::to_string(m.line) + "  " +
               core::sanitize_for_display(m.serial, 64) + "  " +
               core::sanitize_for_display(m.imei, 32) + "  " +
               core::sanitize_for_display(m.part_number, 64) + "\n";
    }
    return out;
}

}  // namespace

std::string to_provenance(const std::vector<store::ResultRow>& rows, const MissingLines* missing) {
    std::string out;
    std::set<std::pair<std::string, std::int64_t>> seen;
    for (const auto& row : rows) {
        const auto& run = row.run;
        if (!seen.insert({run.station, run.id.value}).second) continue;
        out += "run " + std::to_string(run.id.value);
        if (!run.station.empty()) out += " at " + core::sanitize_for_display(run.station, 64);
        out += ": station ";
        out += run.info.station_version.empty()
                   ? std::string("version not recorded")
                   : core::sanitize_for_display(run.info.station_version, 128);
        out += run.info.profiles.empty() ? "; no profile files recorded\n" : "; profiles:\n";
        out += profile_lines(run.info.profiles);
        out += manifest_line(run.info);
        if (missing == nullptr) continue;
        const auto found = missing->find(run.id.value);
        if (found != missing->end() && !found->second.empty()) {
            out += missing_lines(found->second);
        } else if (run.info.manifest) {
            out += missing_lines({});
        }
    }
    return out;
}

}  // namespace station::report
