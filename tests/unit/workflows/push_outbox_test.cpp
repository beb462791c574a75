// push_outbox against an ALMS in memory (fake_alms.hpp) and the manual clock: every transition
// of a row, lease expiry, two pushers, a pusher that dies between ALMS's answer and the mark.
#include <station/workflows/register_push.hpp>

#include <gtest/gtest.h>

#include <thread>

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
namespace st = station::store;
namespace alms = station::alms;

using tests::iccid_for;
using tests::imei_for;
using tests::serial_for;

// A pusher's store that dies (fails, writing nothing) on its first mark after ALMS answered.
class DiesBeforeTheMark final : public st::Outbox {
  public:
    explicit DiesBeforeTheMark(st::Outbox& inner) : m_inner(inner) {}
    st::Result<st::Enqueued> enqueue_registration(const st::Registration& r) override {
        return m_inner.enqueue_registration(r);
    }
    st::Result<std::vector<st::OutboxRow>> claim_pending(DataCenter dc, int max,
                                                         const st::Lease& lease) override {
        return m_inner.claim_pending(dc, max, lease);
    }
    st::Result<void> mark_registered(st::OutboxId, std::string_view, std::string_view,
                                     st::TimePoint) override {
        return died();
    }
    st::Result<void> mark_conflict(st::OutboxId, std::string_view, std::string_view,
                                   st::TimePoint) override {
        return died();
    }
    st::Result<void> mark_failed(st::OutboxId, std::string_view, std::string_view, st::Retry,
                                 st::TimePoint, st::TimePoint) override {
        return died();
    }
    st::Result<void> release(st::OutboxId, std::string_view, st::TimePoint) override {
        return died();
    }
    st::Result<void> mark_in_doubt(st::OutboxId, std::string_view, std::string_view, st::TimePoint,
                                   st::TimePoint) override {
        return died();
    }
    st::Result<int> recover_dead_claims(DataCenter dc, st::TimePoint now,
                                        std::chrono::milliseconds wait) override {
        return m_inner.recover_dead_claims(dc, now, wait);
    }
    st::Result<st::HeldRegistration> withdraw(std::string_view fsn, std::string_view iccid,
                                              std::string_view imei, std::string_view why,
                                              st::TimePoint now) override {
        return m_inner.withdraw(fsn, iccid, imei, why, now);
    }
    st::Result<st::OutboxStatus> outbox_status(std::size_t last_errors) override {
        return m_inner.outbox_status(last_errors);
    }
    st::Result<std::vector<st::OutboxRow>> list_outbox(std::optional<st::OutboxState> state,
                                                       std::optional<DataCenter> dc) override {
        return m_inner.list_outbox(state, dc);
    }

  private:
    static st::Result<void> died() {
        return station::core::fail(station::core::Reason::store_error, "pusher died");
    }
    st::Outbox& m_inner;
};

// Lease owners of pushers on another host (never taken for dead by this one).
constexpr const char* k_owner_a = "push:bench-a:boot:100:1";
constexpr const char* k_owner_b = "push:bench-b:boot:200:2";
// in_doubt_wait() of the fixture's 30 s request timeout.
constexpr std::chrono::milliseconds k_in_doubt_wait = 45s;

class PushOutbox : public testing::Test {
  protected:
    PushOutbox() : m_db(m_dir.path() + "/station.db") {}

    st::Store& store() {
        if (!m_store) {
            auto opened = st::Store::open(m_db);
            if (!opened) throw std::runtime_error(opened.error().message);
            m_store = std::make_unique<st::Store>(std::move(*opened));
        }
        return *m_store;
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

    std::unique_ptr<AlmsClient> client(ManualClock& on) {
        const alms::RetryPolicy policy{2, 200ms, 2000ms, 600000ms, 10000ms};
        return std::make_unique<AlmsClient>(config(), fake, on, policy, [] { return 0.0; });
    }

    void enqueue(int first, int count, Region region = Region::na) {
        for (int i = first; i < first + count; ++i) {
            st::Registration reg;
            reg.fsn = serial_for(i);
            reg.serial = serial_for(i);
            reg.imei = imei_for(i);
            reg.iccid = iccid_for(i);
            reg.data_center = DataCenter::na;
            reg.region = region;
            reg.queued = clock.wall_now();
            auto queued = store().enqueue_registration(reg);
            ASSERT_TRUE(queued) << queued.error().message;
        }
    }

    PushSummary push(st::Outbox& outbox, ManualClock& on, std::string owner,
                     std::vector<PushEvent>* events = nullptr) {
        PushOptions options;
        options.data_center = DataCenter::na;
        options.lease = 10min;
        options.owner = std::move(owner);
        options.request_timeout = 30s;
        auto c = client(on);
        return station::workflows::push_outbox(outbox, *c, on, options, [&](const PushEvent& e) {
            if (events != nullptr) events->push_back(e);
        });
    }

    st::OutboxRow row(int i = 0) {
        auto rows = store().list_outbox();
        EXPECT_GT(rows->size(), static_cast<std::size_t>(i));
        return rows->at(static_cast<std::size_t>(i));
    }

    tests::TempDir m_dir;
    std::string m_db;
    std::unique_ptr<st::Store> m_store;
    FakeAlms fake;
    ManualClock clock;
};

struct Transition {
    const char* name;
    std::function<void(FakeAlms&)> setup;
    Region region;
    PushState event;
    st::OutboxState state;
    int attempts;
    const char* remote_id;
    int creates;
};

TEST_F(PushOutbox, EveryTransitionOfARow) {
    using alms::TransportError;
    const std::vector<Transition> table{
        {"absent: created", [](FakeAlms&) {}, Region::na, PushState::registered,
         st::OutboxState::registered, 1, "uid-1", 1},
        {"same unit found: not created again",
         [](FakeAlms& a) {
             a.seed({"uid-s", imei_for(0), serial_for(0), iccid_for(0)});
         },
         Region::na, PushState::already_registered, st::OutboxState::registered, 1, "uid-s", 0},
        {"another unit with this IMEI: conflict",
         [](FakeAlms& a) {
             a.seed({"uid-o", imei_for(0), "LA999999", iccid_for(0)});
         },
         Region::na, PushState::conflict, st::OutboxState::conflict, 1, "", 0},
        {"create refused: failed",
         [](FakeAlms& a) {
             a.script({FakeAlms::Call::create,
                       FakeAlms::status(422, R"({"error":"subscription.unknown"})"), false});
         },
         Region::na, PushState::failed, st::OutboxState::failed, 1, "", 0},
        {"busy for 10 minutes: waits in the outbox",
         [](FakeAlms& a) {
             auto busy = FakeAlms::status(503);
             busy.retry_after = "600";
             a.script({FakeAlms::Call::lookup, busy, false});
         },
         Region::na, PushState::retry_later, st::OutboxState::pending, 1, "", 0},
        {"Global unit queued for NA: refused by the guard", [](FakeAlms&) {}, Region::global,
         PushState::refused, st::OutboxState::failed, 1, "", 0},
        {"create answer lost: in doubt",
         [](FakeAlms& a) {
             a.script({FakeAlms::Call::create, FakeAlms::failure(TransportError::timeout), true});
         },
         Region::na, PushState::in_doubt, st::OutboxState::in_doubt, 1, "", 1},
        {"credentials refused: row given back untouched",
         [](FakeAlms& a) {
             a.script({FakeAlms::Call::token, FakeAlms::status(401), false});
         },
         Region::na, PushState::released, st::OutboxState::pending, 0, "", 0},
    };
    ASSERT_EQ(table.size(), 8U);
    for (const auto& t : table) {
        SCOPED_TRACE(t.name);
        m_store.reset();
        fake.reset();
        std::filesystem::remove(m_db);
        t.setup(fake);
        enqueue(0, 1, t.region);
        std::vector<PushEvent> events;
        const auto summary = push(store(), clock, k_owner_a, &events);
        ASSERT_EQ(events.size(), 1U);
        EXPECT_EQ(events[0].state, t.event);
        const auto r = row();
        EXPECT_EQ(r.state, t.state);
        EXPECT_EQ(r.attempts, t.attempts);
        EXPECT_EQ(r.remote_id, t.remote_id);
        EXPECT_TRUE(r.lease_owner.empty());
        EXPECT_EQ(
            static_cast<int>(fake.systems().size()),
            t.creates + (t.event == PushState::already_registered || t.event == PushState::conflict
                             ? 1
                             : 0));
        EXPECT_EQ(fake.count(FakeAlms::Call::create), t.event == PushState::failed ? 1 : t.creates);
        EXPECT_EQ(summary.error.has_value(), t.event == PushState::released);
        if (t.event == PushState::retry_later) {
            EXPECT_EQ(r.next_attempt, clock.wall_now() + 600s);
            EXPECT_EQ(summary.retry_later, 1);
        }
        if (t.event == PushState::in_doubt) {
            EXPECT_EQ(r.next_attempt, clock.wall_now() + k_in_doubt_wait);
            EXPECT_EQ(summary.in_doubt, 1);
        }
        if (t.event == PushState::refused) {
            EXPECT_EQ(fake.count(FakeAlms::Call::token) + fake.count(FakeAlms::Call::lookup), 0);
        }
    }
}

TEST_F(PushOutbox, ALiveLeaseIsLeftAloneAnExpiredOneIsTakenOver) {
    enqueue(0, 1);
    DiesBeforeTheMark dies(store());
    const auto a = push(dies, clock, k_owner_a);
    ASSERT_TRUE(a.error);
    EXPECT_EQ(row().state, st::OutboxState::claimed);
    EXPECT_EQ(row().lease_owner, k_owner_a);

    const auto too_soon = push(store(), clock, k_owner_b);
    EXPECT_EQ(too_soon.claimed, 0);
    clock.advance(10min);
    // Taken back in doubt: its create may be on the way.
    const auto expired = push(store(), clock, k_owner_b);
    EXPECT_EQ(expired.claimed, 0);
    EXPECT_EQ(row().state, st::OutboxState::in_doubt);
    clock.advance(k_in_doubt_wait);
    const auto b = push(store(), clock, k_owner_b);
    EXPECT_EQ(b.claimed, 1);
    EXPECT_EQ(row().state, st::OutboxState::registered);
    // The first owner lost its lease: its late mark fails.
    EXPECT_FALSE(store().mark_registered(row().id, k_owner_a, "uid-late", clock.wall_now()));
}

TEST_F(PushOutbox, DeathBetweenTheAnswerAndTheMarkCreatesNothingTwice) {
    enqueue(0, 1);
    DiesBeforeTheMark dies(store());
    const auto a = push(dies, clock, k_owner_a);
    ASSERT_TRUE(a.error);
    ASSERT_EQ(fake.systems().size(), 1U);  // ALMS has it; the outbox does not know

    clock.advance(10min);                                   // the dead pusher's lease runs out
    EXPECT_EQ(push(store(), clock, k_owner_b).claimed, 0);  // in doubt: not at once
    clock.advance(k_in_doubt_wait);
    std::vector<PushEvent> events;
    const auto b = push(store(), clock, k_owner_b, &events);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].state, PushState::already_registered);
    EXPECT_EQ(b.already_registered, 1);
    EXPECT_EQ(fake.count(FakeAlms::Call::create), 1);
    EXPECT_EQ(fake.systems().size(), 1U);
    EXPECT_EQ(row().remote_id, "uid-1");
}

// The acceptance run of issue 15: a push dies after sending a create, a second push runs at
// once, before ALMS stored the first create. It must not look the unit up yet.
TEST_F(PushOutbox, RowOfAPusherThatDiedIsInDoubtAndLookedUpOnlyAfterTheWait) {
    enqueue(0, 1);
    st::ProcessOwner gone = st::current_process_owner();
    gone.start_ticks += 1;  // this host, a process no longer running
    DiesBeforeTheMark dies(store());
    ASSERT_TRUE(push(dies, clock, st::lease_owner_of(gone)).error);
    ASSERT_EQ(fake.systems().size(), 1U);
    const int lookups = fake.count(FakeAlms::Call::lookup);

    const auto at_once = push(store(), clock, k_owner_b);
    EXPECT_EQ(at_once.recovered, 1);
    EXPECT_EQ(at_once.claimed, 0);
    EXPECT_EQ(fake.count(FakeAlms::Call::lookup), lookups);
    const auto r = row();
    EXPECT_EQ(r.state, st::OutboxState::in_doubt);
    EXPECT_EQ(r.next_attempt, clock.wall_now() + k_in_doubt_wait);

    clock.advance(k_in_doubt_wait - 1ms);
    EXPECT_EQ(push(store(), clock, k_owner_b).claimed, 0);
    EXPECT_EQ(fake.count(FakeAlms::Call::lookup), lookups);
    clock.advance(1ms);
    const auto later = push(store(), clock, k_owner_b);
    EXPECT_EQ(later.already_registered, 1);
    EXPECT_EQ(fake.count(FakeAlms::Call::create), 1);
    EXPECT_EQ(row().state, st::OutboxState::registered);
}

// A create that timed out: ALMS got it or not; either way one system after the wait.
TEST_F(PushOutbox, CreateThatTimedOutIsCreatedOnlyIfStillAbsent) {
    for (const bool took_effect : {true, false}) {
        SCOPED_TRACE(took_effect ? "ALMS stored it" : "ALMS never got it");
        m_store.reset();
        fake.reset();
        std::filesystem::remove(m_db);
        fake.script({FakeAlms::Call::create, FakeAlms::failure(alms::TransportError::timeout),
                     took_effect});
        enqueue(0, 1);
        std::vector<PushEvent> events;
        (void)push(store(), clock, k_owner_a, &events);
        ASSERT_EQ(events.size(), 1U);
        EXPECT_EQ(events[0].state, PushState::in_doubt);
        EXPECT_EQ(fake.count(FakeAlms::Call::lookup), 1);  // none after the create
        EXPECT_EQ(push(store(), clock, k_owner_a).claimed, 0);
        clock.advance(k_in_doubt_wait);
        events.clear();
        (void)push(store(), clock, k_owner_a, &events);
        ASSERT_EQ(events.size(), 1U);
        EXPECT_EQ(events[0].state,
                  took_effect ? PushState::already_registered : PushState::registered);
        EXPECT_EQ(fake.systems().size(), 1U);
        EXPECT_EQ(fake.count(FakeAlms::Call::create), took_effect ? 1 : 2);
    }
}

TEST(InDoubtWait, IsTheRequestTimeoutAndAMargin) {
    using station::workflows::in_doubt_wait;
    const std::vector<std::pair<std::chrono::milliseconds, std::chrono::milliseconds>> table{
        {30s, 45s}, {3s, 4500ms}, {1s, 2s}, {0s, 1s}, {120s, 150s}};
    ASSERT_EQ(table.size(), 5U);
    for (const auto& [timeout, wait] : table) EXPECT_EQ(in_doubt_wait(timeout), wait);
}

TEST_F(PushOutbox, TwoPushersSplitTheQueueAndCreateEachUnitOnce) {
    constexpr int k_units = 40;
    enqueue(0, k_units);
    PushSummary summaries[2];
    std::vector<std::thread> pushers;
    for (int p = 0; p < 2; ++p) {
        pushers.emplace_back([&, p] {
            auto own = st::Store::open(m_db);  // a connection of its own, as a process has
            ASSERT_TRUE(own);
            ManualClock own_clock(clock.wall_now());
            summaries[p] = push(*own, own_clock, p == 0 ? k_owner_a : k_owner_b);
        });
    }
    for (auto& t : pushers) t.join();
    EXPECT_FALSE(summaries[0].error);
    EXPECT_FALSE(summaries[1].error);
    EXPECT_EQ(summaries[0].claimed + summaries[1].claimed, k_units);
    EXPECT_EQ(summaries[0].registered + summaries[1].registered, k_units);
    EXPECT_EQ(fake.count(FakeAlms::Call::create), k_units);
    EXPECT_EQ(fake.systems().size(), static_cast<std::size_t>(k_units));
    const auto rows = store().list_outbox(st::OutboxState::registered);
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->size(), static_cast<std::size_t>(k_units));
}

TEST(PushStateNames, AreTheWordsPushPrints) {
    const std::vector<std::pair<PushState, const char*>> names{
        {PushState::registered, "registered"},
        {PushState::already_registered, "already_registered"},
        {PushState::conflict, "conflict"},
        {PushState::retry_later, "retry_later"},
        {PushState::failed, "failed"},
        {PushState::refused, "refused"},
        {PushState::released, "released"},
        {PushState::in_doubt, "in_doubt"}};
    ASSERT_EQ(names.size(), 8U);
    for (const auto& [state, name] : names) EXPECT_EQ(station::workflows::to_string(state), name);
}

TEST(PushBackoff, HoldsOffOnlyAfterAPushThatFoundAlmsDown) {
    using station::workflows::PushBackoff;
    const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
    struct Row {
        const char* name;
        bool stopped_unsettled;
        int retry_later;
        bool holding_after;
    };
    const std::vector<Row> table{{"ALMS down: held", true, 1, true},
                                 {"one unit to retry, push went on", false, 1, false},
                                 {"all settled", false, 0, false}};
    ASSERT_EQ(table.size(), 3U);
    for (const auto& row : table) {
        SCOPED_TRACE(row.name);
        PushBackoff backoff(30s);
        EXPECT_FALSE(backoff.holding(t0));
        PushSummary summary;
        summary.stopped_unsettled = row.stopped_unsettled;
        summary.retry_later = row.retry_later;
        backoff.after_push(summary, t0);
        EXPECT_EQ(backoff.holding(t0 + 29s), row.holding_after);
        EXPECT_FALSE(backoff.holding(t0 + 30s));
    }
    EXPECT_EQ(PushBackoff::k_stop_after_unsettled, 1);
}

}  // namespace
