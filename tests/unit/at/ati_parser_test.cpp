// parse_ati_response: Sierra labelled form, Quectel mixed form, bare form, and noise.
#include <drivers/at/parsers.hpp>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using drivers::at::AtiInfo;
using drivers::at::parse_ati_response;
using station::core::Reason;

struct AtiCase {
    const char* name;
    std::vector<std::string> lines;
    bool ok;
    AtiInfo expected;  // manufacturer, model, revision, imei, imei_sv, meid, fsn, gcap
};

const std::string k_sierra_revision =
    "SWI9X30C_02.24.05.06 r7040 CARMD-EV-FRMWR2 2016/10/25 02:20:11";

// Sierra EM7455, SWI9X30C_02.24.05.06.
const std::vector<std::string> k_em7455{"Manufacturer: Sierra Wireless, Incorporated",
                                        "Model: EM7455",
                                        "Revision: " + k_sierra_revision,
                                        "MEID: 35907206005489",
                                        "IMEI: 359072060054893",
                                        "IMEI SV: 14",
                                        "FSN: LF94060072011005",
                                        "+GCAP: +CGSM"};
const AtiInfo k_em7455_info{"Sierra Wireless, Incorporated",
                            "EM7455",
                            k_sierra_revision,
                            "359072060054893",
                            "14",
                            "35907206005489",
                            "LF94060072011005",
                            "+CGSM"};

std::vector<std::string> with(std::vector<std::string> lines, std::vector<std::string> more) {
    lines.insert(lines.end(), more.begin(), more.end());
    return lines;
}

const std::vector<AtiCase> k_ati_cases{
    {"sierra_labelled", k_em7455, true, k_em7455_info},
    // Quectel EC25 (EC25EFAR06A06M4G): two bare lines, then a labelled revision.
    {"quectel_mixed",
     {"Quectel", "EC25", "Revision: EC25EFAR06A06M4G"},
     true,
     {"Quectel", "EC25", "EC25EFAR06A06M4G", "", "", "", "", ""}},
    // Colons inside a bare revision ("02:20:11") do not make it a label.
    {"three_bare",
     {"Sierra Wireless, Incorporated", "EM7455", k_sierra_revision},
     true,
     {"Sierra Wireless, Incorporated", "EM7455", k_sierra_revision, "", "", "", "", ""}},
    {"two_bare", {"Telit", "LE910C4-NF"}, true, {"Telit", "LE910C4-NF", "", "", "", "", "", ""}},
    {"lowercase_extra_spaces_quotes",
     {"manufacturer :  Sierra Wireless", "MODEL:EM7565", "imei  sv: 05",
      "imei: \"353533100123456\""},
     true,
     {"Sierra Wireless", "EM7565", "", "353533100123456", "05", "", "", ""}},
    {"imei_sv_before_imei",
     {"Model: EM7455", "IMEI SV: 14", "IMEI: 359072060054893"},
     true,
     {"", "EM7455", "", "359072060054893", "14", "", "", ""}},
    {"imei_sv_only_never_imei",
     {"Model: EM7455", "IMEI SV: 14", "IMEISV: 15"},
     true,
     {"", "EM7455", "", "", "14", "", "", ""}},
    {"meid_only_never_imei",
     {"Model: MC7354", "MEID: 35907206005489"},
     true,
     {"", "MC7354", "", "", "", "35907206005489", "", ""}},
    {"cr_remnants_and_blanks",
     {"\r", "  ", "Manufacturer: Sierra\r", "", "\tModel: EM7455 \r"},
     true,
     {"Sierra", "EM7455", "", "", "", "", "", ""}},
    {"echo_and_final_code",
     {"ATI", "Quectel", "EC25", "Revision: EC25EFAR06A06M4G", "OK"},
     true,
     {"Quectel", "EC25", "EC25EFAR06A06M4G", "", "", "", "", ""}},
    {"urcs_mixed_in",
     with({"RING", "+CREG: 1", "^SYSSTART"}, with(k_em7455, {"+CEREG: 2,1", "RING"})), true,
     k_em7455_info},
    {"nonprintable_garbage_ignored",
     {"\x01\x02\x03", "Manufacturer: Sierra Wireless, Incorporated", "\xff\xfeModel: X",
      std::string("Mo\0del: Y", 9), "Model: EM7455"},
     true,
     {"Sierra Wireless, Incorporated", "EM7455", "", "", "", "", "", ""}},
    {"symbol_noise_not_a_field",
     {"#$%&*", "Quectel", "EC25"},
     true,
     {"Quectel", "EC25", "", "", "", "", "", ""}},
    // After the first known label a bare line is noise, not the missing model.
    {"bare_after_labels_ignored",
     {"Manufacturer: Sierra Wireless, Incorporated", "qwerty uiop", "Revision: R1"},
     true,
     {"Sierra Wireless, Incorporated", "", "R1", "", "", "", "", ""}},
    {"unknown_labels_ignored",
     {"ESN: 0x80123456", "Manufacturer: X", "Serial Number: 42"},
     true,
     {"X", "", "", "", "", "", "", ""}},
    {"first_value_wins",
     {"Model: EM7455", "Model: EM7565"},
     true,
     {"", "EM7455", "", "", "", "", "", ""}},
    {"very_long_line_skipped",
     {std::string(100000, 'A'), "Model: EM7455"},
     true,
     {"", "EM7455", "", "", "", "", "", ""}},
    {"empty", {}, false, {}},
    {"only_blanks", {"", " ", "\r"}, false, {}},
    {"only_noise", {"OK", "RING", "+CREG: 1", "\x01\x02", "#$%"}, false, {}},
    {"only_long_line", {std::string(5000, 'Z')}, false, {}},
};

class AtiParse : public testing::TestWithParam<AtiCase> {};

TEST_P(AtiParse, Parses) {
    const AtiCase& c = GetParam();
    const auto result = parse_ati_response(c.lines);
    ASSERT_EQ(result.has_value(), c.ok) << (result ? "" : result.error().message);
    if (!c.ok) {
        EXPECT_EQ(result.error().reason, Reason::protocol_error);
        EXPECT_EQ(result.error().message.rfind("ATI: ", 0), 0U) << result.error().message;
        return;
    }
    EXPECT_EQ(result->manufacturer, c.expected.manufacturer);
    EXPECT_EQ(result->model, c.expected.model);
    EXPECT_EQ(result->revision, c.expected.revision);
    EXPECT_EQ(result->imei, c.expected.imei);
    EXPECT_EQ(result->imei_sv, c.expected.imei_sv);
    EXPECT_EQ(result->meid, c.expected.meid);
    EXPECT_EQ(result->fsn, c.expected.fsn);
    EXPECT_EQ(result->gcap, c.expected.gcap);
}

INSTANTIATE_TEST_SUITE_P(Table, AtiParse, testing::ValuesIn(k_ati_cases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(AtiParse, ErrorQuotesSanitisedResponse) {
    const std::vector<std::string> lines{"\x1b[2J"};
    const auto result = parse_ati_response(lines);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "ATI: no identity lines in response (\"\\x1b[2J\")");
}

}  // namespace
