// The RegressLog role on a real SQLite file (and on the in-memory fake, which must agree): nights
// of a rig, their iteration runs, round trips per slot result, and regress_nights (finished
// nights of one rig before a time, newest first, the final attempt of each slot per iteration).
#include <fstream>
#include <sstream>

#include <memory_store.hpp>
#include <station/store/regress_log.hpp>

#include "store_fixture.hpp"

namespace tests::store {
namespace {

using station::core::NightSlot;
using station::core::RoundTrip;
using std::chrono::microseconds;

constexpr std::int64_t k_day_ms = 86'400'000;

// One unit attempt in a slot of one iteration; attempts of a slot in an iteration are numbered
// in the order given. `finished` false: the attempt was never finished (killed).
struct Attempt {
    std::string slot;
    int iteration = 1;
    Outcome outcome = Outcome::pass;
    std::string fsn;
    std::vector<RoundTrip> trips;
    bool finished = true;
};

// Writes a night of `rig` started `day` days after at_ms(0) through the roles, every iteration a
// regress run; finished with `exit_code` when given. Returns the night's id.
std::int64_t write_night(st::Roles roles, const std::string& rig, std::int64_t day,
                         const std::vector<Attempt>& attempts, std::optional<int> exit_code = 0) {
    const auto started = at_ms(day * k_day_ms);
    const auto night = ok(roles.regress.open_night(rig, "/etc/station/golden.toml", started));
    std::map<int, std::vector<const Attempt*>> by_iteration;
    for (const auto& a : attempts) by_iteration[a.iteration].push_back(&a);
    for (const auto& [iteration, list] : by_iteration) {
        auto info = sample_run(rig, st::RunMode::regress);
        info.started = started;
        const auto run = ok(roles.runs.begin_run(info));
        ok(roles.regress.link_iteration(night, run, iteration));
        std::map<std::string, int> tries;
        for (const auto* a : list) {
            auto start = sample_slot(a->slot, ++tries[a->slot]);
            start.started = started;
            const auto slot = ok(roles.runs.begin_slot(run, start));
            if (a->finished) {
                auto finish =
                    sample_finish(a->fsn, "353270090000011", "89014104279999999995", a->outcome);
                finish.ended = started;
                ok(roles.runs.finish_slot(slot, finish));
            }
            ok(roles.regress.record_round_trips(slot, a->trips));
        }
        ok(roles.runs.finish_run(run, Outcome::pass, started));
    }
    if (exit_code) ok(roles.regress.finish_night(night, *exit_code, started));
    return night;
}

RoundTrip trip(const std::string& command, std::int64_t micros) {
    return RoundTrip{command, microseconds(micros)};
}

// A NightSlot as one line, to compare backends and expectations.
std::string text(const NightSlot& s) {
    std::ostringstream out;
    out << s.night << " run " << s.run << " " << s.slot << " " << s.fsn << " [";
    for (const auto o : s.outcomes) out << station::core::to_string(o) << " ";
    out << "]";
    for (const auto& [command, ms] : s.round_trip_ms) {
        out << " " << command << ":";
        for (const double v : ms) out << v << ",";
    }
    return out.str();
}

std::vector<std::string> texts(const std::vector<NightSlot>& slots) {
    std::vector<std::string> out;
    for (const auto& s : slots) out.push_back(text(s));
    return out;
}

// Two slots passing in two iterations, with round trips.
std::vector<Attempt> quiet_night() {
    return {{"A2", 1, Outcome::pass, "FSN-B", {trip("ATI", 2000)}},
            {"A1", 1, Outcome::pass, "FSN-A", {trip("ATI", 1500), trip("AT+CIMI", 3000)}},
            {"A1", 2, Outcome::pass, "FSN-A", {trip("ATI", 1600)}},
            {"A2", 2, Outcome::pass, "FSN-B", {trip("ATI", 2100)}}};
}

class RegressLogTest : public StoreTest {
  protected:
    void SetUp() override { m_store.emplace(open_store()); }
    st::Store& store() { return *m_store; }

    std::optional<st::Store> m_store;
};

void expect_error(const station::core::Result<void>& result, const std::string& part) {
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find(part), std::string::npos) << result.error().message;
}

TEST_F(RegressLogTest, NightsOpenLinkTheirRegressRunsAndFinishOnce) {
    const auto night = ok(store().open_night("RIG-1", "golden.toml", at_ms(0)));
    EXPECT_GT(ok(store().open_night("RIG-1", "golden.toml", at_ms(1))), night);
    EXPECT_FALSE(store().open_night("", "golden.toml", at_ms(0)));
    const auto run = ok(store().begin_run(sample_run("RIG-1", st::RunMode::regress)));
    const auto pallet = ok(store().begin_run(sample_run("PAL-1")));

    expect_error(store().link_iteration(night + 50, run, 1), "no such night");
    expect_error(store().link_iteration(night, st::RunId{run.value + 50}, 1), "no such run");
    expect_error(store().link_iteration(night, pallet, 1), "run of mode provision");
    expect_error(store().link_iteration(night, run, 0), "iterations count from 1");
    ok(store().link_iteration(night, run, 1));
    ok(store().link_iteration(night, run, 1));  // again: nothing changes
    expect_error(store().link_iteration(night, run, 2), "already iteration 1 of night");
    const auto second = ok(store().begin_run(sample_run("RIG-1", st::RunMode::regress)));
    EXPECT_FALSE(store().link_iteration(night, second, 1)) << "one run per iteration";
    ok(store().link_iteration(night, second, 2));

    expect_error(store().finish_night(night + 50, 0, at_ms(9)), "no such night");
    ok(store().finish_night(night, 1, at_ms(9)));
    expect_error(store().finish_night(night, 0, at_ms(10)), "already finished");
    EXPECT_EQ(raw_int(db_path(),
                      "SELECT exit_code FROM regress_nights WHERE id = " + std::to_string(night)),
              1);
    EXPECT_TRUE(ok(store().check()).ok());
}

TEST_F(RegressLogTest, RoundTripsAreReplacedAndReadInOrder) {
    const auto run = ok(store().begin_run(sample_run("RIG-1", st::RunMode::regress)));
    const auto slot = ok(store().begin_slot(run, sample_slot()));
    EXPECT_TRUE(ok(store().round_trips(slot)).empty());
    ok(store().record_round_trips(slot, {trip("ATI", 1500), trip("AT+CIMI", 30), trip("ATI", 7)}));
    auto read = ok(store().round_trips(slot));
    ASSERT_EQ(read.size(), 3U);
    EXPECT_EQ(read[0].command, "ATI");
    EXPECT_EQ(read[0].took, microseconds(1500));
    EXPECT_EQ(read[1].command, "AT+CIMI");
    EXPECT_EQ(read[2].took, microseconds(7));
    ok(store().record_round_trips(slot, {trip("ATI;+CIMI", 4200)}));
    read = ok(store().round_trips(slot));
    ASSERT_EQ(read.size(), 1U);
    EXPECT_EQ(read[0].command, "ATI;+CIMI");
    EXPECT_EQ(read[0].took, microseconds(4200));
    expect_error(store().record_round_trips(st::SlotResultId{slot.value + 9}, {trip("ATI", 1)}),
                 "no such slot result");
}

TEST_F(RegressLogTest, NightsNewestFirstLimitedBeforeAndFinishedOnlyOfTheRig) {
    std::vector<std::int64_t> nights;
    for (std::int64_t day = 0; day < 4; ++day) {
        nights.push_back(write_night(store(), "RIG-1", day, quiet_night()));
    }
    write_night(store(), "RIG-1", 4, quiet_night(), std::nullopt);  // unfinished (killed)
    write_night(store(), "RIG-2", 5, quiet_night());                // another rig

    const auto last_two = ok(store().regress_nights("RIG-1", at_ms(10 * k_day_ms), 2));
    ASSERT_EQ(last_two.size(), 4U);  // two nights of two slots
    // at_ms(0) is 2026-09-21T14:13:20Z.
    EXPECT_EQ(
        texts(last_two),
        (std::vector<std::string>{
            "2026-09-24 run " + std::to_string(nights[3]) +
                " A1 FSN-A [PASS PASS ] AT+CIMI:3, ATI:1.5,1.6,",
            "2026-09-24 run " + std::to_string(nights[3]) + " A2 FSN-B [PASS PASS ] ATI:2,2.1,",
            "2026-09-23 run " + std::to_string(nights[2]) +
                " A1 FSN-A [PASS PASS ] AT+CIMI:3, ATI:1.5,1.6,",
            "2026-09-23 run " + std::to_string(nights[2]) + " A2 FSN-B [PASS PASS ] ATI:2,2.1,"}));
    // Before the start of day 2: nights 1 and 0.
    const auto earlier = ok(store().regress_nights("RIG-1", at_ms(2 * k_day_ms), 7));
    ASSERT_EQ(earlier.size(), 4U);
    EXPECT_EQ(earlier[0].run, nights[1]);
    EXPECT_EQ(earlier[2].run, nights[0]);
    EXPECT_EQ(earlier[2].night, "2026-09-21");
    EXPECT_EQ(ok(store().regress_nights("RIG-1", at_ms(10 * k_day_ms), 30)).size(), 8U);
    EXPECT_TRUE(ok(store().regress_nights("RIG-1", at_ms(10 * k_day_ms), 0)).empty());
    EXPECT_TRUE(ok(store().regress_nights("RIG-3", at_ms(10 * k_day_ms), 7)).empty());
    EXPECT_EQ(ok(store().regress_nights("RIG-2", at_ms(10 * k_day_ms), 7)).size(), 2U);
}

// An ERROR is retried within the run: each iteration counts the slot's final attempt, with its
// round trips only; the unit is the one the night's last attempt that read an FSN saw.
std::vector<Attempt> retried_night() {
    return {{"A1", 1, Outcome::error, "FSN-A", {trip("ATI", 900'000)}},
            {"A1", 1, Outcome::pass, "FSN-A", {trip("ATI", 1000)}},
            {"A2", 1, Outcome::pass, "FSN-B", {trip("ATI", 2000)}},
            {"A1", 2, Outcome::fail, "FSN-A", {trip("ATI", 1100)}},
            {"A2", 2, Outcome::error, "FSN-B2", {trip("ATI", 5000)}},
            {"A2", 2, Outcome::error, "", {trip("ATI", 6000)}},
            {"A3", 1, Outcome::pass, "FSN-C", {}},
            {"A3", 2, Outcome::pass, "FSN-C", {}, false}};
}

TEST_F(RegressLogTest, EachIterationCountsTheSlotsFinalAttempt) {
    const auto night = write_night(store(), "RIG-1", 0, retried_night(), 2);
    const auto slots = ok(store().regress_nights("RIG-1", at_ms(k_day_ms), 7));
    const std::string run = "2026-09-21 run " + std::to_string(night);
    EXPECT_EQ(texts(slots), (std::vector<std::string>{run + " A1 FSN-A [PASS FAIL ] ATI:1,1.1,",
                                                      run + " A2 FSN-B2 [PASS ERROR ] ATI:2,6,",
                                                      run + " A3 FSN-C [PASS ABORTED ]"}));
}

TEST_F(RegressLogTest, TheMemoryFakeGivesTheSameNights) {
    MemoryStore fake;
    for (st::Roles roles : {st::Roles(store()), st::Roles(fake)}) {
        write_night(roles, "RIG-1", 0, retried_night(), 1);
        write_night(roles, "RIG-1", 1, quiet_night(), 0);
        write_night(roles, "RIG-2", 1, quiet_night(), 0);
        write_night(roles, "RIG-1", 2, retried_night(), std::nullopt);
        write_night(roles, "RIG-1", 3, quiet_night(), 0);
    }
    for (const int n : {1, 2, 7}) {
        for (const std::int64_t before : {0, 2, 9}) {
            const auto want =
                texts(ok(store().regress_nights("RIG-1", at_ms(before * k_day_ms), n)));
            EXPECT_EQ(texts(ok(fake.regress_nights("RIG-1", at_ms(before * k_day_ms), n))), want)
                << n << " nights before day " << before;
        }
    }
    // Nights 3, 1 (two slots each) and 0 (three); night 2 never finished.
    EXPECT_EQ(ok(fake.regress_nights("RIG-1", at_ms(9 * k_day_ms), 7)).size(), 7U);
}

TEST_F(RegressLogTest, AVersion9FileMigratesAndItsRegressRunJoinsANight) {
    m_store.reset();
    std::ifstream in(std::string(STATION_SOURCE_DIR) + "/tests/data/store/v9.sql");
    std::stringstream sql;
    sql << in.rdbuf();
    std::filesystem::remove(db_path());
    raw_sql(db_path(), sql.str());
    m_store.emplace(open_store());
    EXPECT_EQ(ok(store().findings(st::SlotResultId{3})).size(), 1U);
    const auto night =
        ok(store().open_night("RIG-1", "golden.toml", st::from_ms(1'700'086'400'000)));
    ok(store().link_iteration(night, st::RunId{4}, 1));
    ok(store().record_round_trips(st::SlotResultId{4}, {trip("ATI", 1234)}));
    ok(store().finish_night(night, 0, st::from_ms(1'700'086'700'000)));
    const auto slots = ok(store().regress_nights("RIG-1", st::from_ms(1'800'000'000'000), 7));
    EXPECT_EQ(texts(slots), (std::vector<std::string>{"2023-11-15 run " + std::to_string(night) +
                                                      " A1 FSN-OLD-1 [PASS ] ATI:1.234,"}));
    EXPECT_TRUE(ok(store().check()).ok());
}

TEST_F(RegressLogTest, AFailingWriteNamesTheFileAndWhatFailed) {
    const auto missing = store().record_round_trips(st::SlotResultId{77}, {trip("ATI", 1)});
    expect_error(missing, db_path().string() + ": record round trips of slot result 77");
    ok(store().open_night("RIG-1", "golden.toml", at_ms(0)));
    m_store.reset();
    st::OpenOptions read_only;
    read_only.access = st::Access::read_only;
    m_store.emplace(open_store(read_only));
    const auto opened = store().open_night("RIG-1", "golden.toml", at_ms(0));
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find(db_path().string() + ": open night of rig RIG-1"),
              std::string::npos)
        << opened.error().message;
    expect_error(store().finish_night(1, 0, at_ms(1)), db_path().string() + ": finish night 1");
}

}  // namespace
}  // namespace tests::store
