// core::Manifest look-ups and match_manifest: every way a unit's FSN and IMEI can meet a pallet
// manifest, each with the exact message an operator reads.
#include <gtest/gtest.h>

#include <station/core/manifest.hpp>

namespace {

using station::core::Manifest;
using station::core::ManifestLine;
using station::core::ManifestMatchKind;

Manifest pallet() {
    std::vector<ManifestLine> lines{
        {12, "XR9N2301280017", "354125080012765", "XR90-1104513", "", "", ""},
        {40, "XR9N2301280099", "354125080012773", "XR90-1104513", "", "PO-7", "Acme"},
        {41, "lf94060072011005", "354125080012781", "XR60-1104601", "", "", ""}};
    return Manifest("pallet.csv", std::move(lines));
}

TEST(Manifest, FindsSerialInAnyCaseAndIgnoresBlanks) {
    const Manifest manifest = pallet();
    ASSERT_EQ(manifest.size(), 3U);
    EXPECT_EQ(manifest.source(), "pallet.csv");
    EXPECT_EQ(manifest.find_serial("XR9N2301280017"), std::optional<std::size_t>(0));
    EXPECT_EQ(manifest.find_serial("xr9n2301280099"), std::optional<std::size_t>(1));
    EXPECT_EQ(manifest.find_serial(" LF94060072011005\t"), std::optional<std::size_t>(2));
    EXPECT_EQ(manifest.find_serial("XR9N230128001"), std::nullopt);  // a prefix is not a match
    EXPECT_EQ(manifest.find_serial(""), std::nullopt);
}

TEST(Manifest, FindsImeiExactly) {
    const Manifest manifest = pallet();
    EXPECT_EQ(manifest.find_imei("354125080012773"), std::optional<std::size_t>(1));
    EXPECT_EQ(manifest.find_imei(" 354125080012781 "), std::optional<std::size_t>(2));
    EXPECT_EQ(manifest.find_imei("35412508001276"), std::nullopt);
    EXPECT_EQ(manifest.find_imei(""), std::nullopt);
}

TEST(Manifest, PlaceNamesFileAndLine) {
    const Manifest manifest = pallet();
    EXPECT_EQ(manifest.place(0), "pallet.csv:12");
    EXPECT_EQ(manifest.place(2), "pallet.csv:41");
    EXPECT_EQ(manifest.place(3), "pallet.csv");  // out of range: the file alone
}

TEST(Manifest, FirstLineWinsWhenBuiltWithDuplicates) {
    const Manifest manifest("m.csv", {{2, "A1", "354125080012765", "P", "", "", ""},
                                      {3, "a1", "354125080012765", "P", "", "", ""}});
    EXPECT_EQ(manifest.find_serial("A1"), std::optional<std::size_t>(0));
    EXPECT_EQ(manifest.find_imei("354125080012765"), std::optional<std::size_t>(0));
}

TEST(Manifest, EmptyManifestFindsNothing) {
    const Manifest manifest;
    EXPECT_EQ(manifest.size(), 0U);
    EXPECT_EQ(manifest.find_serial("A"), std::nullopt);
    const auto match = station::core::match_manifest(manifest, "A", "354125080012765");
    EXPECT_EQ(match.kind, ManifestMatchKind::not_found);
}

struct MatchCase {
    const char* name;
    const char* fsn;
    const char* imei;
    ManifestMatchKind kind;
    std::optional<std::size_t> line;
    const char* message;
};

class MatchManifest : public testing::TestWithParam<MatchCase> {};

TEST_P(MatchManifest, SaysWhatTheManifestHolds) {
    const MatchCase& row = GetParam();
    const auto match = station::core::match_manifest(pallet(), row.fsn, row.imei);
    EXPECT_EQ(match.kind, row.kind);
    EXPECT_EQ(match.line, row.line);
    EXPECT_EQ(match.message, row.message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, MatchManifest,
    testing::Values(
        MatchCase{"same_line", "XR9N2301280017", "354125080012765", ManifestMatchKind::matched, 0,
                  ""},
        MatchCase{"serial_case_and_blanks", " xr9n2301280099 ", "354125080012773 ",
                  ManifestMatchKind::matched, 1, ""},
        MatchCase{"different_lines", "XR9N2301280017", "354125080012773",
                  ManifestMatchKind::mismatched, std::nullopt,
                  "FSN XR9N2301280017 is on pallet.csv:12 but IMEI 354125080012773 is on "
                  "pallet.csv:40"},
        MatchCase{"fsn_only", "XR9N2301280017", "359072060054893", ManifestMatchKind::mismatched,
                  std::nullopt,
                  "FSN XR9N2301280017 is on pallet.csv:12 (IMEI there 354125080012765), but "
                  "the unit reports IMEI 359072060054893"},
        MatchCase{"imei_only", "XR9N0000000000", "354125080012781", ManifestMatchKind::mismatched,
                  std::nullopt,
                  "IMEI 354125080012781 is on pallet.csv:41 (serial there lf94060072011005), "
                  "but the unit reports FSN XR9N0000000000"},
        MatchCase{"neither", "XR9N0000000000", "359072060054893", ManifestMatchKind::not_found,
                  std::nullopt,
                  "neither FSN XR9N0000000000 nor IMEI 359072060054893 is on pallet.csv"},
        MatchCase{"no_fsn_imei_found", "", "354125080012773", ManifestMatchKind::mismatched,
                  std::nullopt,
                  "the unit reports no FSN; IMEI 354125080012773 is on pallet.csv:40 (serial "
                  "XR9N2301280099)"},
        MatchCase{"no_fsn_imei_absent", "  ", "359072060054893", ManifestMatchKind::not_found,
                  std::nullopt,
                  "the unit reports no FSN and IMEI 359072060054893 is not on pallet.csv"},
        MatchCase{"no_imei_fsn_found", "XR9N2301280099", "", ManifestMatchKind::mismatched,
                  std::nullopt,
                  "the unit reports no IMEI; FSN XR9N2301280099 is on pallet.csv:40 (IMEI "
                  "there 354125080012773)"},
        MatchCase{"no_imei_fsn_absent", "XR9N0000000000", "", ManifestMatchKind::not_found,
                  std::nullopt,
                  "the unit reports no IMEI and FSN XR9N0000000000 is not on pallet.csv"},
        MatchCase{"nothing_reported", "", "", ManifestMatchKind::not_found, std::nullopt,
                  "the unit reports neither an FSN nor an IMEI, nothing to find on pallet.csv"},
        // Device strings reach the message only sanitized (escapes, bounded length).
        MatchCase{"hostile_fsn", "XR9\x1b[2J", "35412508\n0012765", ManifestMatchKind::not_found,
                  std::nullopt,
                  "neither FSN XR9\\x1b[2J nor IMEI 35412508\\n0012765 is on pallet.csv"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(MatchManifestMessage, CutsALongDeviceValue) {
    const std::string fsn = "XR9N" + std::string(100, 'A');
    const auto match = station::core::match_manifest(pallet(), fsn, "354125080012773");
    EXPECT_EQ(match.message,
              "IMEI 354125080012773 is on pallet.csv:40 (serial there XR9N2301280099), but "
              "the unit reports FSN XR9N" +
                  std::string(57, 'A') + "...");
}

}  // namespace
