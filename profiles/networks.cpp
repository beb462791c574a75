#include <profiles/networks.hpp>

#include <algorithm>
#include <map>

#include <station/config/toml_reader.hpp>
#include <station/core/sha256.hpp>

namespace profiles {
namespace {

using station::config::TomlProblems;
using station::config::TomlReader;
using station::core::CarrierImage;
using station::core::HomeNetwork;
using station::core::Issuer;
using station::core::Region;
using station::core::Result;
using station::core::SignalTables;
using Votes = std::optional<Region>;

constexpr std::size_t k_max_image = 32;

// Which regions a table's rows may vote for: carrier images can point to NA only.
enum class CanVote { both_regions, na_only };

bool is_digit(char ch) {
    return ch >= '0' && ch <= '9';
}
bool is_upper(char ch) {
    return ch >= 'A' && ch <= 'Z';
}
bool is_image_char(char ch) {
    return is_digit(ch) || is_upper(ch) || (ch >= 'a' && ch <= 'z') || ch == '_' || ch == '-';
}

// `text` is `min` to `max` characters, each passing `pred`.
template <class Pred>
bool made_of(std::string_view text, std::size_t min, std::size_t max, Pred pred) {
    return text.size() >= min && text.size() <= max && std::all_of(text.begin(), text.end(), pred);
}

std::string upper_cased(std::string text) {
    for (char& ch : text) {
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    }
    return text;
}

// One [[key]] entry: its reader (messages say "key[N].") and the line of its header.
struct Entry {
    const toml::table& table;
    TomlProblems& problems;
    std::string label;  // "home_network[3]"
    TomlReader reader;

    Entry(const toml::table& t, TomlProblems& p, std::string_view key, std::size_t index)
        : table(t),
          problems(p),
          label(std::string(key) + "[" + std::to_string(index + 1) + "]"),
          reader(t, p, label + ".") {}

    // A problem of the whole entry, at its header's line.
    void report(const std::string& what) { problems.report(table.source(), label + ": " + what); }

    std::uint32_t line() const { return table.source().begin.line; }

    // A string that must be given and not empty; a missing one is reported at the entry's line.
    std::string required(std::string_view key) {
        const auto value = reader.string(key);
        if (!value) {
            if (!table.get(key)) {
                problems.report(table.source(), "missing required key '" + reader.prefix() +
                                                    std::string(key) + "'");
            }
            return "";
        }
        if (value->empty()) reader.report(key, "must not be empty");
        return *value;
    }

    // `votes`: "na", "global" (never for a carrier image) or "neutral" (nullopt).
    Votes votes(CanVote can) {
        const bool image = can == CanVote::na_only;
        const std::string text = required("votes");
        if (text == "na") return Region::na;
        if (text == "global" && !image) return Region::global;
        if (text == "global") {
            reader.report("votes", "no carrier image proves Global (DOMAIN.md)");
        } else if (text != "neutral" && !text.empty()) {
            reader.report("votes", "'" + text + "' is not one of " +
                                       (image ? "na, neutral" : "na, global, neutral"));
        }
        return std::nullopt;
    }
};

// Reports a key listed a second time, at the second entry, naming the first one's line.
class Duplicates {
  public:
    // `shown` names the value in the message: "mcc '310'", "prefix '8901410'".
    void check(Entry& entry, const std::string& key, const std::string& shown, Votes votes) {
        if (key.empty()) return;
        const auto [it, fresh] = m_first.emplace(key, First{entry.line(), votes});
        if (fresh) return;
        const First& first = it->second;
        if (votes && first.votes && *votes != *first.votes) {
            entry.report(shown + " is listed for both regions (" +
                         std::string(to_string(*first.votes)) + " at line " +
                         std::to_string(first.line) + ")");
        } else {
            entry.report(shown + " is listed twice (first at line " + std::to_string(first.line) +
                         ")");
        }
    }

  private:
    struct First {
        std::uint32_t line;
        Votes votes;
    };
    std::map<std::string, First> m_first;
};

void read_home_network(Entry& e, Duplicates& seen, std::vector<HomeNetwork>& out) {
    HomeNetwork row;
    row.line = e.line();
    const std::string mcc = e.required("mcc");
    const bool zone = made_of(mcc, 1, 1, is_digit);
    if (!mcc.empty() && !zone && !made_of(mcc, 3, 3, is_digit)) {
        e.reader.report("mcc", "'" + mcc + "' is not an MCC (3 digits) or an E.212 zone (1 digit)");
    }
    const auto mnc = e.reader.string("mnc");
    if (mnc && !made_of(*mnc, 2, 3, is_digit)) {
        e.reader.report("mnc", "'" + *mnc + "' is not an MNC (2 or 3 digits)");
    } else if (mnc && zone) {
        e.reader.report("mnc", "'" + *mnc + "' needs a 3-digit mcc, not the zone '" + mcc + "'");
    }
    row.prefix = mcc + mnc.value_or("");
    row.name = e.required("name");
    row.votes = e.votes(CanVote::both_regions);
    e.reader.reject_unknown();
    seen.check(e, row.prefix, (mnc ? "mcc+mnc '" : "mcc '") + row.prefix + "'", row.votes);
    out.push_back(std::move(row));
}

void read_issuer(Entry& e, Duplicates& seen, std::vector<Issuer>& out) {
    Issuer row;
    row.line = e.line();
    row.prefix = e.required("prefix");
    if (!row.prefix.empty() &&
        !(made_of(row.prefix, 4, 10, is_digit) && row.prefix.starts_with("89"))) {
        e.reader.report(
            "prefix",
            "'" + row.prefix + "' is not an ICCID issuer prefix (4 to 10 digits starting 89)");
    }
    row.name = e.required("name");
    if (auto country = e.reader.string("country")) {
        if (!made_of(*country, 2, 2, is_upper)) {
            e.reader.report("country", "'" + *country +
                                           "' is not an ISO 3166 country code (2 capital letters)");
        }
        row.country = std::move(*country);
    }
    row.votes = e.votes(CanVote::both_regions);
    e.reader.reject_unknown();
    seen.check(e, row.prefix, "prefix '" + row.prefix + "'", row.votes);
    out.push_back(std::move(row));
}

void read_carrier_image(Entry& e, Duplicates& seen, std::vector<CarrierImage>& out) {
    CarrierImage row;
    row.line = e.line();
    row.name = e.required("name");
    if (!row.name.empty() && !made_of(row.name, 1, k_max_image, is_image_char)) {
        e.reader.report("name", "'" + row.name +
                                    "' is not a carrier image name (letters, digits, '_' or '-', "
                                    "at most 32)");
    }
    row.votes = e.votes(CanVote::na_only);
    e.reader.reject_unknown();
    seen.check(e, upper_cased(row.name), "name '" + row.name + "'", row.votes);
    out.push_back(std::move(row));
}

// The entries of the array of tables `key`; `key = []` is an empty list, not a mistake.
std::vector<const toml::table*> entries(TomlReader& r, const toml::table& root,
                                        std::string_view key) {
    if (const auto* array = root.get_as<toml::array>(key); array && array->empty()) {
        (void)r.strings(key);  // marks the key as read
        return {};
    }
    return r.tables(key);
}

template <class Row, class ReadRow>
void read_rows(const std::vector<const toml::table*>& tables, std::string_view key,
               TomlProblems& problems, std::vector<Row>& out, ReadRow read_row) {
    Duplicates seen;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        Entry entry(*tables[i], problems, key, i);
        read_row(entry, seen, out);
    }
}

Result<SignalTables> read_tables(const toml::table& root, std::string_view source) {
    TomlProblems problems{std::string(source), {}, {}};
    TomlReader r(root, problems);
    SignalTables tables;
    tables.source = std::string(source);
    tables.provenance = r.string("source").value_or("");
    const auto networks = entries(r, root, "home_network");
    const auto issuers = entries(r, root, "issuer");
    const auto images = entries(r, root, "carrier_image");
    r.reject_unknown();
    read_rows(networks, "home_network", problems, tables.home_networks, read_home_network);
    read_rows(issuers, "issuer", problems, tables.issuers, read_issuer);
    read_rows(images, "carrier_image", problems, tables.carrier_images, read_carrier_image);
    // Every mistake at once, like the rig files: one fix-up pass over the file.
    if (const auto error = problems.every_error()) return tl::unexpected(*error);
    return tables;
}

}  // namespace

Result<SignalTables> parse_signal_tables(std::string_view text, std::string_view source) {
    auto parsed = station::config::parse_toml(text, source);
    if (!parsed) return tl::unexpected(parsed.error());
    return read_tables(*parsed, source);
}

Result<SignalTables> load_signal_tables(const std::filesystem::path& path, FileHashes hashes) {
    auto text = station::config::read_data_file(path);
    if (!text) return tl::unexpected(text.error());
    auto parsed = station::config::parse_toml(*text, path.string());
    if (!parsed) return tl::unexpected(parsed.error());
    auto tables = read_tables(*parsed, path.string());
    if (tables && hashes == FileHashes::compute) tables->sha256 = station::core::sha256_hex(*text);  // of the bytes parsed
    return tables;
}

}  // namespace profiles
