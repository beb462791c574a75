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
    EXPECT_LE(out.size(), 67U);
    EXPECT_EQ(out.substr(out.size() - 3), "...");
}

}  // namespace
