#include <station/core/identifiers.hpp>
#include <station/core/luhn.hpp>

#include <gtest/gtest.h>

namespace {

using station::core::check_iccid;
using station::core::check_imei;
using station::core::IdCheck;
using station::core::normalize_iccid;

struct IdCase {
    const char* value;
    IdCheck expected;
};

class IccidCheck : public testing::TestWithParam<IdCase> {};

TEST_P(IccidCheck, Classifies) {
    EXPECT_EQ(check_iccid(GetParam().value), GetParam().expected) << GetParam().value;
}

INSTANTIATE_TEST_SUITE_P(
    Table, IccidCheck,
    testing::Values(IdCase{"89014103211118510720", IdCheck::ok},  // AT&T, 20 digits
                    IdCase{"8901260123456789011", IdCheck::ok},   // T-Mobile, 19 digits
                    IdCase{"89148000000012345675", IdCheck::ok},  // Verizon, 20 digits
                    IdCase{"89332401000000000014", IdCheck::ok},  // Sierra SmartSIM (EU)
                    IdCase{"89445001021983048261", IdCheck::ok},  // UK operator
                    // 20 digits failing on the whole string but valid on its first 19:
                    IdCase{"89445001021983048263", IdCheck::ok},
                    IdCase{"89148000000012345676", IdCheck::bad_check_digit},
                    IdCase{"8901260123456789012", IdCheck::bad_check_digit},
                    IdCase{"", IdCheck::empty},
                    // Hex digits A-F (account part of some issuers' ICCIDs): cannot be
                    // Luhn-checked, never valid; F padding is the caller's to strip.
                    IdCase{"898604A6101770125379", IdCheck::hex_digits},
                    IdCase{"898604a610177012537", IdCheck::hex_digits},
                    IdCase{"8901410321111851072F", IdCheck::hex_digits},
                    IdCase{"898604A61017701253", IdCheck::bad_length},
                    IdCase{"798604A6101770125379", IdCheck::bad_prefix},
                    IdCase{"898604G6101770125379", IdCheck::not_digits},
                    IdCase{"89 14103211118510720", IdCheck::not_digits},
                    IdCase{"890141032111185107", IdCheck::bad_length},
                    IdCase{"890141032111185107200", IdCheck::bad_length},
                    IdCase{"79014103211118510720", IdCheck::bad_prefix}),
    [](const auto& row) { return "row" + std::to_string(row.index); });

class ImeiCheck : public testing::TestWithParam<IdCase> {};

TEST_P(ImeiCheck, Classifies) {
    EXPECT_EQ(check_imei(GetParam().value), GetParam().expected) << GetParam().value;
}

INSTANTIATE_TEST_SUITE_P(Table, ImeiCheck,
                         testing::Values(IdCase{"359072060054893", IdCheck::ok},
                                         IdCase{"352906110188556", IdCheck::ok},
                                         IdCase{"359072060054894", IdCheck::bad_check_digit},
                                         IdCase{"35907206005489", IdCheck::bad_length},
                                         IdCase{"3590720600548930", IdCheck::bad_length},
                                         IdCase{"35907206005489A", IdCheck::not_digits},
                                         IdCase{"", IdCheck::empty}),
                         [](const auto& row) { return "row" + std::to_string(row.index); });

TEST(NormalizeIccid, StripsQuotesSpacesAndPadding) {
    EXPECT_EQ(normalize_iccid("\"8901260123456789011F\""), "8901260123456789011");
    EXPECT_EQ(normalize_iccid(" 8901260123456789011f "), "8901260123456789011");
    EXPECT_EQ(normalize_iccid("89014103211118510720"), "89014103211118510720");
}

TEST(NormalizeIccid, KeepsHexDigitsAfterTheIssuerNumber) {
    EXPECT_EQ(normalize_iccid("898604A6101770125379"), "898604A6101770125379");
    EXPECT_EQ(normalize_iccid("\"898604a610177012537F\""), "898604A610177012537");
}

TEST(NormalizeIccid, RejectsNonDigits) {
    EXPECT_EQ(normalize_iccid("89A14103211118510720"), "");  // hex inside the issuer number
    EXPECT_EQ(normalize_iccid("89860G46101770125379"), "");
    EXPECT_EQ(normalize_iccid("8986-4A6101770125379"), "");
    EXPECT_EQ(normalize_iccid("FFFF"), "");
    EXPECT_EQ(normalize_iccid(""), "");
}

TEST(Luhn, CheckDigit) {
    EXPECT_EQ(station::core::luhn_check_digit("35907206005489"), '3');
    EXPECT_EQ(station::core::luhn_check_digit("3590x"), '\0');
    EXPECT_FALSE(station::core::luhn_valid(""));
}

}  // namespace
