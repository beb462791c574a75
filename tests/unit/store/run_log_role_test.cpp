// The RunLog and UnitRegistry roles of the SQLite Store (run_log.hpp, unit_registry.hpp): a
// slot's writes through the SlotWriter the run log hands out, and its atomic write, whose body
// writes through the roles it is handed: all of it is kept, or none of it.
#include <station/store/roles.hpp>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

using station::core::fail;

constexpr const char* k_imei = "353270090000018";
constexpr const char* k_iccid = "89014104279999999998";

st::Registration registration(st::SlotResultId slot) {
    st::Registration r;
    r.fsn = "LA5123";
    r.serial = "LA5123";
    r.imei = k_imei;
    r.iccid = k_iccid;
    r.slot_result = slot;
    r.queued = at_ms(300);
    return r;
}

st::StepRecord step(std::string name) {
    return {std::move(name), Outcome::pass, std::nullopt, "", at_ms(20), at_ms(30)};
}

std::vector<std::string> names(const std::vector<st::StepRecord>& steps) {
    std::vector<std::string> out;
    for (const auto& s : steps) out.push_back(s.name);
    return out;
}

// The unit's store steps and result, written as provision writes them.
st::Result<void> unit_write(const st::Roles& write, st::SlotResultId slot) {
    auto claim = write.units.claim_identity({"LA5123", k_imei, k_iccid, at_ms(200), slot});
    if (!claim) return tl::unexpected(claim.error());
    if (auto saved = write.runs.record_step(slot, step("check_duplicates")); !saved) return saved;
    auto queued = write.outbox.enqueue_registration(registration(slot));
    if (!queued) return tl::unexpected(queued.error());
    return write.runs.finish_slot(slot, sample_finish("LA5123", k_imei, k_iccid));
}

TEST_F(StoreTest, ASlotWritersWritesAndItsAtomicWriteAreKept) {
    auto store = open_store();
    const st::Roles roles(store);
    const auto run = ok(roles.runs.begin_run(sample_run()));
    {
        const auto slot = roles.runs.open_slot(run, sample_slot("A1"));
        slot->record_step(step("identify"));
        slot->record_transcript("ATI\r\nOK\r\n");
        ok(slot->write("unit", [](st::SlotResultId id, const st::Roles& write) {
            return unit_write(write, id);
        }));
        ASSERT_TRUE(slot->id());
        EXPECT_FALSE(slot->failure());
    }
    const auto rows = ok(roles.runs.results_for_run(run));
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].slot.outcome, Outcome::pass);
    EXPECT_EQ(names(ok(roles.runs.steps(rows[0].slot.id))),
              (std::vector<std::string>{"identify", "check_duplicates"}));
    EXPECT_EQ(ok(roles.runs.transcript(rows[0].slot.id)), "ATI\r\nOK\r\n");
    EXPECT_EQ(ok(roles.units.history(st::UnitKey::fsn, "LA5123")).size(), 1U);
    EXPECT_EQ(ok(roles.outbox.list_outbox(st::OutboxState::pending)).size(), 1U);
}

// A body that fails after its claim and registration: neither is kept, the slot writer reports
// the failure, and a later write of the slot fails without running its body.
TEST_F(StoreTest, AFailingAtomicWriteKeepsNothingOfIt) {
    auto store = open_store();
    const st::Roles roles(store);
    const auto run = ok(roles.runs.begin_run(sample_run()));
    const auto slot = roles.runs.open_slot(run, sample_slot("A1"));
    const auto failed = slot->write("unit", [](st::SlotResultId id, const st::Roles& write) {
        auto written = unit_write(write, id);
        if (!written) return written;
        return st::Result<void>(fail(Reason::store_error, "the body gives up"));
    });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "the body gives up");
    ASSERT_TRUE(slot->failure());
    bool ran = false;
    EXPECT_FALSE(slot->write("later", [&](st::SlotResultId, const st::Roles&) {
        ran = true;
        return st::Result<void>();
    }));
    EXPECT_FALSE(ran);

    const auto rows = ok(roles.runs.results_for_run(run));
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_FALSE(rows[0].slot.outcome) << "finish_slot was undone";
    EXPECT_TRUE(ok(roles.runs.steps(rows[0].slot.id)).empty());
    EXPECT_TRUE(ok(roles.units.other_units_with(st::UnitKey::iccid, k_iccid, "")).empty());
    EXPECT_TRUE(ok(roles.outbox.list_outbox()).empty());
}

}  // namespace
}  // namespace tests::store
