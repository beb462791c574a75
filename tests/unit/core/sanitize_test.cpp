#include <station/core/sanitize.hpp>

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <station/core/utf8.hpp>

namespace {

using station::core::sanitize_for_display;

TEST(Sanitize, EscapesControlAndTerminalSequences) {
    EXPECT_EQ(sanitize_for_display("EM7455"), "EM7455");
    EXPECT_EQ(sanitize_for_display("\x1b[2J\x1b]0;pwned\x07"), "\\x1b[2J\\x1b]0;pwned\\x07");
    EXPECT_EQ(sanitize_for_display("a\r\nb\t"), "a\\r\\nb\\t");
    EXPECT_EQ(sanitize_for_display(std::string("x\0y", 3)), "x\\x00y");
    EXPECT_EQ(sanitize_for_display("\xff\x80"), "\\xff\\x80");
    EXPECT_EQ(sanitize_for_display("back\\slash"), "back\\\\slash");
}

TEST(Sanitize, BoundsLength) {
    const std::string flood(10000, 'A');
    const auto out = sanitize_for_display(flood, 64);
    EXPECT_EQ(out.size(), 64U) << "at most max_len bytes, the ... included";
    EXPECT_EQ(out.substr(out.size() - 3), "...");
    EXPECT_EQ(sanitize_for_display("ABCDEF", 6), "ABCDEF") << "fits: no ...";
    EXPECT_EQ(sanitize_for_display("ABCDEFG", 6), "ABC...");
}

TEST(Sanitize, TruncationNeverCutsAnEscapeInHalf) {
    const std::string hostile(100, '\x1b');
    for (std::size_t max = 3; max <= 20; ++max) {
        const auto out = sanitize_for_display(hostile, max);
        EXPECT_LE(out.size(), max);
        ASSERT_GE(out.size(), 3U);
        EXPECT_EQ(out.substr(out.size() - 3), "...");
        const auto body = out.substr(0, out.size() - 3);
        EXPECT_EQ(body.size() % 4, 0U) << "whole \\x1b escapes only: " << out;
    }
    EXPECT_EQ(sanitize_for_display("ABCDEF", 2), "") << "no room even for ...";
}

}  // namespace

namespace {

using station::core::is_display_safe;
using station::core::sanitize_for_display;

TEST(Sanitize, KeepsPrintableUnicode) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"Zo\xc3\xab \xc3\x98"
         "deg\xc3\xa5rd",
         "Zo\xc3\xab \xc3\x98"
         "deg\xc3\xa5rd"},
        {"\xe3\x83\x91\xe3\x83\xac\xe3\x83\x83\xe3\x83\x88-7",
         "\xe3\x83\x91\xe3\x83\xac\xe3\x83\x83\xe3\x83\x88-7"},
        {"\xf0\x9f\x93\xa6 box", "\xf0\x9f\x93\xa6 box"},
        {"C1 \xc2\x85 next line", "C1 \\u0085 next line"},
        {"\xc2\x9b"
         "31m CSI",
         "\\u009b31m CSI"},
        {"bidi \xe2\x80\xae"
         "evil",
         "bidi \\u202eevil"},
        {"Zo\xeb latin-1", "Zo\\xeb latin-1"},
        {"cut \xe3\x83", "cut \\xe3\\x83"},
        {"overlong \xc0\xaf", "overlong \\xc0\\xaf"},
    };
    ASSERT_EQ(cases.size(), 9U);
    for (const auto& [raw, shown] : cases) EXPECT_EQ(sanitize_for_display(raw), shown) << raw;
}

TEST(Sanitize, TruncationNeverCutsAUtf8SequenceInHalf) {
    const std::string katakana = "\xe3\x83\x91";  // one wide character, 3 bytes
    std::string wide;
    for (int i = 0; i < 50; ++i) wide += katakana;
    for (std::size_t max = 3; max <= 20; ++max) {
        const auto out = sanitize_for_display(wide, max);
        EXPECT_LE(out.size(), max) << "a byte bound";
        ASSERT_GE(out.size(), 3U);
        EXPECT_EQ(out.substr(out.size() - 3), "...");
        const auto body = out.substr(0, out.size() - 3);
        EXPECT_EQ(body.size() % 3, 0U) << "whole characters only: " << out;
    }
    // Zero-width marks take bytes, so they cannot flood either.
    std::string marks = "e";
    for (int i = 0; i < 1000; ++i) marks += "\xcc\x81";
    const auto out = sanitize_for_display(marks, 64);
    EXPECT_LE(out.size(), 64U);
    EXPECT_TRUE(station::core::is_display_safe(out));
}

TEST(Sanitize, DisplaySafeMeansNothingToEscape) {
    EXPECT_TRUE(is_display_safe("Zo\xc3\xab \\ path"));
    EXPECT_TRUE(is_display_safe(""));
    EXPECT_FALSE(is_display_safe("a\tb"));
    EXPECT_FALSE(is_display_safe("\xc2\x85"));
    EXPECT_FALSE(is_display_safe("\xff"));
}

// The cut as the contract states it, character by character: each character's piece (what
// sanitize_for_display makes of it alone), whole pieces only, and when the next one does not fit,
// whole pieces taken back until "..." fits. The sanitizer copies plain ASCII runs at once; on
// every mix of runs, escapes, wide characters and bounds it must cut exactly here.
std::string cut_piece_by_piece(std::string_view text, std::size_t max_len) {
    std::string out;
    std::vector<std::size_t> sizes;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = station::core::decode_utf8(text, i);
        const std::string piece = sanitize_for_display(text.substr(i, c.size), 64);
        i += c.size;
        if (out.size() + piece.size() > max_len) {
            while (!sizes.empty() && out.size() + 3 > max_len) {
                out.resize(out.size() - sizes.back());
                sizes.pop_back();
            }
            if (max_len >= 3) out += "...";
            return out;
        }
        out += piece;
        sizes.push_back(piece.size());
    }
    return out;
}

TEST(Sanitize, PlainRunsAreCutWhereCharacterByCharacterWouldCut) {
    // Plain ASCII, then what is escaped (backslash, controls, DEL, invalid and cut UTF-8), then
    // text of 2, 3 and 4 bytes, and code points shown as \u escapes.
    const std::vector<std::string> alphabet = [] {
        std::vector<std::string> all{"A", "b", "7", " ", "~"};
        for (const char* escaped : {"\\", "\x1b", "\r", "\n", "\t", "\x7f", "\xff", "\xe3\x83"}) {
            all.emplace_back(escaped);
        }
        all.emplace_back(1, '\0');
        for (const char* text :
             {"\xc3\xab", "\xe3\x83\x91", "\xf0\x9f\x93\xa6", "\xc2\x85", "\xe2\x80\xae"}) {
            all.emplace_back(text);
        }
        return all;
    }();
    std::mt19937 random(20261202);
    std::size_t cut = 0;
    for (int round = 0; round < 4000; ++round) {
        std::string text;
        const std::size_t parts = random() % 24;
        for (std::size_t p = 0; p < parts; ++p) {
            // Runs of plain ASCII (up to 8 bytes) between the others.
            if (random() % 3 == 0) text += std::string(random() % 9, 'x');
            text += alphabet[random() % alphabet.size()];
        }
        const std::size_t max_len = random() % 48;
        const std::string expected = cut_piece_by_piece(text, max_len);
        ASSERT_EQ(sanitize_for_display(text, max_len), expected)
            << "max_len " << max_len << ", input " << sanitize_for_display(text, 4096);
        if (expected.size() >= 3 && expected.substr(expected.size() - 3) == "...") ++cut;
    }
    EXPECT_GT(cut, 1000U) << "the cases must reach the cut, not only fit";
}

}  // namespace
