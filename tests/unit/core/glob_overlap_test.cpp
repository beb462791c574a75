// globs_overlap: whether some model matches two profiles' patterns (the profile set check's
// "could match one unit"), exact for the globs glob_match takes, malformed patterns included.
#include <station/core/sku_profile.hpp>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using station::core::glob_match;
using station::core::globs_overlap;

struct OverlapCase {
    const char* name;
    std::string a;
    std::string b;
    bool overlap;
    std::string witness;  // a model both match, checked with glob_match; "" when none
};

const std::vector<OverlapCase> k_cases{
    {"identical", "XR90-1104513", "XR90-1104513", true, "XR90-1104513"},
    {"identical_any_case", "xr90-1104513", "XR90-1104513", true, "XR90-1104513"},
    {"distinct_literals", "XR90-1104513", "XR90-1104514", false, ""},
    {"literal_prefix_is_not_enough", "XR90", "XR90-1104513", false, ""},
    {"star_covers_literal", "XR90-*", "XR90-1104514", true, "XR90-1104514"},
    {"literal_under_star_either_side", "XR90-1104514", "XR90-*", true, "XR90-1104514"},
    {"shared_prefix_stars", "XR90-*", "XR90-11*", true, "XR90-11"},
    {"prefix_and_suffix_stars", "XR90-*", "*-NA", true, "XR90-NA"},
    {"different_prefixes", "XR90-*", "XR80-*", false, ""},
    {"different_suffixes", "*-NA", "*-EU", false, ""},
    {"question_mark_covers_digit", "XR90-110451?", "XR90-1104514", true, "XR90-1104514"},
    {"question_mark_needs_a_character", "XR90-110451?", "XR90-110451", false, ""},
    {"question_marks_and_star", "XR9?-*4", "*0-1104514", true, "XR90-1104514"},
    {"star_is_not_two_characters_short", "XR9*3", "XR90-1104514", false, ""},
    {"middle_stars", "XR*13", "*90-11*", true, "XR90-1113"},
    {"length_mismatch_question_marks", "???", "????", false, ""},
    {"empty_and_star", "", "*", true, ""},
    {"empty_and_literal", "", "X", false, ""},
    {"double_star", "XR90-**", "XR90-1104513", true, "XR90-1104513"},
    {"non_ascii_bytes", "XR90-\xc3\xa9*", "XR90-\xc3\xa9T", true, "XR90-\xc3\xa9T"},
    {"control_byte", "XR90\x1b*", "XR90-*", false, ""},
};

class GlobOverlap : public testing::TestWithParam<OverlapCase> {};

TEST_P(GlobOverlap, DecidesBothWays) {
    const OverlapCase& c = GetParam();
    EXPECT_EQ(globs_overlap(c.a, c.b), c.overlap);
    EXPECT_EQ(globs_overlap(c.b, c.a), c.overlap) << "symmetric";
    if (!c.witness.empty()) {
        EXPECT_TRUE(glob_match(c.a, c.witness)) << c.witness;
        EXPECT_TRUE(glob_match(c.b, c.witness)) << c.witness;
    }
}

INSTANTIATE_TEST_SUITE_P(Table, GlobOverlap, testing::ValuesIn(k_cases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(GlobOverlap, LongPatternsStayCheap) {
    const std::string a = std::string(64, '*');
    const std::string b = std::string(63, '?') + "Z";
    EXPECT_TRUE(globs_overlap(a, b));
    EXPECT_FALSE(globs_overlap(std::string(64, 'A'), std::string(63, 'A') + "B"));
}

}  // namespace
