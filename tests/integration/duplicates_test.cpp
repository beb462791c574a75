// Two units that share a SIM identity, through the built station and routersim: both are held
// (FAIL duplicate_iccid, each naming the other) in either order of arrival, the earlier one's
// registration is withdrawn (or, already sent, reported to inspect), the same across runs, and a
// unit re-tested alone is not its own duplicate. The order is forced: one routersim answers at
// once, the other after a per-command latency, so the fast unit always reaches the duplicate
// check first. Each test holds both units on the pallet or across runs, so none passes on a
// station that lets the first unit seen through.
#include <map>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>

#include "json_lines.hpp"
#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace st = station::store;

constexpr std::chrono::seconds k_bound{120};
constexpr const char* k_clone_fsn = "XR9N2301289999";
constexpr const char* k_shared_iccid = "89014104273001549164";
const std::string k_clone =
    STATION_SOURCE_DIR "/fixtures/personalities/cases/xr90-na-dup-iccid.toml";

enum class First { genuine, clone };

class Duplicates : public testing::Test {
  protected:
    std::string db() const { return m_dir.path() + "/station.db"; }

    // A routersim with one unit; `slow`: 150 ms per command, so it arrives second.
    static std::unique_ptr<tests::SimBench> unit(const std::string& personality, bool slow) {
        return std::make_unique<tests::SimBench>(
            std::vector<std::string>{personality}, std::vector<std::string>{},
            std::vector<std::string>{"--latency-ms", slow ? "150" : "0"});
    }

    tests::ProcessResult provision(const std::vector<const tests::SimBench*>& benches,
                                   const std::string& pallet, bool json_events) const {
        std::vector<std::string> a{tests::station_binary(),
                                   "provision",
                                   "--profile",
                                   "xr90-na",
                                   "--pallet",
                                   pallet,
                                   "--operator",
                                   "tester",
                                   "--db",
                                   db(),
                                   "--timeout-ms",
                                   "2000"};
        for (const auto* bench : benches) {
            for (const auto& port : bench->ports()) {
                a.push_back("--port");
                a.push_back(port.path);
            }
        }
        if (json_events) a.push_back("--json-events");
        a.push_back("--no-manifest");  // the SIM and the images decide these NA units
        return tests::run_process(a, k_bound);
    }

    tests::ProcessResult station(std::vector<std::string> args) const {
        args.insert(args.begin(), tests::station_binary());
        args.push_back("--db");
        args.push_back(db());
        return tests::run_process(args, 30s);
    }

    std::vector<st::OutboxRow> outbox(std::optional<st::OutboxState> state) const {
        auto store = st::Store::open(db());
        EXPECT_TRUE(store) << store.error().message;
        auto rows = store->list_outbox(state);
        EXPECT_TRUE(rows);
        return *rows;
    }

    // The last word on each slot: unit_finished, then any unit_changed after it.
    static std::map<std::string, json> final_by_slot(const std::vector<json>& events) {
        std::map<std::string, json> out;
        for (const auto& e : events) {
            const std::string kind = e.value("kind", "");
            if (kind == "unit_finished" || kind == "unit_changed") out[e["slot"]] = e;
        }
        return out;
    }

    tests::TempDir m_dir;
};

class DuplicatesOnOnePallet : public Duplicates, public testing::WithParamInterface<First> {};

TEST_P(DuplicatesOnOnePallet, BothUnitsAreHeldWhicheverArrivesFirst) {
    const bool genuine_first = GetParam() == First::genuine;
    const auto genuine = unit("xr90-na", !genuine_first);
    const auto clone = unit(k_clone, genuine_first);
    ASSERT_EQ(genuine->ports().size(), 1U);
    ASSERT_EQ(clone->ports().size(), 1U);
    const std::string genuine_slot = genuine->ports()[0].path;
    const std::string clone_slot = clone->ports()[0].path;
    const std::string genuine_fsn = genuine->ports()[0].fsn;

    const auto r = provision({genuine.get(), clone.get()}, "P-DUP", true);
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 1) << "both FAIL\n" << r.out << r.err;
    const auto events = tests::json_lines(r.out);
    auto last = final_by_slot(events);
    ASSERT_EQ(last.size(), 2U) << r.out;
    for (const auto& [slot, other_fsn, other_slot] :
         {std::tuple{genuine_slot, std::string(k_clone_fsn), clone_slot},
          std::tuple{clone_slot, genuine_fsn, genuine_slot}}) {
        EXPECT_EQ(last[slot]["outcome"], "FAIL") << slot << "\n" << r.out;
        EXPECT_EQ(last[slot]["reason"], "duplicate_iccid") << slot;
        const std::string message = last[slot].value("message", "");
        EXPECT_NE(message.find(k_shared_iccid), std::string::npos) << message;
        EXPECT_NE(message.find("unit " + other_fsn + " (slot " + other_slot), std::string::npos)
            << slot << " names the other unit: " << message;
    }
    // The first one seen had passed: its result changed on screen, its row withdrawn.
    const std::string first_slot = genuine_first ? genuine_slot : clone_slot;
    EXPECT_EQ(last[first_slot]["kind"], "unit_changed") << r.out;
    EXPECT_TRUE(outbox(st::OutboxState::pending).empty());
    const auto withdrawn = outbox(st::OutboxState::withdrawn);
    ASSERT_EQ(withdrawn.size(), 1U);
    EXPECT_EQ(withdrawn[0].registration.fsn, genuine_first ? genuine_fsn : k_clone_fsn);

    // The store says what the screen said.
    auto store = st::Store::open(db());
    ASSERT_TRUE(store);
    auto rows = store->results_for_lot("P-DUP");
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 2U);
    for (const auto& row : *rows) {
        EXPECT_EQ(row.slot.outcome, station::core::Outcome::fail) << row.slot.start.slot;
        EXPECT_EQ(row.slot.reason, station::core::Reason::duplicate_iccid);
    }
    EXPECT_EQ(store->run((*rows)[0].run.id).value()->outcome, station::core::Outcome::fail);

    // `register push` has nothing to send (no credentials needed), `status` shows the row.
    const auto push = station({"register", "push"});
    EXPECT_EQ(push.exit_code, 0) << push.out << push.err;
    EXPECT_NE(push.out.find("nothing waiting"), std::string::npos) << push.out;
    const auto status = station({"register", "status"});
    EXPECT_NE(status.out.find("na withdrawn 1"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("withdrawn: na"), std::string::npos) << status.out;
}

std::string order_name(const testing::TestParamInfo<First>& order) {
    return order.param == First::genuine ? "GenuineFirst" : "CloneFirst";
}

INSTANTIATE_TEST_SUITE_P(Orders, DuplicatesOnOnePallet,
                         testing::Values(First::genuine, First::clone), order_name);

TEST_F(Duplicates, PlainSummaryListsTheHeldUnit) {
    const auto genuine = unit("xr90-na", false);
    const auto clone = unit(k_clone, true);
    const auto r = provision({genuine.get(), clone.get()}, "P-DUP", false);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("unit_changed duplicate_held FAIL duplicate_iccid"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Shared SIM identity"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("PASS changed to FAIL; outbox row withdrawn"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Units to pull (2;"), std::string::npos) << r.out;
}

TEST_F(Duplicates, HolderFromAnEarlierRunIsHeldAndItsRowWithdrawn) {
    const auto genuine = unit("xr90-na", false);
    const auto first = provision({genuine.get()}, "P-1", false);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    // Re-tested on its own (same FSN, same ICCID): not a duplicate of itself.
    const auto retest = provision({genuine.get()}, "P-1", false);
    EXPECT_EQ(retest.exit_code, 0) << retest.out << retest.err;
    EXPECT_EQ(retest.out.find("Shared SIM identity"), std::string::npos) << retest.out;
    ASSERT_EQ(outbox(st::OutboxState::pending).size(), 1U);

    const auto clone = unit(k_clone, false);
    const auto second = provision({clone.get()}, "P-2", true);
    EXPECT_EQ(second.exit_code, 1) << second.out << second.err;
    auto last = final_by_slot(tests::json_lines(second.out));
    const std::string message = last[clone->ports()[0].path].value("message", "");
    EXPECT_EQ(last[clone->ports()[0].path]["reason"], "duplicate_iccid");
    EXPECT_NE(message.find("unit " + genuine->ports()[0].fsn + " (slot " +
                           genuine->ports()[0].path + ", run 2)"),
              std::string::npos)
        << message;
    EXPECT_TRUE(outbox(st::OutboxState::pending).empty());
    EXPECT_EQ(outbox(st::OutboxState::withdrawn).size(), 1U);

    const auto history = station({"history", "--fsn", genuine->ports()[0].fsn, "--json"});
    EXPECT_NE(history.out.find("duplicate_iccid"), std::string::npos)
        << "run 1's unit is FAIL now\n"
        << history.out;
    const auto status = station({"register", "status", "--json"});
    const auto parsed = json::parse(status.out, nullptr, false);
    ASSERT_TRUE(parsed.is_object()) << status.out;
    EXPECT_EQ(parsed["counts"]["na"]["withdrawn"], 1);
    EXPECT_EQ(parsed["counts"]["na"]["pending"], 0);
    ASSERT_EQ(parsed["held"].size(), 1U);
    EXPECT_EQ(parsed["held"][0]["state"], "withdrawn");
    EXPECT_EQ(parsed["held"][0]["to_inspect"], false);
}

TEST_F(Duplicates, HolderAlreadySentToAlmsIsReportedToInspect) {
    const auto genuine = unit("xr90-na", false);
    ASSERT_EQ(provision({genuine.get()}, "P-1", false).exit_code, 0);
    {
        auto store = st::Store::open(db());
        ASSERT_TRUE(store);
        const auto now = std::chrono::system_clock::now();
        auto claimed =
            store->claim_pending(station::core::DataCenter::na, 1, {"test-pusher", now, now + 60s});
        ASSERT_TRUE(claimed && claimed->size() == 1U);
        ASSERT_TRUE(store->mark_registered(claimed->front().id, "test-pusher", "uid-1", now));
    }
    const auto clone = unit(k_clone, false);
    const auto second = provision({clone.get()}, "P-2", false);
    EXPECT_EQ(second.exit_code, 1) << second.out << second.err;
    EXPECT_NE(second.out.find("ALREADY SENT to ALMS though its SIM is shared: to inspect"),
              std::string::npos)
        << second.out;
    const auto registered = outbox(st::OutboxState::registered);
    ASSERT_EQ(registered.size(), 1U) << "a sent row is not withdrawn";
    const auto status = station({"register", "status"});
    EXPECT_NE(status.out.find("to inspect: na " + genuine->ports()[0].fsn), std::string::npos)
        << status.out;
    EXPECT_NE(status.out.find("registered in ALMS though its SIM is shared"), std::string::npos)
        << status.out;
}

}  // namespace
