// ASCII case-insensitive comparisons.
#include <gtest/gtest.h>

#include <station/core/text.hpp>

namespace {

using station::core::ascii_upper;
using station::core::iequals;
using station::core::istarts_with;
using station::core::trim_blanks;

TEST(Text, IequalsIgnoresAsciiCaseOnly) {
    EXPECT_TRUE(iequals("OK", "ok"));
    EXPECT_TRUE(iequals("+CME ERROR", "+cme error"));
    EXPECT_TRUE(iequals("", ""));
    EXPECT_FALSE(iequals("OK", "OK "));
    EXPECT_FALSE(iequals("[", "{"));        // not letters: '[' + 32 == '{'
    EXPECT_FALSE(iequals("\xc4", "\xe4"));  // bytes above ASCII compare as they are
}

TEST(Text, IstartsWith) {
    EXPECT_TRUE(istarts_with("HTTP/1.1 200 OK", "http/"));
    EXPECT_TRUE(istarts_with("Retry-After: 5", "retry-after:"));
    EXPECT_TRUE(istarts_with("abc", ""));
    EXPECT_FALSE(istarts_with("ab", "abc"));
    EXPECT_FALSE(istarts_with("xabc", "abc"));
}

TEST(Text, TrimBlanksStripsSpacesAndTabsOnly) {
    EXPECT_EQ(trim_blanks(" \tXR9 N\t "), "XR9 N");
    EXPECT_EQ(trim_blanks("   "), "");
    EXPECT_EQ(trim_blanks(""), "");
    EXPECT_EQ(trim_blanks("\r\nA\n"), "\r\nA\n");  // line ends are not blanks
}

TEST(Text, AsciiUpperChangesAsciiLettersOnly) {
    EXPECT_EQ(ascii_upper("xr9n-2301az"), "XR9N-2301AZ");
    EXPECT_EQ(ascii_upper(""), "");
    EXPECT_EQ(ascii_upper("z\xc3\xabo{"), "Z\xc3\xabO{");  // UTF-8 and '{' stay
}

}  // namespace
