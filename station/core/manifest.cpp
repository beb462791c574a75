#include <station/core/manifest.hpp>

#include <utility>

#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>

namespace station::core {
namespace {

std::string serial_key(std::string_view serial) {
    return ascii_upper(trim_blanks(serial));
}

ManifestMatch mismatch(std::string message) {
    return ManifestMatch{ManifestMatchKind::mismatched, std::nullopt, std::move(message)};
}

ManifestMatch not_found(std::string message) {
    return ManifestMatch{ManifestMatchKind::not_found, std::nullopt, std::move(message)};
}

// The unit reported only one of its two identifiers (or none).
ManifestMatch match_one_missing(const Manifest& manifest, std::string_view fsn,
                                std::string_view imei) {
    const std::string& file = manifest.source();
    if (fsn.empty() && imei.empty()) {
        return not_found("the unit reports neither an FSN nor an IMEI, nothing to find on " + file);
    }
    if (fsn.empty()) {
        const auto at = manifest.find_imei(imei);
        if (!at)
            return not_found("the unit reports no FSN and IMEI " + shown(imei) + " is not on " +
                             file);
        return mismatch("the unit reports no FSN; IMEI " + shown(imei) + " is on " +
                        manifest.place(*at) + " (serial " + shown(manifest.lines()[*at].serial) +
                        ")");
    }
    const auto at = manifest.find_serial(fsn);
    if (!at)
        return not_found("the unit reports no IMEI and FSN " + shown(fsn) + " is not on " + file);
    return mismatch("the unit reports no IMEI; FSN " + shown(fsn) + " is on " +
                    manifest.place(*at) + " (IMEI there " + shown(manifest.lines()[*at].imei) +
                    ")");
}

}  // namespace

Manifest::Manifest(std::string source, std::vector<ManifestLine> lines)
    : m_source(std::move(source)), m_lines(std::move(lines)) {
    m_by_serial.reserve(m_lines.size());
    m_by_imei.reserve(m_lines.size());
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        // The reader rejects duplicates; should a caller build one anyway, the first line wins.
        m_by_serial.emplace(serial_key(m_lines[i].serial), i);
        m_by_imei.emplace(std::string(trim_blanks(m_lines[i].imei)), i);
    }
}

std::optional<std::size_t> Manifest::find_serial(std::string_view serial) const {
    const auto found = m_by_serial.find(serial_key(serial));
    if (found == m_by_serial.end()) return std::nullopt;
    return found->second;
}

std::optional<std::size_t> Manifest::find_imei(std::string_view imei) const {
    const auto found = m_by_imei.find(std::string(trim_blanks(imei)));
    if (found == m_by_imei.end()) return std::nullopt;
    return found->second;
}

std::string Manifest::place(std::size_t index) const {
    if (index >= m_lines.size()) return m_source;
    return m_source + ":" + std::to_string(m_lines[index].line);
}

ManifestMatch match_manifest(const Manifest& manifest, std::string_view fsn,
                             std::string_view imei) {
    fsn = trim_blanks(fsn);
    imei = trim_blanks(imei);
    if (fsn.empty() || imei.empty()) return match_one_missing(manifest, fsn, imei);
    const auto by_serial = manifest.find_serial(fsn);
    const auto by_imei = manifest.find_imei(imei);
    if (by_serial && by_imei && *by_serial == *by_imei) {
        return ManifestMatch{ManifestMatchKind::matched, by_serial, {}};
    }
    if (by_serial && by_imei) {
        return mismatch("FSN " + shown(fsn) + " is on " + manifest.place(*by_serial) +
                        " but IMEI " + shown(imei) + " is on " + manifest.place(*by_imei));
    }
    if (by_serial) {
        return mismatch("FSN " + shown(fsn) + " is on " + manifest.place(*by_serial) +
                        " (IMEI there " + shown(manifest.lines()[*by_serial].imei) +
                        "), but the unit reports IMEI " + shown(imei));
    }
    if (by_imei) {
        return mismatch("IMEI " + shown(imei) + " is on " + manifest.place(*by_imei) +
                        " (serial there " + shown(manifest.lines()[*by_imei].serial) +
                        "), but the unit reports FSN " + shown(fsn));
    }
    return not_found("neither FSN " + shown(fsn) + " nor IMEI " + shown(imei) + " is on " +
                     manifest.source());
}

}  // namespace station::core
