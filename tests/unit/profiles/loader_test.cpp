// The SKU profile loader: the shipped profiles load, and every kind of mistake in a file gets
// its precise "<file>:<line>: <what>".
#include <profiles/loader.hpp>

#include <fstream>

#include <gtest/gtest.h>

#include <process.hpp>

namespace profiles {
namespace {

using station::core::DataCenter;
using station::core::Region;

// A valid profile; the table below breaks one thing at a time. Line numbers matter.
const std::string k_valid = R"(name = "xr90-na"
family = "xr90"
region = "na"
data_center = "na"
min_firmware = "01.14.00.00"
default_term_years = 1
terms_years = [1, 3, 5]

[usb]
vendor_id = 0x1199
product_ids = [0x9091]

[signals]
model_patterns = ["XR90-1104513"]
carrier_images = ["ATT"]
iccid_prefixes = ["89014"]

[[plan]]
commands = ["ATI"]
reader = "ati"
need = "required"

[[plan]]
commands = ["AT+CGSN", "AT+GSN"]
reader = "imei"

[[plan]]
commands = ["AT!ICCID?", "AT+CRSM=176,12258,0,0,10"]
reader = "iccid"
timeout_ms = 3000
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

TEST(ProfileLoader, ValidProfileLoadsEveryField) {
    const auto p = parse_profile(k_valid, "profiles/xr90-na.toml", "xr90-na");
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->sku.name, "xr90-na");
    EXPECT_EQ(p->sku.family, "xr90");
    EXPECT_EQ(p->sku.region, Region::na);
    EXPECT_EQ(p->sku.data_center(), DataCenter::na);
    EXPECT_EQ(p->sku.min_firmware, "01.14.00.00");
    EXPECT_EQ(p->sku.terms_years, (std::vector<int>{1, 3, 5}));
    EXPECT_EQ(p->usb.vendor_id, 0x1199);
    EXPECT_EQ(p->usb.product_ids, (std::vector<std::uint16_t>{0x9091}));
    EXPECT_FALSE(p->usb.at_interface);
    EXPECT_EQ(p->sku.signals.iccid_prefixes, (std::vector<std::string>{"89014"}));
    ASSERT_EQ(p->plan.steps.size(), 3U);
    EXPECT_EQ(p->plan.name, "xr90-na");
    EXPECT_EQ(p->plan.steps[1].commands, (std::vector<std::string>{"AT+CGSN", "AT+GSN"}));
    EXPECT_EQ(p->plan.steps[0].need, drivers::router::Need::required);
    EXPECT_EQ(p->plan.steps[1].need, drivers::router::Need::optional);
    EXPECT_EQ(p->plan.steps[2].timeout, std::chrono::milliseconds(3000));
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

std::vector<Mistake> mistakes() {
    const std::string f = "profiles/xr90-na.toml:";
    return {
        {"unknown_key", "data_center = \"na\"", "data_centre = \"na\"",
         f + "4: unknown key 'data_centre'"},
        {"region_data_center_disagree", "data_center = \"na\"", "data_center = \"eu\"",
         f + "4: key 'data_center': 'eu' disagrees with region 'na' (NA SKUs register in 'na')"},
        {"bad_data_center", "data_center = \"na\"", "data_center = \"us\"",
         f + "4: key 'data_center': 'us' is not one of na, eu"},
        {"bad_region", "region = \"na\"", "region = \"emea\"",
         f + "3: key 'region': 'emea' is not one of na, global"},
        {"missing_region", "region = \"na\"\n", "",
         "profiles/xr90-na.toml: missing required key 'region'"},
        {"name_not_file", "name = \"xr90-na\"", "name = \"xr90-eu\"",
         f + "1: key 'name': 'xr90-eu' must match the file name 'xr90-na.toml'"},
        {"name_charset", "name = \"xr90-na\"", "name = \"XR90 NA\"",
         f + "1: key 'name': 'XR90 NA' must be lower-case letters, digits, '-' or '_'"},
        {"wrong_type", "family = \"xr90\"", "family = 90",
         f + "2: key 'family': expected a string, got integer"},
        {"bad_min_firmware", "min_firmware = \"01.14.00.00\"", "min_firmware = \"latest\"",
         f + "5: key 'min_firmware': 'latest' has no version number like 01.14.22.00"},
        {"term_not_allowed", "terms_years = [1, 3, 5]", "terms_years = [1, 2]",
         f + "7: key 'terms_years': 2 years is not a term (1, 3 or 5)"},
        {"term_out_of_range", "terms_years = [1, 3, 5]", "terms_years = [1, 10]",
         f + "7: key 'terms_years': 10 is out of range 1..5"},
        {"default_term_not_listed", "default_term_years = 1\nterms_years = [1, 3, 5]",
         "default_term_years = 5\nterms_years = [1, 3]",
         f + "6: key 'default_term_years': 5 is not one of this profile's terms_years"},
        {"vendor_out_of_range", "vendor_id = 0x1199", "vendor_id = 0x11990",
         f + "10: key 'usb.vendor_id': 72080 is out of range 0..65535"},
        {"no_product_ids", "product_ids = [0x9091]", "product_ids = []",
         f + "11: key 'usb.product_ids': needs at least one product id"},
        {"usb_unknown_key", "product_ids = [0x9091]", "product_ids = [0x9091]\nat_iface = 3",
         f + "12: unknown key 'usb.at_iface'"},
        {"at_interface_range", "product_ids = [0x9091]",
         "product_ids = [0x9091]\nat_interface = 40",
         f + "12: key 'usb.at_interface': 40 is out of range 0..31"},
        {"missing_usb", "[usb]\nvendor_id = 0x1199\nproduct_ids = [0x9091]\n", "",
         "profiles/xr90-na.toml:1: key 'usb': missing required table [usb]"},
        {"no_model_patterns", "model_patterns = [\"XR90-1104513\"]", "model_patterns = []",
         f + "14: key 'signals.model_patterns': needs at least one pattern: the model is the "
             "primary signal"},
        {"bare_star_pattern", "model_patterns = [\"XR90-1104513\"]", "model_patterns = [\"*\"]",
         f + "14: key 'signals.model_patterns': '*' is not a model pattern (printable, at most 64 "
             "characters, not a bare '*')"},
        {"bad_iccid_prefix", "iccid_prefixes = [\"89014\"]", "iccid_prefixes = [\"1234\"]",
         f + "16: key 'signals.iccid_prefixes': '1234' is not an ICCID prefix (2 to 19 digits "
             "starting 89)"},
        {"wildcard_carrier", "carrier_images = [\"ATT\"]", "carrier_images = [\"AT*\"]",
         f + "15: key 'signals.carrier_images': 'AT*' is not a carrier image name (no spaces or "
             "wildcards)"},
        {"bad_reader", "reader = \"ati\"", "reader = \"atx\"",
         f + "20: key 'plan[1].reader': 'atx' is not one of none, ati, imei, cpin, iccid, imsi, "
             "priid, impref"},
        {"bad_need", "need = \"required\"", "need = \"maybe\"",
         f + "21: key 'plan[1].need': 'maybe' is not one of required, optional"},
        {"not_an_at_command", "commands = [\"ATI\"]", "commands = [\"reboot\"]",
         f + "19: key 'plan[1].commands': 'reboot' is not an AT command (starts with AT, "
             "printable, at most 128 characters)"},
        {"command_with_newline", "commands = [\"ATI\"]", "commands = [\"ATI\\r\\nAT+CFUN=0\"]",
         f + "19: key 'plan[1].commands': 'ATI\r\nAT+CFUN=0' is not an AT command (starts with "
             "AT, printable, at most 128 characters)"},
        {"timeout_range", "timeout_ms = 3000", "timeout_ms = 0",
         f + "30: key 'plan[3].timeout_ms': 0 is out of range 1..600000"},
        {"reader_twice", "reader = \"imei\"", "reader = \"ati\"",
         f + "25: key 'plan[2].reader': 'ati' is read by an earlier step already"},
        {"plan_without_iccid", "reader = \"iccid\"", "reader = \"imsi\"",
         "profiles/xr90-na.toml:18: key 'plan': has no step with reader = 'iccid'"},
        {"plan_step_unknown_key", "timeout_ms = 3000", "timeout = 3000",
         f + "30: unknown key 'plan[3].timeout'"},
        {"syntax_error", "family = \"xr90\"", "family = \"xr90",
         ""},  // parser's own words; checked for file:line only
    };
}

class ProfileMistake : public testing::TestWithParam<Mistake> {};

TEST_P(ProfileMistake, IsReportedWithFileLineAndWhat) {
    const auto& m = GetParam();
    const auto p =
        parse_profile(replace(k_valid, m.from, m.to), "profiles/xr90-na.toml", "xr90-na");
    ASSERT_FALSE(p) << m.name << " loaded";
    if (m.name == "syntax_error") {
        EXPECT_EQ(p.error().message.rfind("profiles/xr90-na.toml:2: ", 0), 0U) << p.error().message;
    } else {
        EXPECT_EQ(p.error().message, m.message);
    }
}

INSTANTIATE_TEST_SUITE_P(Table, ProfileMistake, testing::ValuesIn(mistakes()),
                         [](const auto& test_case) { return test_case.param.name; });

TEST(ProfileLoader, ShippedProfilesLoadAsAConsistentSet) {
    const auto set = load_profile_dir(STATION_SOURCE_DIR "/profiles");
    ASSERT_TRUE(set.ok()) << set.error_text();
    for (const auto* name : {"xr90-na", "xr90-global", "xr80-na", "xr80-global", "xr60-na",
                             "xr60-global", "em7455", "em7565", "em9191"}) {
        const auto* p = set.find(name);
        ASSERT_NE(p, nullptr) << name;
        const bool global = std::string_view(name).ends_with("-global");
        EXPECT_EQ(p->sku.region, global ? Region::global : Region::na) << name;
        EXPECT_EQ(p->sku.data_center(), global ? DataCenter::eu : DataCenter::na) << name;
        EXPECT_EQ(p->usb.vendor_id, 0x1199) << name;
        EXPECT_EQ(p->sku.default_term_years, 1) << name;
    }
}

class ProfileFiles : public testing::Test {
  protected:
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir() / name) << text;
    }
    tests::TempDir m_dir;
    std::filesystem::path dir() const { return m_dir.path(); }
};

TEST_F(ProfileFiles, SetChecksNameUniquenessAndSignalsVotingBothWays) {
    write("xr90-na.toml", k_valid);
    auto global = replace(replace(replace(k_valid, "name = \"xr90-na\"", "name = \"xr90-global\""),
                                  "region = \"na\"\ndata_center = \"na\"", "region = \"global\""),
                          "XR90-1104513", "XR90-1104514");
    write("xr90-global.toml", global);  // still lists ATT and 89014: both vote both ways
    const auto set = load_profile_dir(dir());
    ASSERT_EQ(set.errors.size(), 2U) << set.error_text();
    // Files load in name order, so the second file (xr90-na) is the one reported.
    EXPECT_NE(set.error_text().find("xr90-na.toml: ICCID prefix '89014' is also listed by "
                                    "xr90-global (Global): a signal cannot vote for both regions"),
              std::string::npos)
        << set.error_text();
    EXPECT_NE(set.error_text().find("carrier image 'ATT' is also listed by xr90-global"),
              std::string::npos);
}

TEST_F(ProfileFiles, CarrierImageForBothRegionsInAnyCase) {
    write("xr90-na.toml", k_valid);
    auto global = replace(replace(replace(k_valid, "name = \"xr90-na\"", "name = \"xr90-global\""),
                                  "region = \"na\"\ndata_center = \"na\"", "region = \"global\""),
                          "XR90-1104513", "XR90-1104514");
    global = replace(replace(global, "\"ATT\"", "\"att\""), "\"89014\"", "\"893301\"");
    write("xr90-global.toml", global);
    const auto set = load_profile_dir(dir());
    ASSERT_EQ(set.errors.size(), 1U) << set.error_text();
    EXPECT_NE(set.error_text().find("carrier image 'ATT' is also listed by xr90-global"),
              std::string::npos)
        << set.error_text();
}

TEST_F(ProfileFiles, DuplicateModelPatternAcrossFiles) {
    write("xr90-na.toml", k_valid);
    write("xr90-na2.toml", replace(k_valid, "name = \"xr90-na\"", "name = \"xr90-na2\""));
    const auto set = load_profile_dir(dir());
    ASSERT_EQ(set.errors.size(), 1U) << set.error_text();
    EXPECT_EQ(set.error_text(),
              (dir() / "xr90-na2.toml").string() +
                  ":14: model pattern 'XR90-1104513' is also listed by xr90-na at " +
                  (dir() / "xr90-na.toml").string() +
                  ":14 (xr90-na2, NA -> na data center; xr90-na, NA -> na data center): one unit "
                  "would match two profiles");
}

// One unit could match two profiles: the set is refused at both patterns' file:line, however
// the overlap is spelled; patterns no model can match twice pass.
struct OverlapCase {
    const char* name;
    const char* na_patterns;      // the xr90-na file's model_patterns
    const char* global_patterns;  // the xr90-global file's
    std::size_t errors;
    const char* message;  // "" when the set is valid; else the one error, after the folder
};

const std::vector<OverlapCase> k_overlaps{
    {"identical", R"(["XR90-1104513"])", R"(["XR90-1104513"])", 1,
     "xr90-na.toml:14: model pattern 'XR90-1104513' is also listed by xr90-global at DIR/"
     "xr90-global.toml:13 (xr90-na, NA -> na data center; xr90-global, Global -> eu data "
     "center): one unit could be routed to two data centers"},
    {"glob_covers_literal", R"(["XR90-1104513"])", R"(["XR90-1104514", "XR90-*"])", 1,
     "xr90-na.toml:14: model pattern 'XR90-1104513' could match the same unit as 'XR90-*' of "
     "xr90-global at DIR/xr90-global.toml:13 (xr90-na, NA -> na data center; xr90-global, "
     "Global -> eu data center): one unit could be routed to two data centers"},
    {"pattern_on_its_own_line", "[\n  \"XR90-1104513\",\n  \"XR90-NA*\",\n]", R"(["*-NA*"])", 1,
     "xr90-na.toml:16: model pattern 'XR90-NA*' could match the same unit as '*-NA*' of "
     "xr90-global at DIR/xr90-global.toml:13 (xr90-na, NA -> na data center; xr90-global, "
     "Global -> eu data center): one unit could be routed to two data centers"},
    {"two_globs_with_a_common_model", R"(["XR90-11*"])", R"(["*-1104514"])", 1,
     "xr90-na.toml:14: model pattern 'XR90-11*' could match the same unit as '*-1104514'"},
    {"disjoint_globs", R"(["XR90-*3"])", R"(["XR90-*4"])", 0, ""},
    {"distinct_literals", R"(["XR90-1104513"])", R"(["XR90-1104514"])", 0, ""},
};

class ProfileOverlap : public ProfileFiles, public testing::WithParamInterface<OverlapCase> {};

TEST_P(ProfileOverlap, RefusedAtBothPatterns) {
    const OverlapCase& c = GetParam();
    const std::string na_line = "model_patterns = [\"XR90-1104513\"]";
    write("xr90-na.toml",
          replace(k_valid, na_line, "model_patterns = " + std::string(c.na_patterns)));
    std::string global = replace(replace(k_valid, "name = \"xr90-na\"", "name = \"xr90-global\""),
                                 "region = \"na\"\ndata_center = \"na\"", "region = \"global\"");
    global = replace(replace(replace(global, "\"ATT\"", "\"ORANGE\""), "\"89014\"", "\"893301\""),
                     na_line, "model_patterns = " + std::string(c.global_patterns));
    write("xr90-global.toml", global);
    const auto set = load_profile_dir(dir());
    ASSERT_EQ(set.errors.size(), c.errors) << set.error_text();
    if (c.errors == 0) return;
    std::string message = c.message;
    if (const auto at = message.find("DIR/"); at != std::string::npos) {
        message.replace(at, 4, dir().string() + "/");
    }
    EXPECT_EQ(set.errors[0].message.rfind(dir().string() + "/" + message, 0), 0U)
        << set.errors[0].message;
    EXPECT_EQ(set.errors[0].reason, station::core::Reason::bad_usage);
}

INSTANTIATE_TEST_SUITE_P(Table, ProfileOverlap, testing::ValuesIn(k_overlaps),
                         [](const auto& row) { return std::string(row.param.name); });

TEST_F(ProfileFiles, UnreadableAndEmptyFolders) {
    const auto empty = load_profile_dir(dir());
    EXPECT_EQ(empty.error_text(), dir().string() + ": no *.toml profiles");
    const auto missing = load_profile_dir(dir() / "nope");
    ASSERT_EQ(missing.errors.size(), 1U);
    EXPECT_NE(missing.error_text().find("nope: cannot read profile folder"), std::string::npos);
    const auto not_toml = load_profile(dir() / "xr90-na.yaml");
    ASSERT_FALSE(not_toml);
    EXPECT_NE(not_toml.error().message.find("must end in .toml"), std::string::npos);
    const auto absent = load_profile(dir() / "absent.toml");
    ASSERT_FALSE(absent);
    EXPECT_NE(absent.error().message.find("absent.toml: cannot read"), std::string::npos);
}

TEST_F(ProfileFiles, OneBadFileDoesNotHideTheOthers) {
    write("xr90-na.toml", k_valid);
    write("broken.toml", "name = ");
    const auto set = load_profile_dir(dir());
    EXPECT_EQ(set.profiles.size(), 1U);
    ASSERT_EQ(set.errors.size(), 1U);
    EXPECT_NE(set.errors[0].message.find("broken.toml:1"), std::string::npos);
    EXPECT_FALSE(set.ok());
}

TEST(ProfilesDir, GivenBeatsEnvironmentBeatsBuiltIn) {
    EXPECT_EQ(profiles_dir("/x"), std::filesystem::path("/x"));
    ::setenv("STATION_PROFILES_DIR", "/from-env", 1);
    EXPECT_EQ(profiles_dir(), std::filesystem::path("/from-env"));
    ::unsetenv("STATION_PROFILES_DIR");
    EXPECT_EQ(profiles_dir(), std::filesystem::path(STATION_SOURCE_DIR "/profiles"));
}

}  // namespace
}  // namespace profiles
