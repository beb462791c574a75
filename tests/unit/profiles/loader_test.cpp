// The SKU profile loader: the shipped profiles load, and every kind of mistake in a file gets
// its precise "<file>:<line>: <what>".
#include <profiles/loader.hpp>

#include <fstream>

#include <gtest/gtest.h>

#include <text_edit.hpp>

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
part_numbers = ["1104513"]
[usb]
vendor_id = 0x1199
product_ids = [0x9091]

[signals]
module_models = ["EM7565*"]
# (two lines kept so that the plan's line numbers stay)
#

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
    EXPECT_EQ(p->sku.signals.module_models, (std::vector<std::string>{"EM7565*"}));
    EXPECT_EQ(p->sku.part_numbers, (std::vector<std::string>{"1104513"}));
    EXPECT_FALSE(p->sku.require_manifest);
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
        {"no_module_models", "module_models = [\"EM7565*\"]", "module_models = []",
         f + "14: key 'signals.module_models': needs at least one module model"},
        {"bare_star_module", "module_models = [\"EM7565*\"]", "module_models = [\"*\"]",
         f + "14: key 'signals.module_models': '*' is not a module model pattern (printable, at "
             "most 64 characters, not a bare '*')"},
        {"old_model_patterns", "module_models = [\"EM7565*\"]",
         "module_models = [\"EM7565*\"]\nmodel_patterns = [\"XR90-1104513\"]",
         f + "15: key 'signals.model_patterns': is no longer read: a module's ATI names the "
             "module, never the router SKU (DOMAIN.md 'Second reading'); list the modules as "
             "signals.module_models and the SKU's part numbers as part_numbers (matched against "
             "--manifest)"},
        {"old_iccid_prefixes", "module_models = [\"EM7565*\"]",
         "module_models = [\"EM7565*\"]\niccid_prefixes = [\"89014\"]",
         f + "15: key 'signals.iccid_prefixes': moved to the shared networks.toml beside the "
             "profiles (one table for every profile, so a value cannot vote for both regions)"},
        {"bad_part_number", "part_numbers = [\"1104513\"]", "part_numbers = [\"11 04\"]",
         f + "8: key 'part_numbers': '11 04' is not a part number (printable, no spaces, at most "
             "32 characters)"},
        {"part_number_twice", "part_numbers = [\"1104513\"]",
         "part_numbers = [\"1104513\", \"1104513\"]",
         f + "8: key 'part_numbers': '1104513' is listed twice"},
        {"require_manifest_without_parts", "part_numbers = [\"1104513\"]",
         "require_manifest = true",
         f + "8: key 'require_manifest': needs part_numbers: a manifest line names its unit's "
             "profile by part number"},
        {"bad_reader", "reader = \"ati\"", "reader = \"atx\"",
         f + "20: key 'plan[1].reader': 'atx' is not one of none, ati, imei, cpin, iccid, imsi, "
             "priid, impref"},
        {"bad_need", "need = \"required\"", "need = \"maybe\"",
         f + "21: key 'plan[1].need': 'maybe' is not one of required, optional"},
        {"not_an_at_command", "commands = [\"ATI\"]", "commands = [\"reboot\"]",
         f + "19: key 'plan[1].commands': 'reboot' is not an AT command (starts with AT, "
             "printable, at most 128 characters)"},
        {"command_with_newline", "commands = [\"ATI\"]", "commands = [\"ATI\\r\\nAT+CFUN=0\"]",
         // The CR LF shown escaped: a raw one would split the message's line (and a CR
         // overwrites what a terminal shows).
         f + "19: key 'plan[1].commands': 'ATI\\r\\nAT+CFUN=0' is not an AT command (starts with "
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
    const auto p = parse_profile(tests::replace_once(k_valid, m.from, m.to),
                                 "profiles/xr90-na.toml", "xr90-na");
    ASSERT_FALSE(p) << m.name << " loaded";
    if (m.name == "syntax_error") {
        EXPECT_EQ(p.error().message.rfind("profiles/xr90-na.toml:2: ", 0), 0U) << p.error().message;
    } else {
        EXPECT_EQ(p.error().message, m.message);
    }
}

INSTANTIATE_TEST_SUITE_P(Table, ProfileMistake, testing::ValuesIn(mistakes()),
                         [](const auto& test_case) { return test_case.param.name; });

TEST(ProfileLoader, AGlobalProfileCannotRequireACarrierImage) {
    auto text = tests::replace_once(k_valid, "region = \"na\"\ndata_center = \"na\"",
                                    "region = \"global\"");
    text = tests::replace_once(text, "module_models = [\"EM7565*\"]",
                               "module_models = [\"EM7565*\"]\ncarrier_images = [\"VODAFONE\"]");
    const auto p = parse_profile(text, "profiles/xr90-na.toml", "xr90-na");
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().message,
              "profiles/xr90-na.toml:14: key 'signals.carrier_images': a Global profile cannot "
              "require a carrier image: no image proves Global; moved to the shared networks.toml "
              "beside the profiles (one table for every profile, so a value cannot vote for both "
              "regions)");
}

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
        EXPECT_FALSE(p->sku.signals.module_models.empty()) << name;
        const bool router = std::string_view(name).starts_with("xr");
        EXPECT_EQ(p->sku.require_manifest, router) << name << ": XR SKUs come from a manifest";
        EXPECT_EQ(p->sku.part_numbers.empty(), !router) << name;
    }
    EXPECT_FALSE(set.tables.issuers.empty());
    EXPECT_FALSE(set.tables.home_networks.empty());
    EXPECT_FALSE(set.tables.carrier_images.empty());
}

class ProfileFiles : public testing::Test {
  protected:
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir() / name) << text;
    }
    tests::TempDir m_dir;
    std::filesystem::path dir() const { return m_dir.path(); }
};

TEST_F(ProfileFiles, APartNumberOfTwoProfilesIsRefused) {
    write("networks.toml", "");
    write("xr90-na.toml", k_valid);
    write("xr90-global.toml",
          tests::replace_once(
              tests::replace_once(k_valid, "name = \"xr90-na\"", "name = \"xr90-global\""),
              "region = \"na\"\ndata_center = \"na\"", "region = \"global\""));
    const auto set = load_profile_dir(dir());
    ASSERT_EQ(set.errors.size(), 1U) << set.error_text();
    // Files load in name order, so the second file (xr90-na) is the one reported.
    EXPECT_EQ(set.error_text(), (dir() / "xr90-na.toml").string() +
                                    ": part number '1104513' is also listed by xr90-global "
                                    "(xr90-global, Global -> eu data center; xr90-na, NA -> na "
                                    "data center): one manifest line would name two profiles");
}

TEST_F(ProfileFiles, TheSharedTablesAreRequiredAndChecked) {
    write("xr90-na.toml", k_valid);
    const auto without = load_profile_dir(dir());
    ASSERT_EQ(without.errors.size(), 1U) << without.error_text();
    EXPECT_EQ(without.error_text(), (dir() / "networks.toml").string() +
                                        ": missing: the shared SIM issuer, home network and "
                                        "carrier image tables every SKU decision uses");
    write("networks.toml",
          "[[issuer]]\nprefix = \"894410\"\nname = \"Vodafone UK\"\n"
          "votes = \"global\"\n");
    const auto with = load_profile_dir(dir());
    ASSERT_TRUE(with.ok()) << with.error_text();
    ASSERT_EQ(with.tables.issuers.size(), 1U);
    EXPECT_EQ(with.profiles.size(), 1U) << "networks.toml is not a profile";
    write("networks.toml", "[[issuer]]\nprefix = \"12\"\n");
    const auto broken = load_profile_dir(dir());
    ASSERT_FALSE(broken.ok());
    EXPECT_NE(broken.error_text().find((dir() / "networks.toml").string() + ":"), std::string::npos)
        << broken.error_text();
}

TEST_F(ProfileFiles, UnreadableAndEmptyFolders) {
    const auto empty = load_profile_dir(dir());
    EXPECT_EQ(empty.error_text().rfind(dir().string() + ": no *.toml profiles\n", 0), 0U)
        << empty.error_text();
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
    write("networks.toml", "");
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
