// The manifest reader: the format's rows (manifest_csv.cpp / manifest_json.cpp) are validated
// here line by line, and every mistake is collected before the file is refused: a clerk fixes
// the export once, not once per mistake.
#include <station/config/manifest_file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>
#include <unordered_map>

#include <station/config/manifest_rows.hpp>
#include <station/core/identifiers.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/sha256.hpp>
#include <station/core/text.hpp>

namespace station::config {
namespace manifest_rows {

std::optional<Field> field_named(std::string_view name) {
    name = core::trim_blanks(name);
    for (std::size_t i = 0; i < k_field_count; ++i) {
        if (core::iequals(name, k_field_names[i])) return static_cast<Field>(i);
    }
    return std::nullopt;
}

void Problems::add(std::uint32_t line, const std::string& what) {
    list(m_source + ":" + std::to_string(line) + ": " + what);
}

void Problems::add_file(const std::string& what) {
    list(m_source + ": " + what);
}

void Problems::list(std::string message) {
    if (m_listed.size() < k_max_listed) m_listed.push_back(std::move(message));
    ++m_total;
}

core::Error Problems::error() const {
    std::string message;
    for (const std::string& line : m_listed) message += (message.empty() ? "" : "\n") + line;
    if (m_total > m_listed.size()) {
        message += "\n... and " + std::to_string(m_total - m_listed.size()) + " more";
    }
    return core::Error{core::Reason::bad_usage, message};
}

}  // namespace manifest_rows

namespace {

using manifest_rows::Field;
using manifest_rows::k_field_names;
using manifest_rows::Problems;
using manifest_rows::RawRow;

constexpr std::string_view k_bom = "\xEF\xBB\xBF";

using core::shown;

// Printable ASCII: display-safe without decoding UTF-8 (the common case, checked first).
bool plain_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= ' ' && c <= '~'; });
}

std::string name_of(Field field) {
    return std::string(k_field_names[static_cast<std::size_t>(field)]);
}

// Checks one data row and builds its manifest line; duplicates are found across rows.
class Validator {
  public:
    Validator(Problems& problems, const KnownPartNumber& known)
        : m_problems(problems), m_known(known) {}

    void reserve(std::size_t lines) {
        m_serials.reserve(lines);
        m_imeis.reserve(lines);
    }
    // The row's line, or nullopt after reporting its mistakes; takes the row's values.
    std::optional<core::ManifestLine> line_of(RawRow& row);

  private:
    bool readable(RawRow& row, Field field, std::string& value);
    void check_imei(const core::ManifestLine& line);
    void check_iccid(core::ManifestLine& line);
    void check_part_number(const core::ManifestLine& line);
    void check_unique(const core::ManifestLine& line);
    void add(std::uint32_t line, const std::string& what) {
        m_problems.add(line, what);
        m_wrong = true;
    }

    Problems& m_problems;
    const KnownPartNumber& m_known;
    std::unordered_map<std::string, std::uint32_t> m_serials;  // upper-cased serial -> line
    std::unordered_map<std::uint64_t, std::uint32_t> m_imeis;  // valid IMEI as a number
    bool m_wrong = false;                                      // the current row has a mistake
    bool m_imei_ok = false;                                    // the current row's IMEI is valid
};

std::optional<core::ManifestLine> Validator::line_of(RawRow& row) {
    m_wrong = m_imei_ok = false;
    core::ManifestLine line;
    line.line = row.line;
    const std::array<std::pair<Field, std::string*>, manifest_rows::k_field_count> targets{
        {{Field::serial, &line.serial},
         {Field::imei, &line.imei},
         {Field::part_number, &line.part_number},
         {Field::iccid, &line.iccid},
         {Field::po, &line.po},
         {Field::company, &line.company}}};
    bool readable_ids = true;
    for (const auto& [field, target] : targets) {
        const bool ok = readable(row, field, *target);
        if (field == Field::serial || field == Field::imei) readable_ids = readable_ids && ok;
    }
    if (!line.imei.empty()) check_imei(line);
    if (!line.iccid.empty()) check_iccid(line);
    if (!line.part_number.empty()) check_part_number(line);
    if (readable_ids) check_unique(line);
    if (m_wrong) return std::nullopt;
    return line;
}

// The trimmed value into `value` when it is present (if required), short and printable.
bool Validator::readable(RawRow& row, Field field, std::string& value) {
    std::string& source = row.values[static_cast<std::size_t>(field)];
    const std::string_view raw = core::trim_blanks(source);
    const bool required =
        field == Field::serial || field == Field::imei || field == Field::part_number;
    if (raw.empty() && required) add(row.line, "missing value for '" + name_of(field) + "'");
    if (raw.size() > manifest_rows::k_max_field_bytes) {
        add(row.line, "'" + name_of(field) + "' longer than " +
                          std::to_string(manifest_rows::k_max_field_bytes) + " bytes");
        return false;
    }
    if (!plain_ascii(raw) && !core::is_display_safe(raw)) {
        add(row.line, "'" + name_of(field) + "' is not printable text: " + shown(raw));
        return false;
    }
    const bool present = !raw.empty();
    if (raw.size() == source.size()) {
        value = std::move(source);  // nothing to trim: the common case, no copy
    } else {
        value = std::string(raw);
    }
    return present;
}

void Validator::check_imei(const core::ManifestLine& line) {
    const core::IdCheck check = core::check_imei(line.imei);
    m_imei_ok = check == core::IdCheck::ok;
    if (!m_imei_ok) {
        add(line.line, "IMEI " + shown(line.imei) + ": " + std::string(core::to_string(check)));
    }
}

// Stores the normalised form ("8901...F" padding stripped, hex upper-cased).
void Validator::check_iccid(core::ManifestLine& line) {
    const std::string normalized = core::normalize_iccid(line.iccid);
    const core::IdCheck check = core::check_iccid(normalized.empty() ? line.iccid : normalized);
    if (check != core::IdCheck::ok || normalized.empty()) {
        const std::string what =
            check == core::IdCheck::ok ? "not an ICCID" : std::string(core::to_string(check));
        add(line.line, "ICCID " + shown(line.iccid) + ": " + what);
        return;
    }
    line.iccid = normalized;
}

void Validator::check_part_number(const core::ManifestLine& line) {
    if (m_known && m_known(line.part_number)) return;
    add(line.line, "unknown part number '" + shown(line.part_number) + "' (no profile lists it)");
}

void Validator::check_unique(const core::ManifestLine& line) {
    const auto [serial, new_serial] = m_serials.emplace(core::ascii_upper(line.serial), line.line);
    if (!new_serial) {
        add(line.line, "duplicate serial " + shown(line.serial) + " (first on line " +
                           std::to_string(serial->second) + ")");
    }
    if (!m_imei_ok) return;
    const auto [imei, new_imei] =
        m_imeis.emplace(core::parse_integer<std::uint64_t>(line.imei).value_or(0), line.line);
    if (!new_imei) {
        add(line.line, "duplicate IMEI " + shown(line.imei) + " (first on line " +
                           std::to_string(imei->second) + ")");
    }
}

// Lines in the text, for reserving the indexes up front; capped, so a file of blank lines
// does not reserve gigabytes (past the cap the containers grow as usual).
std::size_t expected_lines(std::string_view text) {
    constexpr std::size_t k_reserve_max = std::size_t{1} << 18U;
    const auto breaks = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    return std::min(breaks + 1, k_reserve_max);
}

bool is_json_lines(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && text[first] == '{';
}

core::Error too_large(std::string_view source) {
    return core::Error{core::Reason::bad_usage,
                       std::string(source) + ": larger than 256 MiB, not a manifest"};
}

core::Error cannot_read(const std::filesystem::path& path, int error) {
    return core::Error{core::Reason::bad_usage,
                       path.string() + ": cannot read: " + std::generic_category().message(error)};
}

// Closes the descriptor on every way out of read_bytes.
struct FileDescriptor {
    int fd = -1;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

core::Result<std::string> read_bytes(const std::filesystem::path& path) {
    FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    struct stat status {};
    if (file.fd < 0 || ::fstat(file.fd, &status) != 0) {
        return tl::unexpected(cannot_read(path, errno));
    }
    if (S_ISREG(status.st_mode) &&
        static_cast<std::uintmax_t>(status.st_size) > manifest_rows::k_max_file_bytes) {
        return tl::unexpected(too_large(path.string()));
    }
    std::string bytes;
    std::array<char, 1U << 16U> buffer{};
    for (;;) {
        const ssize_t got = ::read(file.fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return tl::unexpected(cannot_read(path, errno));
        if (got == 0) return bytes;
        bytes.append(buffer.data(), static_cast<std::size_t>(got));
        if (bytes.size() > manifest_rows::k_max_file_bytes) {
            return tl::unexpected(too_large(path.string()));
        }
    }
}

}  // namespace

core::Result<core::Manifest> parse_manifest(std::string_view text, std::string_view source,
                                            const KnownPartNumber& known_part_number) {
    if (text.size() > manifest_rows::k_max_file_bytes) return tl::unexpected(too_large(source));
    if (text.substr(0, k_bom.size()) == k_bom) text.remove_prefix(k_bom.size());
    Problems problems(source);
    Validator validator(problems, known_part_number);
    const std::size_t expected = expected_lines(text);
    validator.reserve(expected);
    std::vector<core::ManifestLine> lines;
    lines.reserve(expected);
    const manifest_rows::RowSink sink = [&](RawRow&& row) {
        if (auto line = validator.line_of(row)) lines.push_back(std::move(*line));
    };
    if (is_json_lines(text)) {
        manifest_rows::read_json_rows(text, problems, sink);
    } else {
        manifest_rows::read_csv_rows(text, problems, sink);
    }
    // A file with mistakes may have no good line left: the mistakes say why.
    if (!problems.any() && lines.empty()) problems.add_file("no units");
    if (problems.any()) return tl::unexpected(problems.error());
    return core::Manifest(std::string(source), std::move(lines));
}

core::Result<core::Manifest> load_manifest(const std::filesystem::path& path,
                                           const KnownPartNumber& known_part_number) {
    auto bytes = read_bytes(path);
    if (!bytes) return tl::unexpected(bytes.error());
    auto manifest = parse_manifest(*bytes, path.string(), known_part_number);
    if (manifest) manifest->sha256 = core::sha256_hex(*bytes);
    return manifest;
}

}  // namespace station::config
