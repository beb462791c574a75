// The unit label's ZPL: golden files, and device strings that cannot inject ZPL commands.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include <station/core/zpl_label.hpp>

namespace {

using station::core::LabelFields;
using station::core::render_zpl;
using station::core::zpl_field;

std::string golden(const std::string& name) {
    std::ifstream in(std::string(STATION_SOURCE_DIR) + "/tests/data/label/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(ZplLabel, MatchesTheGoldenFiles) {
    struct Case {
        const char* file;
        LabelFields fields;
    };
    const Case cases[] = {
        {"xr90-na.zpl",
         {"XR9N2301280017", "354125080012765", "89014104273001549164", "na", "P-LABEL",
          "2026-12-01"}},
        {"hostile.zpl",
         {"LA^XZ^XA~JR", "3541~2508", "8901\x1b[2J\xc3\xa9", "eu", "PAL^FS~DG", "2026-12-01"}},
        {"empty.zpl", {"", "", "", "", "", ""}},
    };
    for (const auto& c : cases) {
        const std::string want = golden(c.file);
        ASSERT_FALSE(want.empty()) << c.file;
        EXPECT_EQ(render_zpl(c.fields), want) << c.file;
    }
}

TEST(ZplLabel, DeviceStringsNeverCarryACommandPrefix) {
    struct Case {
        std::string raw;
        std::size_t max;
        std::string want;
    };
    const Case cases[] = {
        {"LA5123", 64, "LA5123"},
        {"^XZ", 64, "?XZ"},
        {"~JR", 64, "?JR"},
        {"a\nb\tc", 64, "a?b?c"},
        {"\xc3\xa9", 64, "??"},
        {"", 64, "-"},
        {"ABCDEFGH", 4, "ABCD"},
        {"a\\b", 64, "a\\b"},
    };
    for (const auto& c : cases) EXPECT_EQ(zpl_field(c.raw, c.max), c.want) << c.raw;
    const std::string label = render_zpl({"^XA~", "^", "~", "na", "^PQ99", "^"});
    // The only command prefixes are the template's own: every ^ starts a known command.
    std::size_t at = 0;
    int formats = 0;
    while ((at = label.find("^XA", at)) != std::string::npos) {
        ++formats;
        ++at;
    }
    EXPECT_EQ(formats, 1);
    EXPECT_EQ(label.find('~'), std::string::npos);
    EXPECT_EQ(label.find("^PQ"), std::string::npos);
}

}  // namespace
