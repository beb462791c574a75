// The one trim, join and integer parser (core/text.hpp), table-driven with malformed input.
#include <station/core/text.hpp>

#include <cstdint>

#include <gtest/gtest.h>

namespace {

using station::core::join;
using station::core::parse_integer;
using station::core::trim;
using station::core::trim_blanks;
using station::core::trim_space;

struct TrimCase {
    std::string text;
    std::string blanks;  // trim_blanks
    std::string space;   // trim_space
};

class Trim : public testing::TestWithParam<TrimCase> {};

TEST_P(Trim, BlanksAndSpace) {
    EXPECT_EQ(trim_blanks(GetParam().text), GetParam().blanks);
    EXPECT_EQ(trim_space(GetParam().text), GetParam().space);
}

INSTANTIATE_TEST_SUITE_P(Table, Trim,
                         testing::Values(TrimCase{"", "", ""}, TrimCase{"   ", "", ""},
                                         TrimCase{" \tXR9 N\t ", "XR9 N", "XR9 N"},
                                         TrimCase{"\r\nOK\r\n", "\r\nOK\r\n", "OK"},
                                         TrimCase{" \r\n ", "\r\n", ""},
                                         TrimCase{"\v\fA B\f", "\v\fA B\f", "A B"},
                                         TrimCase{"x", "x", "x"}));

TEST(TrimChars, OnlyTheGivenBytesGo) {
    EXPECT_EQ(trim(" \"8901\" ", " \t\""), "8901");
    EXPECT_EQ(trim("\"\"", "\""), "");
    EXPECT_EQ(trim("a\"b", "\""), "a\"b");
    EXPECT_EQ(trim("abc", ""), "abc");
}

TEST(Join, SeparatorBetweenItemsOnly) {
    EXPECT_EQ(join({}), "");
    EXPECT_EQ(join(std::vector<std::string>{"a"}), "a");
    EXPECT_EQ(join(std::vector<std::string>{"a", "b", "c"}), "a, b, c");
    EXPECT_EQ(join(std::vector<std::string>{"", "b"}), ", b");  // an empty item keeps its place
    EXPECT_EQ(join(std::vector<std::string>{"a", "b"}, ";"), "a;b");
}

struct IntCase {
    const char* text;
    int base;
    std::optional<long long> as_int;      // parse_integer<int>
    std::optional<std::uint64_t> as_u64;  // parse_integer<std::uint64_t>
};

class ParseInteger : public testing::TestWithParam<IntCase> {};

TEST_P(ParseInteger, WholeTextOrNothing) {
    const auto& c = GetParam();
    const auto i = parse_integer<int>(c.text, c.base);
    ASSERT_EQ(i.has_value(), c.as_int.has_value()) << c.text;
    if (i) {
        EXPECT_EQ(*i, *c.as_int) << c.text;
    }
    EXPECT_EQ(parse_integer<std::uint64_t>(c.text, c.base), c.as_u64) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseInteger,
    testing::Values(IntCase{"0", 10, 0, 0}, IntCase{"42", 10, 42, 42},
                    IntCase{"2000", 10, 2000, 2000}, IntCase{"-1", 10, -1, std::nullopt},
                    IntCase{"ff", 16, 255, 255}, IntCase{"03", 16, 3, 3},
                    IntCase{"352753090123454", 10, std::nullopt, 352753090123454ULL},
                    IntCase{"2147483648", 10, std::nullopt, 2147483648ULL},
                    IntCase{"18446744073709551616", 10, std::nullopt, std::nullopt},
                    // malformed: empty, sign, blanks, trailing bytes, wrong base, prefix
                    IntCase{"", 10, std::nullopt, std::nullopt},
                    IntCase{"+1", 10, std::nullopt, std::nullopt},
                    IntCase{" 1", 10, std::nullopt, std::nullopt},
                    IntCase{"1 ", 10, std::nullopt, std::nullopt},
                    IntCase{"12ms", 10, std::nullopt, std::nullopt},
                    IntCase{"ff", 10, std::nullopt, std::nullopt},
                    IntCase{"0x10", 16, std::nullopt, std::nullopt},
                    IntCase{"-", 10, std::nullopt, std::nullopt}));

}  // namespace
