#include <profiles/loader.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include <profiles/networks.hpp>
#include <profiles/plan_reader.hpp>
#include <station/config/toml_reader.hpp>
#include <station/core/sha256.hpp>
#include <station/core/text.hpp>

namespace profiles {
namespace {

using station::config::Need;
using station::config::TomlProblems;
using station::config::TomlReader;
using station::core::Error;
using station::core::Reason;
using station::core::Region;
using station::core::Result;

constexpr std::size_t k_max_pattern = 64;
constexpr std::int64_t k_allowed_terms[] = {1, 3, 5};

bool is_name_char(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}
bool is_printable(char ch) {
    return ch >= 0x20 && ch < 0x7f;
}

template <class Pred>
bool all_of(std::string_view text, Pred pred) {
    return !text.empty() && std::all_of(text.begin(), text.end(), pred);
}

void read_identity(TomlReader& r, station::core::SkuProfile& sku) {
    sku.name = r.string("name", Need::required).value_or("");
    if (!sku.name.empty() && !all_of(sku.name, is_name_char)) {
        r.report("name", "'" + sku.name + "' must be lower-case letters, digits, '-' or '_'");
    }
    sku.family = r.string("family", Need::required).value_or("");
    if (!sku.family.empty() && !all_of(sku.family, is_name_char)) {
        r.report("family", "'" + sku.family + "' must be lower-case letters, digits, '-' or '_'");
    }
    const auto region_text = r.string("region", Need::required);
    if (region_text) {
        if (const auto region = station::core::region_from_string(*region_text)) {
            sku.region = *region;
        } else {
            r.report("region", "'" + *region_text + "' is not one of na, global");
        }
    }
    // The data center is derived from the region; a file may state it, but only in agreement.
    if (const auto dc_text = r.string("data_center"); dc_text && region_text) {
        const auto dc = station::core::data_center_from_string(*dc_text);
        const auto routed = station::core::data_center_for(sku.region);
        if (!dc) {
            r.report("data_center", "'" + *dc_text + "' is not one of na, eu");
        } else if (*dc != routed) {
            r.report("data_center", "'" + *dc_text + "' disagrees with region '" + *region_text +
                                        "' (" + std::string(display_name(sku.region)) +
                                        " SKUs register in '" + std::string(to_string(routed)) +
                                        "')");
        }
    }
    if (auto fw = r.string("min_firmware")) {
        if (!station::core::firmware_version(*fw)) {
            r.report("min_firmware", "'" + *fw + "' has no version number like 01.14.22.00");
        }
        sku.min_firmware = std::move(*fw);
    }
}

void read_terms(TomlReader& r, station::core::SkuProfile& sku) {
    if (auto terms = r.integers("terms_years", 1, 5)) {
        sku.terms_years.clear();
        for (const auto term : *terms) {
            if (std::find(std::begin(k_allowed_terms), std::end(k_allowed_terms), term) ==
                std::end(k_allowed_terms)) {
                r.report("terms_years", std::to_string(term) + " years is not a term (1, 3 or 5)");
            } else if (std::find(sku.terms_years.begin(), sku.terms_years.end(), term) !=
                       sku.terms_years.end()) {
                r.report("terms_years", std::to_string(term) + " is listed twice");
            }
            sku.terms_years.push_back(static_cast<int>(term));
        }
        if (terms->empty()) r.report("terms_years", "needs at least one term");
    }
    if (auto term = r.integer("default_term_years", 1, 5)) {
        sku.default_term_years = static_cast<int>(*term);
        if (std::find(sku.terms_years.begin(), sku.terms_years.end(), *term) ==
            sku.terms_years.end()) {
            r.report("default_term_years",
                     std::to_string(*term) + " is not one of this profile's terms_years");
        }
    }
}

void read_usb(TomlReader& parent, TomlProblems& problems, UsbSpec& usb) {
    const toml::table* table = parent.table("usb");
    if (!table) {
        if (!problems.error()) parent.report("usb", "missing required table [usb]");
        return;
    }
    TomlReader r(*table, problems, "usb.");
    usb.vendor_id =
        static_cast<std::uint16_t>(r.integer("vendor_id", 0, 0xffff, Need::required).value_or(0));
    for (const auto pid : r.integers("product_ids", 0, 0xffff, Need::required)
                              .value_or(std::vector<std::int64_t>{})) {
        usb.product_ids.push_back(static_cast<std::uint16_t>(pid));
    }
    if (const auto* ids = table->get("product_ids"); ids && usb.product_ids.empty()) {
        r.report("product_ids", "needs at least one product id");
    }
    if (auto itf = r.integer("at_interface", 0, 31)) usb.at_interface = static_cast<int>(*itf);
    r.reject_unknown();
}

// A list of non-empty, printable, bounded strings.
std::vector<std::string> read_list(TomlReader& r, std::string_view key, Need need,
                                   bool (*valid)(std::string_view), std::string_view rule) {
    auto items = r.strings(key, need).value_or(std::vector<std::string>{});
    for (const auto& item : items) {
        if (!valid(item)) {
            r.report(key, "'" + item + "' " + std::string(rule));
            break;
        }
    }
    return items;
}

bool valid_pattern(std::string_view p) {
    return p.size() <= k_max_pattern && all_of(p, is_printable) && p != "*";
}
bool valid_part_number(std::string_view p) {
    return p.size() <= 32 && all_of(p, [](char c) { return is_printable(c) && c != ' '; });
}
// Keys of [signals] that older profile files had, and where their facts live now.
void reject_moved_signals(TomlReader& r, Region region) {
    r.retired("model_patterns",
              "is no longer read: a module's ATI names the module, never the router SKU "
              "(DOMAIN.md 'Second reading'); list the modules as signals.module_models and the "
              "SKU's part numbers as part_numbers (matched against --manifest)");
    const std::string moved =
        "moved to the shared networks.toml beside the profiles (one table "
        "for every profile, so a value cannot vote for both regions)";
    r.retired("carrier_images", region == Region::global
                                    ? "a Global profile cannot require a carrier image: no image "
                                      "proves Global; " +
                                          moved
                                    : moved);
    r.retired("iccid_prefixes", moved);
}

void read_signals(TomlReader& parent, TomlProblems& problems, station::core::SkuProfile& sku) {
    const toml::table* table = parent.table("signals");
    if (!table) {
        if (!problems.error()) parent.report("signals", "missing required table [signals]");
        return;
    }
    TomlReader r(*table, problems, "signals.");
    reject_moved_signals(r, sku.region);
    auto& modules = sku.signals.module_models;
    modules = read_list(r, "module_models", Need::required, valid_pattern,
                        "is not a module model pattern (printable, at most 64 characters, not "
                        "a bare '*')");
    if (table->get("module_models") && modules.empty()) {
        r.report("module_models", "needs at least one module model");
    }
    r.reject_unknown();
}

void read_manifest_rules(TomlReader& r, station::core::SkuProfile& sku) {
    sku.part_numbers = read_list(r, "part_numbers", Need::optional, valid_part_number,
                                 "is not a part number (printable, no spaces, at most 32 "
                                 "characters)");
    for (std::size_t i = 0; i < sku.part_numbers.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (station::core::iequals(sku.part_numbers[i], sku.part_numbers[j])) {
                r.report("part_numbers", "'" + sku.part_numbers[i] + "' is listed twice");
            }
        }
    }
    sku.require_manifest = r.boolean("require_manifest").value_or(false);
    if (sku.require_manifest && sku.part_numbers.empty()) {
        r.report("require_manifest",
                 "needs part_numbers: a manifest line names its unit's profile by part number");
    }
}

Result<Profile> read_profile(const toml::table& root, std::string_view source,
                             std::string_view expected_name) {
    TomlProblems problems{std::string(source), std::nullopt, std::nullopt};
    TomlReader r(root, problems);
    Profile p;
    p.source = std::filesystem::path(source);
    read_identity(r, p.sku);
    read_terms(r, p.sku);
    read_usb(r, problems, p.usb);
    read_manifest_rules(r, p.sku);
    read_signals(r, problems, p.sku);
    read_plan(r, problems, p.plan);
    r.reject_unknown();
    if (!problems.error() && !expected_name.empty() && p.sku.name != expected_name) {
        r.report("name", "'" + p.sku.name + "' must match the file name '" +
                             std::string(expected_name) + ".toml'");
    }
    if (const auto error = problems.error()) return tl::unexpected(*error);
    p.plan.name = p.sku.name;
    return p;
}

Error set_error(const Profile& p, const std::string& what) {
    return Error{Reason::bad_usage, p.source.string() + ": " + what};
}

std::string sku_of(const Profile& p) {
    return p.name() + ", " + std::string(display_name(p.sku.region)) + " -> " +
           std::string(to_string(p.sku.data_center())) + " data center";
}

// A manifest line's part number picks the profile: one listed by two profiles would make the
// manifest name two SKUs (or two data centers) for one unit.
void check_part_numbers(std::span<const Profile> set, std::vector<Error>& errors) {
    std::map<std::string, const Profile*> first;  // keyed upper-cased
    for (const auto& p : set) {
        for (const auto& number : p.sku.part_numbers) {
            const auto [it, added] = first.emplace(station::core::ascii_upper(number), &p);
            if (added || it->second == &p) continue;
            errors.push_back(set_error(p, "part number '" + number + "' is also listed by " +
                                              it->second->name() + " (" + sku_of(*it->second) +
                                              "; " + sku_of(p) +
                                              "): one manifest line would name two profiles"));
        }
    }
}

}  // namespace

Result<Profile> parse_profile(std::string_view text, std::string_view source,
                              std::string_view expected_name) {
    auto parsed = station::config::parse_toml(text, source);
    if (!parsed) return tl::unexpected(parsed.error());
    return read_profile(*parsed, source, expected_name);
}

Result<Profile> load_profile(const std::filesystem::path& path, FileHashes hashes) {
    if (path.extension() != ".toml") {
        return station::core::fail(Reason::bad_usage,
                                   path.string() + ": a profile file must end in .toml");
    }
    auto text = station::config::read_data_file(path);
    if (!text) return tl::unexpected(text.error());
    auto table = station::config::parse_toml(*text, path.string());
    if (!table) return tl::unexpected(table.error());
    auto profile = read_profile(*table, path.string(), path.stem().string());
    if (profile && hashes == FileHashes::compute) profile->sha256 = station::core::sha256_hex(*text);  // of the bytes parsed
    return profile;
}

const Profile* ProfileSet::find(std::string_view name) const {
    for (const auto& p : profiles) {
        if (p.name() == name) return &p;
    }
    return nullptr;
}

std::vector<station::core::SkuProfile> ProfileSet::skus() const {
    std::vector<station::core::SkuProfile> out;
    out.reserve(profiles.size());
    for (const auto& p : profiles) out.push_back(p.sku);
    return out;
}

std::string ProfileSet::error_text() const {
    std::string out;
    for (const auto& e : errors) out += (out.empty() ? "" : "\n") + e.message;
    return out;
}

ProfileSet load_profile_files(std::span<const std::filesystem::path> files, FileHashes hashes) {
    ProfileSet set;
    for (const auto& file : files) {
        if (file.filename() == k_tables_file) {
            auto tables = load_signal_tables(file, hashes);
            if (tables) {
                set.tables = std::move(*tables);
            } else {
                set.errors.push_back(tables.error());
            }
            continue;
        }
        auto profile = load_profile(file, hashes);
        if (profile) {
            set.profiles.push_back(std::move(*profile));
        } else {
            set.errors.push_back(profile.error());
        }
    }
    auto across = check_profile_set(set.profiles);
    set.errors.insert(set.errors.end(), across.begin(), across.end());
    return set;
}

ProfileSet load_profile_dir(const std::filesystem::path& dir, FileHashes hashes) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    }
    if (ec) {
        ProfileSet set;
        set.errors.push_back(Error{Reason::bad_usage,
                                   dir.string() + ": cannot read profile folder: " + ec.message()});
        return set;
    }
    std::sort(files.begin(), files.end());
    const auto tables = dir / k_tables_file;
    const bool has_tables = std::find(files.begin(), files.end(), tables) != files.end();
    auto set = load_profile_files(files, hashes);
    if (set.profiles.empty() && (files.empty() || (files.size() == 1 && has_tables))) {
        set.errors.push_back(Error{Reason::bad_usage, dir.string() + ": no *.toml profiles"});
    }
    if (!has_tables) {
        set.errors.push_back(Error{
            Reason::bad_usage,
            tables.string() + ": missing: the shared SIM issuer, home network and carrier image "
                              "tables every SKU decision uses"});
    }
    return set;
}

std::vector<Error> check_profile_set(std::span<const Profile> set) {
    std::vector<Error> errors;
    std::map<std::string, const Profile*> names;
    for (const auto& p : set) {
        if (auto [it, added] = names.emplace(p.name(), &p); !added) {
            errors.push_back(set_error(
                p, "name '" + p.name() + "' is also used by " + it->second->source.string()));
        }
    }
    check_part_numbers(set, errors);
    return errors;
}

std::filesystem::path profiles_dir(std::string_view given) {
    if (!given.empty()) return given;
    if (const char* dir = std::getenv("STATION_PROFILES_DIR"); dir && *dir) return dir;
    return shipped_profiles_dir();
}

std::filesystem::path shipped_profiles_dir() {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return STATION_DEFAULT_PROFILES_DIR;
    const fs::path installed = exe.parent_path().parent_path() / "share" / "station" / "profiles";
    if (fs::is_directory(installed, ec)) return installed;
    // A binary of the build folder (not installed) uses the source tree it was built from.
    const std::string build_dir = STATION_BUILD_DIR;
    const std::string exe_text = exe.string();
    if (exe_text.size() > build_dir.size() &&
        exe_text.compare(0, build_dir.size(), build_dir) == 0 &&
        exe_text[build_dir.size()] == '/') {
        return STATION_DEFAULT_PROFILES_DIR;
    }
    return installed;  // missing: the error names where the profiles should be
}

std::vector<drivers::usb::UsbMatch> usb_filter(const Profile& profile) {
    if (profile.usb.product_ids.empty()) return {{profile.usb.vendor_id, std::nullopt}};
    std::vector<drivers::usb::UsbMatch> filter;
    for (const auto pid : profile.usb.product_ids) filter.push_back({profile.usb.vendor_id, pid});
    return filter;
}

std::vector<drivers::usb::UsbMatch> usb_filter(std::span<const Profile> profiles) {
    std::vector<drivers::usb::UsbMatch> filter;
    for (const auto& profile : profiles) {
        for (const auto& match : usb_filter(profile)) {
            const bool known = std::any_of(filter.begin(), filter.end(), [&](const auto& m) {
                return m.vendor_id == match.vendor_id && m.product_id == match.product_id;
            });
            if (!known) filter.push_back(match);
        }
    }
    return filter;
}

}  // namespace profiles
