// The end-of-run summary, and the small text pieces the views share.
#include <gtest/gtest.h>

#include <station/app/view_text.hpp>

#include "view_events.hpp"

namespace tests::app {
namespace {

// ---- text pieces -------------------------------------------------------------------------------

TEST(ViewText, ElapsedNaturalOrderAndFit) {
    using namespace station::app::view;
    EXPECT_EQ(format_elapsed(850ms), "850ms");
    EXPECT_EQ(format_elapsed(12345ms), "12.3s");
    EXPECT_EQ(format_elapsed(192s), "3m12s");
    EXPECT_EQ(format_elapsed(3720s), "1h02m");
    EXPECT_EQ(format_elapsed(-5ms), "0ms");
    EXPECT_TRUE(natural_less("A2", "A10"));
    EXPECT_FALSE(natural_less("A10", "A2"));
    EXPECT_TRUE(natural_less("A9", "B1"));
    EXPECT_TRUE(natural_less("/dev/ttyUSB2", "/dev/ttyUSB10"));
    EXPECT_FALSE(natural_less("A1", "A1"));
    EXPECT_EQ(display_width("⛔ QUARANTINED"), 14U);
    EXPECT_EQ(display_width("✔ PASS"), 6U);
    EXPECT_EQ(fit("abcdef", 4, station::app::Glyphs::ascii), "abc~");
    EXPECT_EQ(fit("ab", 4, station::app::Glyphs::ascii), "ab  ");
    EXPECT_EQ(fit("⌛⌛⌛", 4, station::app::Glyphs::unicode), "⌛… ");
}

// ---- summary -----------------------------------------------------------------------------------

station::workflows::UnitResult unit(std::string slot, std::string fsn, Outcome outcome,
                                    std::optional<Reason> reason, std::string message,
                                    std::optional<DataCenter> dc = std::nullopt) {
    return {std::move(slot), std::move(fsn),     "/dev/pts/1", outcome,
            reason,          std::move(message), dc,           1,
            2500ms};
}

station::workflows::RunSummary sample_summary() {
    station::workflows::RunSummary s;
    s.run = station::store::RunId{7};
    s.outcome = Outcome::error;
    s.units = {unit("A1", "FSN1", Outcome::pass, {}, "", DataCenter::na),
               unit("A2", "FSN2", Outcome::pass, {}, "", DataCenter::na),
               unit("A3", "FSN3", Outcome::fail, Reason::sku_mismatch,
                    "unit reports Global, pallet is NA"),
               unit("A4", "FSN4", Outcome::pass, {}, "", DataCenter::eu),
               unit("A5", k_hostile, Outcome::fail, Reason::duplicate_iccid,
                    "ICCID already on another unit"),
               unit("B1", "", Outcome::error, Reason::no_response, "no reply to AT+CGSN")};
    s.empty_slots = {"B2", "B3"};
    s.skipped_slots = {"B4"};
    s.quarantined_slots = {"B1"};
    s.elapsed = 192s;
    return s;
}

TEST(RenderSummary, ListsEveryUnitToPullWithCountsAndWhereTheResultsAre) {
    const std::string text =
        station::app::render_summary(sample_summary(), {"P-42", "xr90-na", "/tmp/s.db"}, false);
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    for (const char* part :
         {"Run 7 ERROR: pallet P-42, profile xr90-na, 3m12s", "Units: 6  PASS 3  FAIL 2  ERROR 1",
          "PASS by data center:  EU 1  NA 2", "Units to pull (3;", "duplicate_iccid", "XR\\x1b[2J",
          "B1    -", "no_response      no reply to AT+CGSN",
          "Empty slots (2; no unit arrived): B2, B3", "Skipped slots (1;", "B4",
          "Quarantined slots (1;", "station rig release SLOT`): B1",
          "Results: /tmp/s.db (station report --run 7)"}) {
        EXPECT_NE(text.find(part), std::string::npos) << "missing: " << part << "\n" << text;
    }
    EXPECT_TRUE(std::regex_search(
        text, std::regex("\n  A3 +FSN3 +FAIL +sku_mismatch +unit reports Global, pallet is NA\n")))
        << text;
    EXPECT_EQ(text.find("A1 "), std::string::npos);  // PASS units are not in the pull list
    EXPECT_EQ(text.find("ABORTED 0"), std::string::npos);
}

TEST(RenderSummary, ColourStoppedAndEmptyRuns) {
    auto s = sample_summary();
    s.stopped = true;
    s.outcome = Outcome::aborted;
    s.units.push_back(unit("C1", "FSN9", Outcome::aborted, Reason::aborted, "stopped"));
    const std::string coloured = station::app::render_summary(s, {"P", "xr90-na", "db"}, true);
    EXPECT_NE(coloured.find("\x1b[1;31mFAIL\x1b[0m"), std::string::npos);
    EXPECT_NE(strip_sgr(coloured).find("ABORTED 1"), std::string::npos);
    EXPECT_NE(coloured.find("--resume 7"), std::string::npos);
    EXPECT_EQ(coloured.find("\x1b[2J"), std::string::npos);

    station::workflows::RunSummary none;
    none.run = station::store::RunId{8};
    none.outcome = Outcome::error;
    none.empty_slots = {"A1"};
    const std::string text = station::app::render_summary(none, {"P", "xr90-na", "db"}, false);
    EXPECT_NE(text.find("Units to pull: none"), std::string::npos) << text;
    EXPECT_NE(text.find("PASS by data center: none"), std::string::npos) << text;
    EXPECT_NE(text.find("No unit was provisioned."), std::string::npos) << text;
}

}  // namespace
}  // namespace tests::app
