#include <station/core/sanitize.hpp>

#include <gtest/gtest.h>

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
