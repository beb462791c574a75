// parse_priid_read_response and parse_impref_read_response (Sierra AT!PRIID?, AT!IMPREF?),
// including the carrier-name rule for Carrier PRI values.
#include <drivers/at/parsers.hpp>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using drivers::at::ImprefInfo;
using drivers::at::parse_impref_read_response;
using drivers::at::parse_priid_read_response;
using drivers::at::PriInfo;
using station::core::Reason;

using Strings = std::vector<std::string>;

const std::string k_generic_pri = "9999999_9904780_SWI9X30C_02.24.05.06_00_GENERIC_002.027_000";
const std::string k_vzw_pri = "9999999_9904594_SWI9X30C_02.24.05.06_00_VZW_002.026_001";

// Sierra EM7455, SWI9X30C_02.24.05.06.
const Strings k_em7455_priid{"PRI Part Number: 9906761",      "Revision: 002.027_000",
                             "Customer: Generic-M2M",         "",
                             "Carrier PRI: " + k_generic_pri, "Carrier PRI: " + k_vzw_pri};

struct PriidCase {
    const char* name;
    Strings lines;
    bool ok;
    PriInfo expected;  // part_number, revision, customer, carrier_pris, carriers
};

const std::vector<PriidCase> k_priid_cases{
    {"em7455",
     k_em7455_priid,
     true,
     {"9906761", "002.027_000", "Generic-M2M", {k_generic_pri, k_vzw_pri}, {"GENERIC", "VZW"}}},
    {"simple_with_version",
     {"Carrier PRI: ATT_002.027_000"},
     true,
     {"", "", "", {"ATT_002.027_000"}, {"ATT"}}},
    {"name_only", {"Carrier PRI: ATT"}, true, {"", "", "", {"ATT"}, {"ATT"}}},
    // Hypothetical EM7565-style value: other firmware family, carrier token still found.
    {"other_firmware_family",
     {"Carrier PRI: 9999999_9907259_SWI9X50C_01.08.04.00_00_TMO_002.021_000"},
     true,
     {"", "", "", {"9999999_9907259_SWI9X50C_01.08.04.00_00_TMO_002.021_000"}, {"TMO"}}},
    {"hyphenated_name",
     {"Carrier PRI: 9999999_9904780_SWI9X30C_02.24.05.06_00_SPRINT-M2M_1_0"},
     true,
     {"", "", "", {"9999999_9904780_SWI9X30C_02.24.05.06_00_SPRINT-M2M_1_0"}, {"SPRINT-M2M"}}},
    {"duplicate_carrier_once",
     {"Carrier PRI: ATT_002.027_000", "Carrier PRI: att_002.026_001"},
     true,
     {"", "", "", {"ATT_002.027_000", "att_002.026_001"}, {"ATT"}}},
    {"no_name_token",
     {"Carrier PRI: (none)", "Carrier PRI: 9999999_9904780"},
     true,
     {"", "", "", {"(none)", "9999999_9904780"}, {}}},
    {"lowercase_labels_spaces_quotes",
     {"pri  part number :9906761", "CUSTOMER:  \"Generic-M2M\"", "carrier pri:   " + k_vzw_pri},
     true,
     {"9906761", "", "Generic-M2M", {k_vzw_pri}, {"VZW"}}},
    {"echo_urcs_garbage",
     {"AT!PRIID?", "RING", "\x01\x02\x03", "Carrier PRI: \x7fTMO_1", "+CREG: 1", "Carrier PRI: ATT",
      "OK"},
     true,
     {"", "", "", {"ATT"}, {"ATT"}}},
    {"empty_carrier_value_skipped",
     {"Carrier PRI:", "Carrier PRI: VZW"},
     true,
     {"", "", "", {"VZW"}, {"VZW"}}},
    {"very_long_line_skipped",
     {"Carrier PRI: " + std::string(50000, 'A'), "Carrier PRI: VZW"},
     true,
     {"", "", "", {"VZW"}, {"VZW"}}},
    {"empty", {}, false, {}},
    {"no_known_label", {"Carrier: ATT", "PRI ATT"}, false, {}},
    {"only_garbage", {"\xff\xfe", "~~~", "RING"}, false, {}},
};

class PriidParse : public testing::TestWithParam<PriidCase> {};

TEST_P(PriidParse, Parses) {
    const PriidCase& c = GetParam();
    const auto result = parse_priid_read_response(c.lines);
    ASSERT_EQ(result.has_value(), c.ok) << (result ? "" : result.error().message);
    if (!c.ok) {
        EXPECT_EQ(result.error().reason, Reason::protocol_error);
        EXPECT_EQ(result.error().message.rfind("AT!PRIID?: ", 0), 0U) << result.error().message;
        return;
    }
    EXPECT_EQ(result->part_number, c.expected.part_number);
    EXPECT_EQ(result->revision, c.expected.revision);
    EXPECT_EQ(result->customer, c.expected.customer);
    EXPECT_EQ(result->carrier_pris, c.expected.carrier_pris);
    EXPECT_EQ(result->carriers, c.expected.carriers);
}

INSTANTIATE_TEST_SUITE_P(Table, PriidParse, testing::ValuesIn(k_priid_cases),
                         [](const auto& row) { return std::string(row.param.name); });

// Sierra EM7455, SWI9X30C_02.24.05.06, running the Verizon image.
const Strings k_em7455_impref{"!IMPREF: ",
                              " preferred fw version:    02.24.05.06",
                              " preferred carrier name:  VZW",
                              " preferred config name:   VZW_002.026_001",
                              " current fw version:      02.24.05.06",
                              " current carrier name:    VZW",
                              " current config name:     VZW_002.026_001"};

struct ImprefCase {
    const char* name;
    Strings lines;
    bool ok;
    ImprefInfo expected;  // preferred fw/carrier/config, current fw/carrier/config
};

const std::vector<ImprefCase> k_impref_cases{
    {"em7455",
     k_em7455_impref,
     true,
     {"02.24.05.06", "VZW", "VZW_002.026_001", "02.24.05.06", "VZW", "VZW_002.026_001"}},
    {"no_header_tabs_uppercase",
     {"PREFERRED\tCARRIER NAME:\tATT", "Current  Carrier  Name :ATT\r",
      "current config name: \"ATT_002.027_000\""},
     true,
     {"", "ATT", "", "", "ATT", "ATT_002.027_000"}},
    {"preferred_differs_from_current",
     {"preferred carrier name: GENERIC", "current carrier name: VZW"},
     true,
     {"", "GENERIC", "", "", "VZW", ""}},
    {"only_current", {"current carrier name: TMO"}, true, {"", "", "", "", "TMO", ""}},
    {"echo_urcs_garbage",
     {"AT!IMPREF?", "+CEREG: 1", "\x1b[31mpreferred carrier name: EVIL",
      "!IMPREF:", "preferred carrier name: ATT", "OK"},
     true,
     {"", "ATT", "", "", "", ""}},
    {"very_long_line_skipped",
     {"preferred carrier name: " + std::string(5000, 'X'), "preferred carrier name: ATT"},
     true,
     {"", "ATT", "", "", "", ""}},
    {"empty", {}, false, {}},
    {"header_only", {"!IMPREF:"}, false, {}},
    {"versions_but_no_carrier",
     {"preferred fw version: 02.24.05.06", "current fw version: 02.24.05.06"},
     false,
     {}},
    {"empty_carrier_values", {"preferred carrier name:", "current carrier name:  "}, false, {}},
    {"only_garbage", {"\x01\x02", "@@@@"}, false, {}},
};

class ImprefParse : public testing::TestWithParam<ImprefCase> {};

TEST_P(ImprefParse, Parses) {
    const ImprefCase& c = GetParam();
    const auto result = parse_impref_read_response(c.lines);
    ASSERT_EQ(result.has_value(), c.ok) << (result ? "" : result.error().message);
    if (!c.ok) {
        EXPECT_EQ(result.error().reason, Reason::protocol_error);
        EXPECT_EQ(result.error().message.rfind("AT!IMPREF?: ", 0), 0U) << result.error().message;
        return;
    }
    EXPECT_EQ(result->preferred_fw, c.expected.preferred_fw);
    EXPECT_EQ(result->preferred_carrier, c.expected.preferred_carrier);
    EXPECT_EQ(result->preferred_config, c.expected.preferred_config);
    EXPECT_EQ(result->current_fw, c.expected.current_fw);
    EXPECT_EQ(result->current_carrier, c.expected.current_carrier);
    EXPECT_EQ(result->current_config, c.expected.current_config);
}

INSTANTIATE_TEST_SUITE_P(Table, ImprefParse, testing::ValuesIn(k_impref_cases),
                         [](const auto& row) { return std::string(row.param.name); });

}  // namespace
