// The shared evidence tables (profiles/networks.toml): every shipped row is what a look-up of a
// value with its prefix finds (the longest prefix wins), real samples vote as DOMAIN.md "Second
// reading" says, and every kind of mistake in the file gets its "<file>:<line>: <what>".
#include <profiles/loader.hpp>
#include <profiles/networks.hpp>

#include <algorithm>
#include <optional>

#include <gtest/gtest.h>

#include <text_edit.hpp>

namespace profiles {
namespace {

using station::core::Reason;
using station::core::Region;
using station::core::SignalTables;
using Votes = std::optional<Region>;

const char* const k_shipped = STATION_SOURCE_DIR "/profiles/networks.toml";
constexpr std::size_t k_imsi_digits = 15;
constexpr std::size_t k_iccid_digits = 20;

// A value of `length` characters starting with `row.prefix` that no longer prefix of `rows`
// matches, so `row` must be the longest match; empty when every padding is shadowed.
template <class Row>
std::string value_for(const std::vector<Row>& rows, const Row& row, std::size_t length) {
    for (char digit = '0'; digit <= '9'; ++digit) {
        const std::string value = row.prefix + std::string(length - row.prefix.size(), digit);
        const bool shadowed = std::any_of(rows.begin(), rows.end(), [&](const Row& other) {
            return other.prefix.size() > row.prefix.size() && value.starts_with(other.prefix);
        });
        if (!shadowed) return value;
    }
    return "";
}

TEST(ShippedTables, LoadWithTheirSource) {
    const auto tables = load_signal_tables(k_shipped);
    ASSERT_TRUE(tables) << tables.error().message;
    EXPECT_EQ(tables->source, k_shipped);
    EXPECT_NE(tables->provenance.find("E.212"), std::string::npos) << tables->provenance;
    EXPECT_NE(tables->provenance.find("E.118"), std::string::npos) << tables->provenance;
    EXPECT_FALSE(tables->home_networks.empty());
    EXPECT_FALSE(tables->issuers.empty());
    EXPECT_FALSE(tables->carrier_images.empty());
}

TEST(ShippedTables, EveryHomeNetworkRowIsFoundByAnImsiWithItsPrefix) {
    const auto tables = load_signal_tables(k_shipped);
    ASSERT_TRUE(tables) << tables.error().message;
    ASSERT_FALSE(tables->home_networks.empty());
    for (const auto& row : tables->home_networks) {
        const std::string imsi = value_for(tables->home_networks, row, k_imsi_digits);
        ASSERT_FALSE(imsi.empty()) << "line " << row.line << ": shadowed by longer prefixes";
        EXPECT_EQ(tables->home_network(imsi), &row) << imsi << " (line " << row.line << ")";
    }
}

TEST(ShippedTables, EveryIssuerRowIsFoundByAnIccidWithItsPrefix) {
    const auto tables = load_signal_tables(k_shipped);
    ASSERT_TRUE(tables) << tables.error().message;
    ASSERT_FALSE(tables->issuers.empty());
    for (const auto& row : tables->issuers) {
        const std::string iccid = value_for(tables->issuers, row, k_iccid_digits);
        ASSERT_FALSE(iccid.empty()) << "line " << row.line << ": shadowed by longer prefixes";
        EXPECT_EQ(tables->issuer(iccid), &row) << iccid << " (line " << row.line << ")";
    }
}

TEST(ShippedTables, EveryCarrierImageRowIsFoundInAnyCase) {
    const auto tables = load_signal_tables(k_shipped);
    ASSERT_TRUE(tables) << tables.error().message;
    ASSERT_FALSE(tables->carrier_images.empty());
    for (const auto& row : tables->carrier_images) {
        std::string lower = row.name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_EQ(tables->carrier_image(row.name), &row) << row.name;
        EXPECT_EQ(tables->carrier_image(lower), &row) << lower;
        EXPECT_NE(row.votes, Region::global) << row.name << ": no image proves Global";
    }
}

// A real value, the row it must find (by name; empty: none) and that row's vote.
struct Sample {
    std::string value;
    std::string name;
    Votes votes;
};

void PrintTo(const Sample& s, std::ostream* os) {
    *os << "'" << s.value << "'";
}

template <class Row>
void expect_found(const Row* row, const Sample& s) {
    if (s.name.empty()) {
        EXPECT_EQ(row, nullptr) << "'" << s.value << "' found line " << (row ? row->line : 0U);
        return;
    }
    ASSERT_NE(row, nullptr) << "'" << s.value << "' found nothing";
    EXPECT_EQ(row->name, s.name) << s.value;
    EXPECT_EQ(row->votes, s.votes) << s.value;
}

const std::string k_smart_sim =
    "Sierra Wireless Smart SIM home network (roaming SIM sold worldwide)";
const std::string k_europe = "Europe (E.212 zone 2)";

class ImsiSample : public testing::TestWithParam<Sample> {};
TEST_P(ImsiSample, VotesForItsHomeNetwork) {
    const auto tables = load_signal_tables(k_shipped);
    ASSERT_TRUE(tables) << tables.error().message;
    expect_found(tables->home_network(GetParam().value), GetParam());
}
INSTANTIATE_TEST_SUITE_P(
    Real, ImsiSample,
    testing::Values(
        Sample{"206010123456789", k_smart_sim, std::nullopt},  // Smart SIM, not Europe
        Sample{"206200123456789", k_europe, Region::global},   // Belgium
        Sample{"234150123456789", k_europe, Region::global},   // Vodafone UK
        Sample{"262010123456789", k_europe, Region::global},   // Telekom DE
        Sample{"310410123456789", "USA", Region::na},          // AT&T
        Sample{"311480123456789", "USA", Region::na},          // Verizon
        Sample{"310260123456789", "USA", Region::na},          // T-Mobile
        Sample{"302720123456789", "Canada", Region::na},       // Rogers
        Sample{"334020123456789", "Mexico", Region::na},       // Telcel
        Sample{"460000123456789", "Asia (E.212 zone 4)", Region::global},
        Sample{"505010123456789", "Oceania (E.212 zone 5)", Region::global},
        Sample{"655010123456789", "Africa (E.212 zone 6)", Region::global},
        Sample{"724050123456789", "South and Central America (E.212 zone 7)", Region::global},
        Sample{"901280123456789", "International networks (E.212 shared code)", std::nullopt},
        Sample{"338050123456789", "", std::nullopt},  // Jamaica: zone 3, not listed
        Sample{"", "", std::nullopt},                 // no IMSI
        Sample{"31041012345678A", "", std::nullopt},  // not digits
        Sample{" 310410123456789", "", std::nullopt}));

class IccidSample : public testing::TestWithParam<Sample> {};
TEST_P(IccidSample, VotesForItsIssuer) {
    const auto tables = load_signal_tables(k_shipped);
    ASSERT_TRUE(tables) << tables.error().message;
    expect_found(tables->issuer(GetParam().value), GetParam());
}
INSTANTIATE_TEST_SUITE_P(
    Real, IccidSample,
    testing::Values(Sample{"89332401000012345678", "Sierra Wireless Smart SIM (sold worldwide)",
                           std::nullopt},
                    Sample{"8901410321234567893", "AT&T", Region::na},
                    Sample{"8901170123456789012", "AT&T", Region::na},
                    Sample{"8901260123456789012", "T-Mobile", Region::na},
                    Sample{"8901490123456789012", "T-Mobile", Region::na},
                    Sample{"8914800000123456789", "Verizon", Region::na},
                    Sample{"8944100123456789012", "Vodafone UK", Region::global},
                    Sample{"8949200123456789012", "Vodafone DE", Region::global},
                    Sample{"8933010123456789012", "Orange FR", Region::global},
                    Sample{"8934070123456789012", "Telefonica ES", Region::global},
                    Sample{"8910000000000000000", "", std::nullopt},  // "891" alone is not NA
                    Sample{"8901400000000000000", "", std::nullopt},  // 89014: neither carrier
                    Sample{"8930272012345678901", "", std::nullopt},  // unknown issuer: neutral
                    Sample{"", "", std::nullopt}));

class ImageSample : public testing::TestWithParam<Sample> {};
TEST_P(ImageSample, VotesNaOrNothing) {
    const auto tables = load_signal_tables(k_shipped);
    ASSERT_TRUE(tables) << tables.error().message;
    expect_found(tables->carrier_image(GetParam().value), GetParam());
}
INSTANTIATE_TEST_SUITE_P(
    Real, ImageSample,
    testing::Values(Sample{"ATT", "ATT", Region::na}, Sample{"tmo", "TMO", Region::na},
                    Sample{"Verizon", "VERIZON", Region::na}, Sample{"VZW", "VZW", Region::na},
                    Sample{"Sprint", "SPRINT", Region::na},
                    Sample{"generic", "GENERIC", std::nullopt},
                    Sample{"VODAFONE", "", std::nullopt}, Sample{"ATT ", "", std::nullopt},
                    Sample{"", "", std::nullopt}));

TEST(ShippedTables, AreNotLoadedAsAProfile) {
    const auto set = load_profile_dir(STATION_SOURCE_DIR "/profiles");
    ASSERT_TRUE(set.ok()) << set.error_text();
    ASSERT_FALSE(set.profiles.empty());
    for (const auto& p : set.profiles) EXPECT_NE(p.source.filename(), k_tables_file);
}

// A valid file; the table below breaks one thing at a time. Line numbers matter.
const std::string k_valid = R"(source = "test"
[[home_network]]
mcc = "310"
name = "USA"
votes = "na"

[[home_network]]
mcc = "206"
mnc = "01"
name = "Smart SIM"
votes = "neutral"

[[issuer]]
prefix = "8901410"
name = "AT&T"
country = "US"
votes = "na"

[[carrier_image]]
name = "ATT"
votes = "na"
)";

TEST(TablesFile, ValidFileLoadsEveryField) {
    const auto t = parse_signal_tables(k_valid, "networks.toml");
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(t->source, "networks.toml");
    EXPECT_EQ(t->provenance, "test");
    ASSERT_EQ(t->home_networks.size(), 2U);
    EXPECT_EQ(t->home_networks[1].prefix, "20601");
    EXPECT_EQ(t->home_networks[1].name, "Smart SIM");
    EXPECT_EQ(t->home_networks[1].votes, std::nullopt);
    EXPECT_EQ(t->home_networks[1].line, 7U);
    ASSERT_EQ(t->issuers.size(), 1U);
    EXPECT_EQ(t->issuers[0].prefix, "8901410");
    EXPECT_EQ(t->issuers[0].country, "US");
    EXPECT_EQ(t->issuers[0].votes, Region::na);
    EXPECT_EQ(t->issuers[0].line, 13U);
    ASSERT_EQ(t->carrier_images.size(), 1U);
    EXPECT_EQ(t->carrier_images[0].name, "ATT");
    EXPECT_EQ(t->carrier_images[0].line, 19U);
}

TEST(TablesFile, EmptyAndMissingArraysAreEmptyTables) {
    for (const auto* text : {"", "home_network = []\nissuer = []\ncarrier_image = []\n",
                             "[[issuer]]\nprefix = \"894410\"\nname = \"Vodafone UK\"\n"
                             "votes = \"global\"\n"}) {
        const auto t = parse_signal_tables(text, "networks.toml");
        ASSERT_TRUE(t) << text << ": " << t.error().message;
        EXPECT_TRUE(t->home_networks.empty()) << text;
        EXPECT_TRUE(t->carrier_images.empty()) << text;
        EXPECT_EQ(t->home_network("310410123456789"), nullptr) << text;
    }
}

struct Mistake {
    std::string name;
    std::string from;
    std::string to;
    std::string message;  // the whole expected message
};

void PrintTo(const Mistake& m, std::ostream* os) {
    *os << m.name;
}

const std::string k_second_issuer = "\n[[issuer]]\nprefix = \"8901410\"\nname = \"Other\"\n";

std::vector<Mistake> mistakes() {
    const std::string f = "networks.toml:";
    const std::string image = "name = \"ATT\"\nvotes = ";
    return {
        {"bad_mcc", "mcc = \"310\"", "mcc = \"31\"",
         f + "3: key 'home_network[1].mcc': '31' is not an MCC (3 digits) or an E.212 zone (1 "
             "digit)"},
        {"mcc_not_digits", "mcc = \"310\"", "mcc = \"3l0\"",
         f + "3: key 'home_network[1].mcc': '3l0' is not an MCC (3 digits) or an E.212 zone (1 "
             "digit)"},
        {"mcc_not_string", "mcc = \"310\"", "mcc = 310",
         f + "3: key 'home_network[1].mcc': expected a string, got integer"},
        {"mnc_without_3_digit_mcc", "mcc = \"206\"", "mcc = \"2\"",
         f + "9: key 'home_network[2].mnc': '01' needs a 3-digit mcc, not the zone '2'"},
        {"bad_mnc", "mnc = \"01\"", "mnc = \"1\"",
         f + "9: key 'home_network[2].mnc': '1' is not an MNC (2 or 3 digits)"},
        {"bad_prefix", "prefix = \"8901410\"", "prefix = \"9901410\"",
         f + "14: key 'issuer[1].prefix': '9901410' is not an ICCID issuer prefix (4 to 10 "
             "digits starting 89)"},
        {"short_prefix", "prefix = \"8901410\"", "prefix = \"890\"",
         f + "14: key 'issuer[1].prefix': '890' is not an ICCID issuer prefix (4 to 10 digits "
             "starting 89)"},
        {"long_prefix", "prefix = \"8901410\"", "prefix = \"89014100000\"",
         f + "14: key 'issuer[1].prefix': '89014100000' is not an ICCID issuer prefix (4 to 10 "
             "digits starting 89)"},
        {"bad_country", "country = \"US\"", "country = \"USA\"",
         f + "16: key 'issuer[1].country': 'USA' is not an ISO 3166 country code (2 capital "
             "letters)"},
        {"global_image", image + "\"na\"", image + "\"global\"",
         f + "21: key 'carrier_image[1].votes': no carrier image proves Global (DOMAIN.md)"},
        {"bad_image_votes", image + "\"na\"", image + "\"yes\"",
         f + "21: key 'carrier_image[1].votes': 'yes' is not one of na, neutral"},
        {"bad_image_name", "name = \"ATT\"", "name = \"AT T\"",
         f + "20: key 'carrier_image[1].name': 'AT T' is not a carrier image name (letters, "
             "digits, '_' or '-', at most 32)"},
        {"long_image_name", "name = \"ATT\"", "name = \"" + std::string(33, 'A') + "\"",
         f + "20: key 'carrier_image[1].name': '" + std::string(33, 'A') +
             "' is not a carrier image name (letters, digits, '_' or '-', at most 32)"},
        {"bad_votes", "votes = \"na\"", "votes = \"NA\"",
         f + "5: key 'home_network[1].votes': 'NA' is not one of na, global, neutral"},
        {"missing_votes", "votes = \"na\"\n", "",
         f + "2: missing required key 'home_network[1].votes'"},
        {"missing_name", "name = \"USA\"\n", "",
         f + "2: missing required key 'home_network[1].name'"},
        {"empty_name", "name = \"AT&T\"", "name = \"\"",
         f + "15: key 'issuer[1].name': must not be empty"},
        {"unknown_key", "country = \"US\"", "county = \"US\"",
         f + "16: unknown key 'issuer[1].county'"},
        {"unknown_top_key", "source = \"test\"", "sources = \"test\"",
         f + "1: unknown key 'sources'"},
        {"prefix_for_both_regions", "name = \"ATT\"", "name = \"ATT\"",  // appended below
         f + "23: issuer[2]: prefix '8901410' is listed for both regions (na at line 13)"},
        {"prefix_twice", "name = \"ATT\"", "name = \"ATT\"",
         f + "23: issuer[2]: prefix '8901410' is listed twice (first at line 13)"},
        {"mcc_for_both_regions", "name = \"Smart SIM\"\nvotes = \"neutral\"\n",
         "name = \"Smart SIM\"\nvotes = \"neutral\"\n\n[[home_network]]\nmcc = \"310\"\n"
         "name = \"Europe?\"\nvotes = \"global\"\n",
         f + "13: home_network[3]: mcc '310' is listed for both regions (na at line 2)"},
        {"mcc_mnc_twice", "name = \"Smart SIM\"\nvotes = \"neutral\"\n",
         "name = \"Smart SIM\"\nvotes = \"neutral\"\n\n[[home_network]]\nmcc = \"206\"\n"
         "mnc = \"01\"\nname = \"again\"\nvotes = \"neutral\"\n",
         f + "13: home_network[3]: mcc+mnc '20601' is listed twice (first at line 7)"},
        {"image_twice_any_case", image + "\"na\"\n",
         image + "\"na\"\n\n[[carrier_image]]\nname = \"att\"\nvotes = \"neutral\"\n",
         f + "23: carrier_image[2]: name 'att' is listed twice (first at line 19)"},
        {"source_not_string", "source = \"test\"", "source = 1",
         f + "1: key 'source': expected a string, got integer"},
        {"not_an_array_of_tables", "[[carrier_image]]\nname = \"ATT\"\nvotes = \"na\"\n", "",
         f + "1: key 'carrier_image': expected an array of tables ([[carrier_image]]), got "
             "array"},  // a top-level key, put first below
    };
}

// The text of mistake `m`: the valid file with one thing broken.
std::string broken(const Mistake& m) {
    std::string text = tests::replace_once(k_valid, m.from, m.to);
    if (m.name == "prefix_for_both_regions") text += k_second_issuer + "votes = \"global\"\n";
    if (m.name == "prefix_twice") text += k_second_issuer + "votes = \"na\"\n";
    if (m.name == "not_an_array_of_tables") text = "carrier_image = [\"ATT\"]\n" + text;
    return text;
}

class TablesMistake : public testing::TestWithParam<Mistake> {};

TEST_P(TablesMistake, IsReportedWithFileLineAndWhat) {
    const auto& m = GetParam();
    const auto t = parse_signal_tables(broken(m), "networks.toml");
    ASSERT_FALSE(t) << m.name << " loaded";
    EXPECT_EQ(t.error().reason, Reason::bad_usage);
    EXPECT_EQ(t.error().message, m.message);
}

INSTANTIATE_TEST_SUITE_P(Table, TablesMistake, testing::ValuesIn(mistakes()),
                         [](const auto& test_case) { return test_case.param.name; });

TEST(TablesFile, EveryMistakeIsReportedAtOnce) {
    std::string text = tests::replace_once(k_valid, "mcc = \"310\"", "mcc = \"31\"");
    text = tests::replace_once(text, "prefix = \"8901410\"", "prefix = \"891\"");
    text = tests::replace_once(text, "name = \"Smart SIM\"\n", "");
    text = tests::replace_once(text, "country = \"US\"", "county = \"US\"");
    text = tests::replace_once(text, "name = \"ATT\"\nvotes = \"na\"",
                               "name = \"ATT\"\nvotes = \"global\"");
    const auto t = parse_signal_tables(text, "networks.toml");
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().message,
              "networks.toml:3: key 'home_network[1].mcc': '31' is not an MCC (3 digits) or an "
              "E.212 zone (1 digit)\n"
              "networks.toml:7: missing required key 'home_network[2].name'\n"
              "networks.toml:13: key 'issuer[1].prefix': '891' is not an ICCID issuer prefix (4 "
              "to 10 digits starting 89)\n"
              "networks.toml:15: unknown key 'issuer[1].county'\n"
              "networks.toml:20: key 'carrier_image[1].votes': no carrier image proves Global "
              "(DOMAIN.md)");
}

TEST(TablesFile, LoadNamesAMissingFile) {
    const auto t = load_signal_tables("/nonexistent/networks.toml");
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().reason, Reason::bad_usage);
    EXPECT_EQ(t.error().message.rfind("/nonexistent/networks.toml: ", 0), 0U) << t.error().message;
}

}  // namespace
}  // namespace profiles
