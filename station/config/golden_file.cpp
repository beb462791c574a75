// The regression rig's golden file (config/golden_file.hpp): read strictly with the shared TOML
// reader, every mistake of the file listed at once (a bench engineer fixes a 24-slot file in
// one pass), and written back for `station regress --record-golden`.
#include <station/config/golden_file.hpp>

#include <algorithm>
#include <array>
#include <map>

#include <station/config/toml_reader.hpp>
#include <station/config/toml_text.hpp>
#include <station/core/identifiers.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/sku_profile.hpp>

namespace station::config {
namespace {

using core::DataCenter;
using core::GoldenSlot;
using core::Outcome;
using core::Region;

constexpr std::size_t k_max_slots = 1024;

constexpr std::array<std::string_view, 11> k_slot_keys{
    "slot",         "fsn",     "imei",   "iccid",       "model",  "firmware",
    "firmware_min", "profile", "region", "data_center", "verdict"};

constexpr std::array<std::pair<std::string_view, Region>, 2> k_regions{{
    {"na", Region::na},
    {"global", Region::global},
}};
constexpr std::array<std::pair<std::string_view, DataCenter>, 2> k_data_centers{{
    {"na", DataCenter::na},
    {"eu", DataCenter::eu},
}};
constexpr std::array<std::pair<std::string_view, Outcome>, 3> k_verdicts{{
    {"PASS", Outcome::pass},
    {"FAIL", Outcome::fail},
    {"ERROR", Outcome::error},
}};

using core::shown;

// Every key of `table` not in `known`, each reported (not only the first, as
// TomlReader::reject_unknown does).
template <std::size_t N>
void reject_every_unknown(const toml::table& table, const std::array<std::string_view, N>& known,
                          const std::string& prefix, TomlProblems& problems) {
    for (const auto& [key, node] : table) {
        if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
        problems.report_unknown(key.source(), "unknown key '" + prefix + shown(key.str()) + "'");
    }
}

// A string key that, when given, must not be empty ("" would silently check nothing).
std::string text_key(TomlReader& reader, std::string_view key) {
    const auto value = reader.string(key);
    if (value && value->empty()) {
        reader.report(key, "empty (leave the key out when it is not to be checked)");
    }
    return value.value_or("");
}

void check_identifiers(TomlReader& reader, const GoldenSlot& slot) {
    if (!slot.imei.empty()) {
        const auto check = core::check_imei(slot.imei);
        if (check != core::IdCheck::ok) {
            reader.report("imei",
                          "IMEI " + shown(slot.imei) + ": " + std::string(to_string(check)));
        }
    }
    if (!slot.iccid.empty()) {
        const auto check = core::check_iccid(slot.iccid);
        if (check != core::IdCheck::ok) {
            reader.report("iccid",
                          "ICCID " + shown(slot.iccid) + ": " + std::string(to_string(check)));
        }
    }
}

void check_firmware(TomlReader& reader, const GoldenSlot& slot, TomlProblems& problems,
                    const toml::table& table) {
    if (!slot.firmware.empty() && !slot.firmware_min.empty()) {
        problems.report(table.source(), "slot '" + shown(slot.slot) +
                                            "': firmware and firmware_min both given (one or the "
                                            "other)");
    }
    if (!slot.firmware_min.empty() && !core::firmware_version(slot.firmware_min)) {
        reader.report("firmware_min",
                      "'" + shown(slot.firmware_min) + "' has no version number like 01.14.00.00");
    }
}

// Reads one [[slot]] table; nullopt when it has no usable label.
std::optional<GoldenSlot> read_slot(const toml::table& table, TomlProblems& problems,
                                    const KnownProfile& known_profile) {
    TomlReader reader(table, problems, "slot.");
    GoldenSlot slot;
    slot.line = static_cast<int>(table.source().begin.line);
    slot.slot = text_key(reader, "slot");
    slot.fsn = text_key(reader, "fsn");
    slot.imei = text_key(reader, "imei");
    slot.iccid = text_key(reader, "iccid");
    slot.model = text_key(reader, "model");
    slot.firmware = text_key(reader, "firmware");
    slot.firmware_min = text_key(reader, "firmware_min");
    slot.profile = text_key(reader, "profile");
    slot.region = reader.choice<Region>("region", k_regions);
    slot.data_center = reader.choice<DataCenter>("data_center", k_data_centers);
    slot.verdict = reader.choice<Outcome>("verdict", k_verdicts).value_or(Outcome::pass);
    reject_every_unknown(table, k_slot_keys, "slot.", problems);
    check_identifiers(reader, slot);
    check_firmware(reader, slot, problems, table);
    if (!slot.profile.empty() && known_profile && !known_profile(slot.profile)) {
        reader.report("profile", "'" + shown(slot.profile) + "' is not a loaded SKU profile");
    }
    if (table.get("slot") == nullptr) {
        problems.report(table.source(), "[[slot]] without 'slot' (the rig's slot label)");
    }
    if (slot.slot.empty()) return std::nullopt;
    return slot;
}

void check_duplicates(const std::vector<GoldenSlot>& slots,
                      const std::vector<const toml::table*>& tables, TomlProblems& problems) {
    std::map<std::string, int> first;
    for (std::size_t i = 0; i < slots.size(); ++i) {
        const auto [at, fresh] = first.emplace(slots[i].slot, slots[i].line);
        if (fresh) continue;
        problems.report(tables[i]->source(), "duplicate slot '" + shown(slots[i].slot) +
                                                 "' (first at line " + std::to_string(at->second) +
                                                 ")");
    }
}

core::Result<core::Golden> read_golden(const toml::table& root, const std::string& source,
                                       const KnownProfile& known_profile) {
    TomlProblems problems{source, {}, {}};
    TomlReader reader(root, problems);
    const auto tables = reader.tables("slot");
    reject_every_unknown(root, std::array<std::string_view, 1>{"slot"}, "", problems);
    if (tables.size() > k_max_slots) {
        problems.report(root.source(), "more than " + std::to_string(k_max_slots) + " slots");
    }
    core::Golden golden{source, {}};
    std::vector<const toml::table*> kept;
    for (const toml::table* table : tables) {
        if (auto slot = read_slot(*table, problems, known_profile)) {
            golden.slots.push_back(std::move(*slot));
            kept.push_back(table);
        }
    }
    check_duplicates(golden.slots, kept, problems);
    if (!problems.error() && golden.slots.empty()) {
        problems.report(root.source(), "no [[slot]] tables");
    }
    if (const auto error = problems.every_error()) return tl::unexpected(*error);
    return golden;
}

void write_key(std::string& out, std::string_view key, std::string_view value) {
    if (value.empty()) return;
    out += std::string(key) + " = " + toml_quoted(value) + "\n";
}

}  // namespace

core::Result<core::Golden> parse_golden(std::string_view text, std::string_view source,
                                        const KnownProfile& known_profile) {
    auto parsed = parse_toml(text, source);
    if (!parsed) return tl::unexpected(parsed.error());
    return read_golden(*parsed, std::string(source), known_profile);
}

core::Result<core::Golden> load_golden(const std::filesystem::path& path,
                                       const KnownProfile& known_profile) {
    auto parsed = read_toml_file(path);
    if (!parsed) return tl::unexpected(parsed.error());
    return read_golden(*parsed, path.string(), known_profile);
}

std::string golden_text(const core::Golden& golden, std::string_view header_comment) {
    std::string out;
    std::size_t start = 0;
    while (start < header_comment.size()) {
        const std::size_t end = std::min(header_comment.find('\n', start), header_comment.size());
        const std::string_view line = header_comment.substr(start, end - start);
        out += line.empty() ? "#\n" : "# " + core::sanitize_for_display(line) + "\n";
        start = end + 1;
    }
    for (const GoldenSlot& slot : golden.slots) {
        out += (out.empty() ? "" : "\n") + std::string("[[slot]]\n");
        write_key(out, "slot", slot.slot);
        write_key(out, "fsn", slot.fsn);
        write_key(out, "imei", slot.imei);
        write_key(out, "iccid", slot.iccid);
        write_key(out, "model", slot.model);
        write_key(out, "firmware", slot.firmware);
        write_key(out, "firmware_min", slot.firmware_min);
        write_key(out, "profile", slot.profile);
        if (slot.region) write_key(out, "region", to_string(*slot.region));
        if (slot.data_center) write_key(out, "data_center", to_string(*slot.data_center));
        write_key(out, "verdict", to_string(slot.verdict));
    }
    return out;
}

}  // namespace station::config
