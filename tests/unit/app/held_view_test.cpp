// Units held for a shared SIM identity in the views: a `unit_changed` event turns a finished
// unit's row to FAIL (only while the slot still shows that unit), and the summary lists every
// held unit with what became of its registration.
#include <gtest/gtest.h>

#include <station/app/live_frame.hpp>

#include "view_events.hpp"

namespace tests::app {
namespace {

using station::app::view::Status;

Event changed(std::string slot, std::string fsn) {
    Event e = event(EventKind::unit_changed, std::move(slot), 6s);
    e.step = "duplicate_held";
    e.fsn = std::move(fsn);
    e.outcome = Outcome::fail;
    e.reason = Reason::duplicate_iccid;
    e.message = "ICCID 8901 is also on unit FSN9 (slot A2, run 7)";
    return e;
}

TEST(HeldUnitView, UnitChangedTurnsTheRowOfThatUnitToFail) {
    struct Case {
        std::string name;
        std::string fsn_in_event;
        Status status;
    };
    const std::vector<Case> cases{
        {"same unit", "FSN1", Status::fail},
        {"the slot shows another unit now", "FSN-OTHER", Status::pass},
    };
    for (const auto& c : cases) {
        station::app::view::LiveModel model;
        for (const auto& e : unit_events("A1", "FSN1", Outcome::pass, {})) model.apply(e);
        ASSERT_EQ(model.rows.size(), 1U) << c.name;
        ASSERT_EQ(model.rows["A1"].status, Status::pass) << c.name;
        model.apply(changed("A1", c.fsn_in_event));
        EXPECT_EQ(model.rows["A1"].status, c.status) << c.name;
        EXPECT_EQ(model.rows["A1"].fsn, "FSN1") << c.name;
        if (c.status == Status::fail) {
            EXPECT_EQ(model.rows["A1"].reason, "duplicate_iccid");
            EXPECT_NE(model.rows["A1"].message.find("FSN9"), std::string::npos);
        }
    }
}

station::store::IdentityHolder holder(std::string slot, std::int64_t run, bool changed,
                                      station::store::HeldRegistration registration) {
    station::store::IdentityHolder h;
    h.fsn = "FSN-" + slot;
    h.slot = std::move(slot);
    h.run = station::store::RunId{run};
    h.changed = changed;
    h.registration = registration;
    return h;
}

TEST(HeldUnitView, SummaryListsHeldUnitsAndWhatBecameOfTheirRegistration) {
    station::workflows::RunSummary s;
    s.run = station::store::RunId{7};
    s.outcome = Outcome::fail;
    s.held = {holder("A1", 7, true, station::store::HeldRegistration::withdrawn),
              holder("B3", 4, true, station::store::HeldRegistration::sent),
              holder("C2", 5, false, station::store::HeldRegistration::withdrawn)};
    const std::string text = station::app::render_summary(s, {"P", "xr90-na", "db"}, false);
    for (const char* part :
         {"Shared SIM identity (3 ",
          "  A1  FSN-A1  (this run)  duplicate_iccid; PASS changed to "
          "FAIL; outbox row withdrawn (not sent)\n",
          "  B3  FSN-B3  (run 4)  duplicate_iccid; PASS changed to FAIL; ALREADY SENT to ALMS "
          "though "
          "its SIM is shared: to inspect\n",
          "  C2  FSN-C2  (run 5)  duplicate_iccid; outbox row withdrawn (not sent)\n"}) {
        EXPECT_NE(text.find(part), std::string::npos) << "missing: " << part << "\n" << text;
    }
    station::workflows::RunSummary none;
    none.run = station::store::RunId{8};
    EXPECT_EQ(station::app::render_summary(none, {"P", "xr90-na", "db"}, false)
                  .find("Shared SIM identity"),
              std::string::npos);
}

}  // namespace
}  // namespace tests::app
