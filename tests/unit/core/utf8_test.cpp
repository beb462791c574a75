#include <station/core/utf8.hpp>

#include <gtest/gtest.h>

namespace {

using namespace station::core;

struct ValidityCase {
    const char* name;
    std::string text;
    std::optional<std::size_t> invalid_at;
};

TEST(Utf8, StrictValidity) {
    const std::vector<ValidityCase> cases{
        {"ascii", "PAL-7", std::nullopt},
        {"empty", "", std::nullopt},
        {"latin",
         "Zo\xc3\xab \xc3\x98"
         "deg\xc3\xa5rd",
         std::nullopt},
        {"katakana", "\xe3\x83\x91\xe3\x83\xac\xe3\x83\x83\xe3\x83\x88-7", std::nullopt},
        {"emoji (4 bytes)", "\xf0\x9f\x93\xa6", std::nullopt},
        {"max code point", "\xf4\x8f\xbf\xbf", std::nullopt},
        {"lone continuation", "a\x80", 1},
        {"latin-1 byte", "Zo\xeb", 2},
        {"overlong slash", "\xc0\xaf", 0},
        {"overlong 3 bytes", "\xe0\x80\xaf", 0},
        {"surrogate", "\xed\xa0\x80", 0},
        {"above U+10FFFF", "\xf4\x90\x80\x80", 0},
        {"truncated at end", "ok\xe3\x83", 2},
        {"bad continuation", "\xe3\x41\x41", 0},
        {"0xff", "\xff", 0},
    };
    ASSERT_EQ(cases.size(), 15U);
    for (const auto& c : cases) {
        EXPECT_EQ(invalid_utf8_at(c.text), c.invalid_at) << c.name;
        EXPECT_EQ(is_valid_utf8(c.text), !c.invalid_at) << c.name;
    }
}

TEST(Utf8, DecodesCodePointsAndSizes) {
    const std::string text = "a\xc3\xab\xe3\x83\x91\xf0\x9f\x93\xa6";
    const std::vector<std::pair<char32_t, std::size_t>> want{
        {U'a', 1}, {U'\u00eb', 2}, {U'\u30d1', 3}, {U'\U0001f4e6', 4}};
    std::vector<std::pair<char32_t, std::size_t>> got;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = decode_utf8(text, i);
        ASSERT_TRUE(c.valid);
        got.emplace_back(c.code_point, c.size);
        i += c.size;
    }
    EXPECT_EQ(got, want);
    EXPECT_FALSE(decode_utf8("\xe3\x83", 0).valid);
    EXPECT_EQ(decode_utf8("\xe3\x83", 0).size, 1U) << "a malformed byte is skipped alone";
}

TEST(Utf8, WhatMustBeEscaped) {
    const std::vector<std::pair<char32_t, bool>> cases{
        {U'\x1b', true},    {U'\x7f', true},    {U'\u0085', true},  {U'\u009f', true},
        {U'\u202e', true},  {U'\u2066', true},  {U'\u2028', true},  {U'\ufeff', true},
        {U'\uffff', true},  {U'A', false},      {U'\u00a0', false}, {U'\u00eb', false},
        {U'\u30d1', false}, {U'\u4e2d', false}, {U'\u0301', false}, {U'\U0001f4e6', false},
    };
    ASSERT_EQ(cases.size(), 16U);
    for (const auto& [cp, escaped] : cases) {
        EXPECT_EQ(must_escape(cp), escaped) << static_cast<unsigned>(cp);
    }
}

TEST(Utf8, DisplayWidthCountsColumns) {
    const std::vector<std::pair<std::string, std::size_t>> cases{
        {"PAL-7", 5},
        {"Zo\xc3\xab \xc3\x98"
         "deg\xc3\xa5rd",
         11},
        {"\xe3\x83\x91\xe3\x83\xac\xe3\x83\x83\xe3\x83\x88-7", 10},  // 4 wide + 2
        {"e\xcc\x81", 1},                                            // e + combining acute
        {"\xe4\xb8\xad\xe6\x96\x87", 4},                             // 中文
        {"\xf0\x9f\x93\xa6", 2},                                     // emoji
        {"\xe2\x8c\x9b\xe2\x9b\x94\xe2\x9c\x94", 5},                 // ⌛ ⛔ wide, ✔ narrow
        {"\xff\xfe", 2},                                             // malformed: 1 each
    };
    ASSERT_EQ(cases.size(), 8U);
    for (const auto& [text, width] : cases) EXPECT_EQ(display_width(text), width) << text;
}

TEST(Utf8, CodePointCountCountsCharacters) {
    const std::vector<std::pair<std::string, std::size_t>> cases{
        {"", 0},
        {"PAL-7", 5},
        {"\xe3\x83\x91\xe3\x83\xac\xe3\x83\x83\xe3\x83\x88-7", 6},  // パレット-7
        {"e\xcc\x81", 2},                                           // e + combining acute
        {"\xf0\x9f\x93\xa6", 1},                                    // emoji
        {"\xff\xfe"
         "A",
         3},              // malformed: 1 each
        {"\xe3\x83", 2},  // truncated: 1 each
    };
    ASSERT_EQ(cases.size(), 7U);
    for (const auto& [text, count] : cases) EXPECT_EQ(code_point_count(text), count) << text;
}

}  // namespace
