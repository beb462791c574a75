// station retest through the built binary (issue 16): units provisioned first with `station
// provision` (registered through the local ALMS stand-in, or left queued), then retested changed
// on routersim ptys (--iccid, --imei, --fsn, --firmware): every finding listed with its evidence,
// the verdict and the action, the exit status, the SKU's basis, --reregister's one update row,
// and usage errors. Real SQLite, real ptys.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>

#include "alms_standin.hpp"
#include "json_lines.hpp"
#include "process.hpp"
#include "sim_bench.hpp"
#include "unit_numbers.hpp"

namespace {

using nlohmann::json;
namespace st = station::store;

constexpr std::chrono::seconds k_bound{120};
// The shipped personalities' identities (fixtures/personalities/xr90-*.toml).
constexpr const char* k_na_fsn = "XR9N2301280017";
constexpr const char* k_global_fsn = "XR9G2302140042";
constexpr const char* k_global_imei = "354125080177329";

std::vector<std::string> kinds_of(const json& unit) {
    std::vector<std::string> kinds;
    for (const auto& f : unit.at("findings")) kinds.push_back(f.at("kind").get<std::string>());
    return kinds;
}

class Retest : public testing::Test {
  protected:
    Retest() {
        tests::write_credentials_file(credentials(), standin.base_url("na"),
                                      standin.base_url("eu"));
    }

    std::string db() const { return m_dir.path() + "/station.db"; }
    std::string credentials() const { return m_dir.path() + "/credentials.toml"; }

    static std::vector<std::string> ports(const tests::SimBench& bench) {
        std::vector<std::string> a;
        for (const auto& port : bench.ports()) {
            a.push_back("--port");
            a.push_back(port.path);
        }
        return a;
    }

    // Provisions the bench's units (registered in ALMS with `push`, else left queued).
    void provision(const tests::SimBench& bench, const std::string& profile, bool push) const {
        std::vector<std::string> a{tests::station_binary(),
                                   "provision",
                                   "--profile",
                                   profile,
                                   "--pallet",
                                   "P-1",
                                   "--db",
                                   db(),
                                   "--timeout-ms",
                                   "500",
                                   "--manifest",
                                   bench.manifest()};
        if (push) a.insert(a.end(), {"--push", "--credentials", credentials()});
        for (const auto& p : ports(bench)) a.push_back(p);
        const auto r = tests::run_process(a, k_bound);
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    }

    tests::ProcessResult retest(const tests::SimBench& bench, std::vector<std::string> extra,
                                bool json_events = true) const {
        std::vector<std::string> a{
            tests::station_binary(), "retest", "--rma", "RMA-7", "--db", db(),
            "--timeout-ms",          "500"};
        if (json_events) a.push_back("--json-events");
        for (const auto& p : ports(bench)) a.push_back(p);
        a.insert(a.end(), extra.begin(), extra.end());
        auto r = tests::run_process(a, k_bound);
        EXPECT_FALSE(r.timed_out);
        return r;
    }

    // The last unit_finished event of each slot of a --json-events run (an ERROR is retried).
    static std::vector<json> units(const tests::ProcessResult& r) {
        std::vector<json> out;
        std::map<std::string, std::size_t> slot_at;
        for (const auto& e : tests::json_lines(r.out)) {
            if (!e.is_object() || e.at("kind") != "unit_finished") continue;
            const auto slot = e.at("slot").get<std::string>();
            if (const auto at = slot_at.find(slot); at != slot_at.end()) {
                out[at->second] = e;
            } else {
                slot_at.emplace(slot, out.size());
                out.push_back(e);
            }
        }
        return out;
    }

    static json only_unit(const tests::ProcessResult& r) {
        const auto all = units(r);
        EXPECT_EQ(all.size(), 1U) << r.out << r.err;
        return all.empty() ? json::object({{"findings", json::array()}}) : all.front();
    }

    std::vector<st::OutboxRow> outbox() const {
        auto store = st::Store::open(db());
        EXPECT_TRUE(store);
        if (!store) return {};
        auto rows = store->list_outbox();
        EXPECT_TRUE(rows);
        return rows ? *rows : std::vector<st::OutboxRow>{};
    }

    tests::AlmsStandin standin;
    tests::TempDir m_dir;
};

// The unit as provisioned: PASS, nothing found, shipped back; its SKU from its record.
TEST_F(Retest, AnUnchangedRegisteredUnitPassesOnItsRecord) {
    tests::SimBench bench({"xr90-global"}, {}, {"--latency-ms", "0"});
    provision(bench, "xr90-global", true);
    const auto r = retest(bench, {"--customer", "ACME", "--note", "returned: no signal"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto u = only_unit(r);
    EXPECT_EQ(u.value("outcome", ""), "PASS") << u.dump();
    EXPECT_EQ(u.value("sku_basis", ""), "history") << "a Global unit has no signals of its own";
    EXPECT_EQ(u.value("profile", ""), "xr90-global");
    EXPECT_TRUE(u.at("findings").empty()) << u.dump();
    EXPECT_EQ(u.value("action", ""), "ship back");
}

struct Change {
    const char* what;
    std::vector<std::string> sim;     // routersim options for the returned unit
    std::vector<std::string> retest;  // station retest options
    int exit_code;
    const char* outcome;
    const char* reason;                 // "" for none
    std::vector<std::string> findings;  // every kind, in order
    const char* action;
};

void PrintTo(const Change& c, std::ostream* os) {
    *os << c.what;
}

class RetestChanged : public Retest, public testing::WithParamInterface<Change> {};

// Provisioned NA and registered, then returned changed.
TEST_P(RetestChanged, ListsEveryFindingWithItsEvidence) {
    const auto& c = GetParam();
    {
        tests::SimBench shipped({"xr90-na"}, {}, {"--latency-ms", "0"});
        provision(shipped, "xr90-na", true);
    }
    std::vector<std::string> args = c.sim;
    args.insert(args.end(), {"--latency-ms", "0", "xr90-na"});
    tests::SimBench returned({}, {}, args);
    ASSERT_EQ(returned.ports().size(), 1U);
    const auto r = retest(returned, c.retest);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
    const auto u = only_unit(r);
    EXPECT_EQ(u.value("outcome", ""), c.outcome) << u.dump();
    if (*c.reason) {
        EXPECT_EQ(u.value("reason", ""), c.reason) << u.dump();
    } else {
        EXPECT_TRUE(u.at("reason").is_null()) << u.dump();
    }
    EXPECT_EQ(kinds_of(u), c.findings) << u.dump();
    EXPECT_EQ(u.value("action", ""), c.action) << u.dump();
    for (const auto& f : u.at("findings")) {
        EXPECT_FALSE(f.at("now").get<std::string>().empty()) << f.dump();
        if (f.at("kind") != "never_provisioned") {
            EXPECT_NE(f.at("seen").get<std::string>().find("P-1"), std::string::npos)
                << "where it was provisioned: " << f.dump();
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Findings, RetestChanged,
    testing::Values(Change{"SIM swapped",
                           {"--iccid", tests::iccid_for(7)},
                           {},
                           1,
                           "FAIL",
                           "sim_swapped",
                           {"sim_swapped"},
                           "re-register"},
                    Change{"module replaced: same FSN, other IMEI",
                           {"--imei", tests::imei_for(7)},
                           {},
                           1,
                           "FAIL",
                           "imei_changed",
                           {"imei_changed"},
                           "scrap"},
                    Change{"firmware downgraded: informational",
                           {"--firmware", "01.14.10.00"},
                           {},
                           0,
                           "PASS",
                           "",
                           {"firmware_downgraded"},
                           "ship back"},
                    Change{"a unit never seen (its SKU by the two-vote rule and --profile)",
                           {"--fsn", "XR9N2399990001", "--imei", tests::imei_for(8), "--iccid",
                            tests::iccid_for(8)},
                           {"--profile", "xr90-na"},
                           1,
                           "FAIL",
                           "never_provisioned",
                           {"never_provisioned"},
                           "scrap"}));

TEST_F(Retest, AQueuedUnitNeverRegisteredIsNotRegistered) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    provision(bench, "xr90-na", false);
    const auto r = retest(bench, {});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const auto u = only_unit(r);
    EXPECT_EQ(u.value("reason", ""), "not_registered") << u.dump();
    EXPECT_EQ(kinds_of(u), std::vector<std::string>{"not_registered"});
    EXPECT_EQ(u.value("action", ""), "re-register");
}

// Provisioned Global; back with an NA SIM and NA carrier image: its signals veto the record and
// decide NA on their own, so the SKU changed.
TEST_F(Retest, AGlobalUnitNowReadingNaIsSkuChanged) {
    {
        tests::SimBench shipped({"xr90-global"}, {}, {"--latency-ms", "0"});
        provision(shipped, "xr90-global", true);
    }
    tests::SimBench returned(
        {}, {}, {"--fsn", k_global_fsn, "--imei", k_global_imei, "--latency-ms", "0", "xr90-na"});
    const auto r = retest(returned, {});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const auto u = only_unit(r);
    EXPECT_EQ(u.value("reason", ""), "sku_changed") << u.dump();
    EXPECT_EQ(kinds_of(u), (std::vector<std::string>{"sku_changed", "sim_swapped"}));
    EXPECT_EQ(u.value("profile", ""), "xr90-na");
    EXPECT_EQ(u.value("action", ""), "scrap");
    ASSERT_FALSE(u.at("signals").empty());
    EXPECT_EQ(u.at("signals").front().value("source", ""), "history") << "the vetoed record";
}

TEST_F(Retest, APartNumberDecidesAUnitWithoutRecord) {
    tests::SimBench bench({"xr90-global"}, {}, {"--latency-ms", "0"});
    const auto undecided = retest(bench, {});
    EXPECT_EQ(only_unit(undecided).value("reason", ""), "sku_undecided")
        << "a Smart SIM and GENERIC image decide nothing: " << undecided.out;
    const auto r = retest(bench, {"--part-number", "1104514"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const auto u = only_unit(r);
    EXPECT_EQ(u.value("sku_basis", ""), "part_number") << u.dump();
    EXPECT_EQ(u.value("profile", ""), "xr90-global");
    EXPECT_EQ(u.value("reason", ""), "never_provisioned");
}

TEST_F(Retest, ReregisterQueuesOneUpdateForASwappedSim) {
    {
        tests::SimBench shipped({"xr90-na"}, {}, {"--latency-ms", "0"});
        provision(shipped, "xr90-na", true);
    }
    const std::string sim = tests::iccid_for(9);
    tests::SimBench returned({}, {}, {"--iccid", sim, "--latency-ms", "0", "xr90-na"});
    for (int pass = 0; pass < 2; ++pass) {  // a second retest queues nothing more
        const auto r = retest(returned, {"--reregister"});
        EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
        EXPECT_EQ(only_unit(r).value("reason", ""), "sim_swapped");
    }
    int updates = 0;
    int creates = 0;
    for (const auto& row : outbox()) {
        if (row.registration.action == st::OutboxAction::update) {
            ++updates;
            EXPECT_EQ(row.registration.iccid, sim);
            EXPECT_EQ(row.registration.fsn, k_na_fsn);
            EXPECT_EQ(row.registration.data_center, station::core::DataCenter::na);
            EXPECT_EQ(row.state, st::OutboxState::pending);
        } else {
            ++creates;
            EXPECT_EQ(row.state, st::OutboxState::registered);
        }
    }
    EXPECT_EQ(updates, 1);
    EXPECT_EQ(creates, 1);
    const auto status = tests::run_process(
        {tests::station_binary(), "register", "status", "--db", db(), "--json"}, k_bound);
    EXPECT_EQ(status.exit_code, 0) << status.err;
    EXPECT_NE(status.out.find("pending"), std::string::npos) << status.out;
}

// --alms-check against the stand-in: a unit registered as provisioned is found once, where it
// belongs, with its ICCID: PASS, nothing found.
TEST_F(Retest, AlmsCheckOfTheUnitAsRegisteredFindsNothing) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    provision(bench, "xr90-na", true);
    const auto r = retest(bench, {"--alms-check", "--credentials", credentials()});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto u = only_unit(r);
    EXPECT_EQ(u.value("outcome", ""), "PASS") << u.dump();
    EXPECT_TRUE(u.at("findings").empty()) << u.dump();
    EXPECT_GE(standin.tenant("eu").at("request_count").get<int>(), 1)
        << "both data centers are looked up";
}

// The same IMEI in the other data center too: alms_duplicate, FAIL, never a PASS.
TEST_F(Retest, AlmsCheckFindsTheUnitInBothDataCenters) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    provision(bench, "xr90-na", true);
    const auto rows = outbox();
    ASSERT_EQ(rows.size(), 1U);
    standin.seed_system("eu",
                        {{"uid", "eu-stray"},
                         {"name", rows.front().registration.fsn},
                         {"gateway",
                          {{"imei", rows.front().registration.imei},
                           {"serialNumber", rows.front().registration.fsn}}},
                         {"subscription", {{"identifier", rows.front().registration.iccid}}}});
    const auto r = retest(bench, {"--alms-check", "--credentials", credentials()});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const auto u = only_unit(r);
    EXPECT_EQ(u.value("reason", ""), "alms_duplicate") << u.dump();
    EXPECT_EQ(kinds_of(u), std::vector<std::string>{"alms_duplicate"}) << u.dump();
}

// End to end: a returned unit with another SIM is found swapped (by its record and in ALMS),
// --reregister queues one update, `register push` moves the one system to the new ICCID, a
// second push sends nothing, and the next retest finds ALMS up to date (only the swap remains).
TEST_F(Retest, AReregisteredUnitIsUpdatedInAlmsOnce) {
    {
        tests::SimBench shipped({"xr90-na"}, {}, {"--latency-ms", "0"});
        provision(shipped, "xr90-na", true);
    }
    const std::string sim = tests::iccid_for(9);
    tests::SimBench returned({}, {}, {"--iccid", sim, "--latency-ms", "0", "xr90-na"});
    const auto first =
        retest(returned, {"--alms-check", "--reregister", "--credentials", credentials()});
    EXPECT_EQ(first.exit_code, 1) << first.out << first.err;
    const auto swapped = only_unit(first);
    EXPECT_EQ(swapped.value("reason", ""), "sim_swapped") << swapped.dump();
    EXPECT_EQ(kinds_of(swapped), (std::vector<std::string>{"sim_swapped", "alms_iccid_stale"}))
        << swapped.dump();
    EXPECT_EQ(swapped.value("action", ""), "re-register") << swapped.dump();

    const std::vector<std::string> push{tests::station_binary(), "register",   "push", "--db", db(),
                                        "--credentials",         credentials()};
    const auto pushed = tests::run_process(push, k_bound);
    EXPECT_EQ(pushed.exit_code, 0) << pushed.out << pushed.err;
    json na = standin.tenant("na");
    ASSERT_EQ(na.at("systems").size(), 1U) << na.dump();
    EXPECT_EQ(na.at("systems")[0].at("subscription").at("identifier"), sim);
    EXPECT_EQ(na.at("creates"), 1);
    EXPECT_EQ(na.at("updates"), 1);

    const int requests = na.at("request_count").get<int>();
    const auto again = tests::run_process(push, k_bound);
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    na = standin.tenant("na");
    EXPECT_EQ(na.at("request_count").get<int>(), requests) << "nothing left to send";
    EXPECT_EQ(na.at("updates"), 1);
    EXPECT_EQ(standin.tenant("eu").at("systems").size(), 0U);

    const auto after = retest(returned, {"--alms-check", "--credentials", credentials()});
    EXPECT_EQ(kinds_of(only_unit(after)), std::vector<std::string>{"sim_swapped"}) << after.out;
}

TEST_F(Retest, AlmsCheckThatCannotReachAlmsIsErrorNeverPass) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    provision(bench, "xr90-na", true);
    const std::string down = "http://127.0.0.1:" + std::to_string(tests::closed_loopback_port());
    tests::write_credentials_file(credentials(), down + "/na", down + "/eu");
    const auto r = retest(bench, {"--alms-check", "--credentials", credentials()});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    const auto u = only_unit(r);
    EXPECT_EQ(u.value("outcome", ""), "ERROR") << u.dump();
    EXPECT_EQ(u.value("reason", ""), "alms_unavailable") << u.dump();
    EXPECT_TRUE(u.at("action").is_null()) << u.dump();
}

// ALMS not answering is not the slot's fault: units ending alms_unavailable never quarantine it.
TEST_F(Retest, AlmsDownNeverQuarantinesTheSlot) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    provision(bench, "xr90-na", true);
    const std::string down = "http://127.0.0.1:" + std::to_string(tests::closed_loopback_port());
    tests::write_credentials_file(credentials(), down + "/na", down + "/eu");
    for (int run = 0; run < 4; ++run) {
        const auto r = retest(bench, {"--alms-check", "--credentials", credentials()});
        EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
        EXPECT_EQ(only_unit(r).value("reason", ""), "alms_unavailable") << r.out;
    }
    const auto listed =
        tests::run_process({tests::station_binary(), "rig", "quarantined", "--db", db()}, k_bound);
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_EQ(listed.out.find(bench.ports().front().path), std::string::npos) << listed.out;
}

// The plain view's summary: every unit with its findings and the action.
TEST_F(Retest, TheSummaryListsEachUnitWithFindingsAndAction) {
    {
        tests::SimBench shipped({"xr90-na"}, {}, {"--latency-ms", "0"});
        provision(shipped, "xr90-na", true);
    }
    tests::SimBench returned({}, {},
                             {"--iccid", tests::iccid_for(3), "--firmware", "01.14.10.00",
                              "--latency-ms", "0", "xr90-na"});
    const auto r = retest(returned, {}, false);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("RMA RMA-7: run"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(std::string(k_na_fsn) + "  FAIL sim_swapped  action: re-register"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("sim_swapped (89014104273001549164 -> " + tests::iccid_for(3)),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("firmware_downgraded ("), std::string::npos) << r.out;
}

struct Usage {
    const char* what;
    std::vector<std::string> args;
    const char* says;
};

void PrintTo(const Usage& u, std::ostream* os) {
    *os << u.what;
}

class RetestUsage : public testing::TestWithParam<Usage> {};

TEST_P(RetestUsage, Exits64Naming) {
    tests::TempDir dir;
    std::vector<std::string> a{tests::station_binary(), "retest", "--db", dir.path() + "/s.db"};
    a.insert(a.end(), GetParam().args.begin(), GetParam().args.end());
    const auto r = tests::run_process(a, k_bound);
    EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
    EXPECT_NE(r.err.find(GetParam().says), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    BadArguments, RetestUsage,
    testing::Values(
        Usage{"no --rma", {"--port", "/dev/null"}, "rma"},
        Usage{"no slot", {"--rma", "R1"}, "--rig FILE or --port PATH"},
        Usage{"both --rig and --port",
              {"--rma", "R1", "--rig", "x.toml", "--port", "/dev/null"},
              "--rig FILE or --port PATH"},
        Usage{"--slot without --rig",
              {"--rma", "R1", "--port", "/dev/null", "--slot", "A1"},
              "--slot needs --rig"},
        Usage{"an unknown part number",
              {"--rma", "R1", "--port", "/dev/null", "--part-number", "9999999"},
              "--part-number 9999999 is listed by no profile"},
        Usage{"an unknown profile",
              {"--rma", "R1", "--port", "/dev/null", "--profile", "xr99"},
              "xr99"},
        Usage{"--credentials without --alms-check",
              {"--rma", "R1", "--port", "/dev/null", "--credentials", "c.toml"},
              "--credentials is only used with --alms-check"},
        Usage{"a missing port", {"--rma", "R1", "--port", "/nonexistent/tty"}, "/nonexistent/tty"},
        Usage{"an empty RMA", {"--rma", "", "--port", "/dev/null"}, "--rma is empty"}));

}  // namespace
