// push_outbox carrying out outbox rows of action `update` (a SIM swapped since the unit was
// registered) against an ALMS in memory (fake_alms.hpp) and the manual clock: the system is
// looked up by IMEI, its subscription moved to the new ICCID and read back; never a second
// system.
#include <station/workflows/register_push.hpp>

#include <gtest/gtest.h>

#include <process.hpp>
#include <station/store/store.hpp>
#include <unit_numbers.hpp>
#include "fake_alms.hpp"

namespace {

using namespace std::chrono_literals;
using station::alms::AlmsClient;
using station::alms::ManualClock;
using station::core::DataCenter;
using station::core::Region;
using station::workflows::PushEvent;
using station::workflows::PushOptions;
using station::workflows::PushState;
using station::workflows::PushSummary;
using tests::FakeAlms;
using tests::iccid_for;
using tests::imei_for;
using tests::serial_for;
namespace st = station::store;
namespace alms = station::alms;

constexpr const char* k_owner = "push:bench-a:boot:100:1";
const std::string k_old_iccid = iccid_for(0);
const std::string k_new_iccid = iccid_for(500);

class PushUpdate : public testing::Test {
  protected:
    PushUpdate() : m_db(m_dir.path() + "/station.db") {}

    st::Store& store() {
        if (!m_store) {
            auto opened = st::Store::open(m_db);
            if (!opened) throw std::runtime_error(opened.error().message);
            m_store = std::make_unique<st::Store>(std::move(*opened));
        }
        return *m_store;
    }

    void fresh() {
        m_store.reset();
        fake.reset();
        std::filesystem::remove(m_db);
    }

    static alms::DataCenterConfig config() {
        alms::DataCenterConfig c;
        c.data_center = DataCenter::na;
        c.base_url =
            alms::BaseUrl{"http://127.0.0.1:9/na", alms::Scheme::http_loopback, "127.0.0.1"};
        c.client_id = "na-client";
        c.client_secret = alms::Secret("na-secret");
        c.company_uid = "na-company";
        c.request_timeout = 30s;
        return c;
    }

    st::Enqueued enqueue(st::OutboxAction action, const std::string& iccid,
                         Region region = Region::na) {
        st::Registration reg;
        reg.fsn = serial_for(0);
        reg.serial = serial_for(0);
        reg.imei = imei_for(0);
        reg.iccid = iccid;
        reg.data_center = DataCenter::na;
        reg.region = region;
        reg.action = action;
        reg.queued = clock.wall_now();
        auto queued = store().enqueue_registration(reg);
        EXPECT_TRUE(queued) << queued.error().message;
        return queued.value_or(st::Enqueued::already_queued);
    }

    PushSummary push(std::vector<PushEvent>* events = nullptr) {
        PushOptions options;
        options.data_center = DataCenter::na;
        options.lease = 10min;
        options.owner = k_owner;
        options.request_timeout = 30s;
        const alms::RetryPolicy policy{2, 200ms, 2000ms, 600000ms, 10000ms};
        AlmsClient client(config(), fake, clock, policy, [] { return 0.0; });
        return station::workflows::push_outbox(store(), client, clock, options,
                                               [&](const PushEvent& e) {
                                                   if (events != nullptr) events->push_back(e);
                                               });
    }

    st::OutboxRow last_row() {
        auto rows = store().list_outbox();
        EXPECT_FALSE(rows->empty());
        return rows->back();
    }

    tests::TempDir m_dir;
    std::string m_db;
    std::unique_ptr<st::Store> m_store;
    FakeAlms fake;
    ManualClock clock;
};

struct UpdateCase {
    const char* name;
    std::function<void(FakeAlms&)> setup;
    Region region;
    PushState event;
    st::OutboxState state;
    int updates;                // PUT calls made
    const char* remote_id;      // stored on the row
    const char* iccid_in_alms;  // "" = no system; "old" / "new"
    const char* detail_has;
};

TEST_F(PushUpdate, EveryOutcomeOfAnUpdateRow) {
    const std::vector<UpdateCase> table{
        {"present with the old ICCID: updated and read back",
         [](FakeAlms& a) {
             a.seed({"uid-s", imei_for(0), serial_for(0), k_old_iccid});
         },
         Region::na, PushState::registered, st::OutboxState::registered, 1, "uid-s", "new",
         "updated system uid-s"},
        {"absent: conflict, nothing created", [](FakeAlms&) {}, Region::na, PushState::conflict,
         st::OutboxState::conflict, 0, "", "", "no system to update"},
        {"already holds the new ICCID: no update call",
         [](FakeAlms& a) {
             a.seed({"uid-s", imei_for(0), serial_for(0), k_new_iccid});
         },
         Region::na, PushState::already_registered, st::OutboxState::registered, 0, "uid-s", "new",
         "already holds the new ICCID"},
        {"read-back still shows the old ICCID: not registered",
         [](FakeAlms& a) {
             a.seed({"uid-s", imei_for(0), serial_for(0), k_old_iccid});
             a.script({FakeAlms::Call::update, FakeAlms::status(200), false});
         },
         Region::na, PushState::retry_later, st::OutboxState::pending, 1, "", "old",
         "read-back shows ICCID"},
        {"the IMEI's system has another serial: conflict, not touched",
         [](FakeAlms& a) {
             a.seed({"uid-o", imei_for(0), "LA999999", k_old_iccid});
         },
         Region::na, PushState::conflict, st::OutboxState::conflict, 0, "", "old",
         "serial differs"},
        {"update refused by ALMS: failed",
         [](FakeAlms& a) {
             a.seed({"uid-s", imei_for(0), serial_for(0), k_old_iccid});
             a.script({FakeAlms::Call::update,
                       FakeAlms::status(422, R"({"error":"subscription.unknown"})"), false});
         },
         Region::na, PushState::failed, st::OutboxState::failed, 1, "", "old",
         "subscription.unknown"},
        {"Global unit queued for NA: refused by the guard before any request",
         [](FakeAlms& a) {
             a.seed({"uid-s", imei_for(0), serial_for(0), k_old_iccid});
         },
         Region::global, PushState::refused, st::OutboxState::failed, 0, "", "old", "refusing"},
    };
    for (const auto& t : table) {
        SCOPED_TRACE(t.name);
        fresh();
        t.setup(fake);
        ASSERT_EQ(enqueue(st::OutboxAction::update, k_new_iccid, t.region), st::Enqueued::queued);
        std::vector<PushEvent> events;
        const auto summary = push(&events);
        ASSERT_EQ(events.size(), 1U);
        EXPECT_EQ(events[0].state, t.event);
        EXPECT_NE(events[0].detail.find(t.detail_has), std::string::npos) << events[0].detail;
        const auto r = last_row();
        EXPECT_EQ(r.state, t.state);
        EXPECT_EQ(r.remote_id, t.remote_id);
        EXPECT_EQ(fake.count(FakeAlms::Call::update), t.updates);
        EXPECT_EQ(fake.count(FakeAlms::Call::create), 0);
        const auto systems = fake.systems();
        const std::string held = std::string(t.iccid_in_alms);
        ASSERT_EQ(systems.size(), held.empty() ? 0U : 1U);
        if (!held.empty()) {
            EXPECT_EQ(systems[0].iccid, held == "new" ? k_new_iccid : k_old_iccid);
        }
        if (t.event == PushState::refused) {
            EXPECT_EQ(fake.count(FakeAlms::Call::token) + fake.count(FakeAlms::Call::lookup), 0);
        }
        EXPECT_FALSE(summary.error.has_value());
    }
}

// A unit registered by a create, its SIM swapped: the update row moves the one system to the
// new ICCID; a second push finds nothing to do and sends nothing.
TEST_F(PushUpdate, CreateThenUpdateLeavesOneSystemAndASecondPushChangesNothing) {
    ASSERT_EQ(enqueue(st::OutboxAction::create, k_old_iccid), st::Enqueued::queued);
    ASSERT_EQ(push().registered, 1);
    ASSERT_EQ(enqueue(st::OutboxAction::update, k_new_iccid), st::Enqueued::queued);
    const auto first = push();
    EXPECT_EQ(first.claimed, 1);
    EXPECT_EQ(first.registered, 1);
    EXPECT_EQ(first.already_registered, 0);
    auto systems = fake.systems();
    ASSERT_EQ(systems.size(), 1U);
    EXPECT_EQ(systems[0].iccid, k_new_iccid);
    EXPECT_EQ(last_row().state, st::OutboxState::registered);
    EXPECT_EQ(last_row().remote_id, systems[0].uid);

    const int requests = fake.count(FakeAlms::Call::lookup) + fake.count(FakeAlms::Call::update) +
                         fake.count(FakeAlms::Call::create);
    const auto second = push();
    EXPECT_EQ(second.claimed, 0);
    EXPECT_EQ(fake.count(FakeAlms::Call::lookup) + fake.count(FakeAlms::Call::update) +
                  fake.count(FakeAlms::Call::create),
              requests);
    EXPECT_EQ(fake.systems().size(), 1U);
    EXPECT_EQ(fake.count(FakeAlms::Call::create), 1);
}

// A read-back that did not show the new ICCID leaves the row pending; the next push, once
// due, finds the ICCID in ALMS and marks it registered without a second update.
TEST_F(PushUpdate, ARowNotReadBackIsSettledByTheNextPush) {
    fake.seed({"uid-s", imei_for(0), serial_for(0), k_old_iccid});
    fake.script({FakeAlms::Call::update, FakeAlms::status(200), false});
    ASSERT_EQ(enqueue(st::OutboxAction::update, k_new_iccid), st::Enqueued::queued);
    EXPECT_EQ(push().retry_later, 1);
    ASSERT_EQ(last_row().state, st::OutboxState::pending);
    EXPECT_GT(last_row().next_attempt, clock.wall_now());

    clock.advance(10min);
    const auto again = push();
    EXPECT_EQ(again.registered, 1);
    EXPECT_EQ(fake.systems().at(0).iccid, k_new_iccid);
    EXPECT_EQ(fake.count(FakeAlms::Call::update), 2);  // the lost one, then the one that stuck
    EXPECT_EQ(last_row().state, st::OutboxState::registered);
}

}  // namespace
