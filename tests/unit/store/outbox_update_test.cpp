// Queueing outbox rows of action `update` (a SIM swapped since the unit was registered): one
// live update per unit, ICCID and data center, beside the unit's one live create.
#include <station/store/outbox.hpp>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

using station::core::DataCenter;

st::Registration row_of(st::OutboxAction action, std::string iccid,
                        DataCenter dc = DataCenter::na) {
    st::Registration r;
    r.fsn = "FSN-1";
    r.serial = "FSN-1";
    r.imei = "353270090000011";
    r.iccid = std::move(iccid);
    r.data_center = dc;
    r.action = action;
    r.queued = at_ms(0);
    return r;
}

constexpr const char* k_first_sim = "89014104279999999991";
constexpr const char* k_second_sim = "89014104279999999992";
constexpr const char* k_third_sim = "89014104279999999993";

struct EnqueueCase {
    const char* name;
    st::Registration registration;
    st::Enqueued expected;
};

// After a create that reached `registered`, in order: each enqueue against the rows before it.
TEST_F(StoreTest, AnUpdateIsQueuedOncePerUnitIccidAndDataCenter) {
    using st::Enqueued;
    using st::OutboxAction;
    auto store = open_store();
    st::Outbox& outbox = store;
    ASSERT_EQ(ok(outbox.enqueue_registration(row_of(OutboxAction::create, k_first_sim))),
              Enqueued::queued);
    const auto claimed = ok(outbox.claim_pending(DataCenter::na, 1, {"t", at_ms(0), at_ms(9)}));
    ASSERT_EQ(claimed.size(), 1U);
    ok(outbox.mark_registered(claimed[0].id, "t", "uid-1", at_ms(1)));

    const std::vector<EnqueueCase> table{
        {"the registered unit's SIM swapped: queued", row_of(OutboxAction::update, k_second_sim),
         Enqueued::queued},
        {"the same swap again: already queued", row_of(OutboxAction::update, k_second_sim),
         Enqueued::already_queued},
        {"the same swap for the other data center: refused",
         row_of(OutboxAction::update, k_second_sim, DataCenter::eu),
         Enqueued::queued_for_other_data_center},
        {"a second swap: its own update", row_of(OutboxAction::update, k_third_sim),
         Enqueued::queued},
        {"the create again: already queued", row_of(OutboxAction::create, k_third_sim),
         Enqueued::already_queued},
    };
    for (const auto& t : table) {
        SCOPED_TRACE(t.name);
        EXPECT_EQ(ok(outbox.enqueue_registration(t.registration)), t.expected);
    }
    const auto rows = ok(outbox.list_outbox());
    ASSERT_EQ(rows.size(), 3U);
    EXPECT_EQ(rows[0].registration.action, OutboxAction::create);
    EXPECT_EQ(rows[0].state, st::OutboxState::registered);
    for (const std::size_t i : {1U, 2U}) {
        EXPECT_EQ(rows[i].registration.action, OutboxAction::update);
        EXPECT_EQ(rows[i].state, st::OutboxState::pending);
        EXPECT_EQ(rows[i].registration.data_center, DataCenter::na);
    }
    EXPECT_EQ(rows[1].registration.iccid, k_second_sim);
    EXPECT_EQ(rows[2].registration.iccid, k_third_sim);
}

}  // namespace
}  // namespace tests::store
