// station provision --push through the built binary: routersim units on ptys, the local ALMS
// stand-in on 127.0.0.1 and a real SQLite file. Each PASS unit is registered once, in its own
// data center, while the pallet runs; with ALMS down the units still PASS and wait in the outbox
// until `station register push`; bad ALMS settings stop the run before any unit is touched.
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>

#include "alms_standin.hpp"
#include "json_lines.hpp"
#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;
using tests::json_lines;
using namespace std::chrono_literals;
namespace st = station::store;

constexpr std::chrono::seconds k_bound{120};
constexpr const char* k_na_secret = "na-secret";

class ProvisionPush : public testing::Test {
  protected:
    ProvisionPush() { write_credentials(standin.base_url("na"), standin.base_url("eu")); }

    std::string db() const { return m_dir.path() + "/station.db"; }
    std::string credentials() const { return m_dir.path() + "/credentials.toml"; }

    void write_credentials(const std::string& na_url, const std::string& eu_url) const {
        tests::write_credentials_file(credentials(), na_url, eu_url);
    }

    tests::ProcessResult provision(const tests::SimBench& bench, const std::string& profile,
                                   std::vector<std::string> extra) const {
        std::vector<std::string> a{tests::station_binary(),
                                   "provision",
                                   "--profile",
                                   profile,
                                   "--pallet",
                                   "P-PUSH",
                                   "--operator",
                                   "tester",
                                   "--db",
                                   db(),
                                   "--timeout-ms",
                                   "500",
                                   "--credentials",
                                   credentials(),
                                   "--manifest",
                                   bench.manifest()};
        for (const auto& port : bench.ports()) {
            a.push_back("--port");
            a.push_back(port.path);
        }
        a.insert(a.end(), extra.begin(), extra.end());
        auto r = tests::run_process(a, k_bound);
        EXPECT_FALSE(r.timed_out);
        EXPECT_EQ(r.out.find(k_na_secret), std::string::npos) << "secret on stdout";
        EXPECT_EQ(r.err.find(k_na_secret), std::string::npos) << "secret on stderr";
        return r;
    }

    std::size_t outbox(std::optional<st::OutboxState> state) const {
        auto store = st::Store::open(db());
        EXPECT_TRUE(store);
        if (!store) return 0;
        const auto rows = store->list_outbox(state, std::nullopt);
        return rows ? rows->size() : 0;
    }

    tests::AlmsStandin standin;
    tests::TempDir m_dir;
};

TEST_F(ProvisionPush, EachPassUnitIsRegisteredOnceInItsDataCenterDuringTheRun) {
    tests::SimBench bench({"xr90-na", "xr90-global"}, {}, {"--count", "3", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 6U);
    const auto r = provision(bench, "xr90-na", {"--push", "--json-events"});
    EXPECT_EQ(r.exit_code, 1) << "the Global units fail sku_mismatch\n" << r.out << r.err;
    const auto events = json_lines(r.out);
    int registered = 0;
    std::set<std::string> finished;  // slots whose unit_finished came before
    for (const auto& e : events) {
        ASSERT_TRUE(e.is_object()) << r.out;
        if (e["kind"] == "unit_finished") finished.insert(e["slot"].get<std::string>());
        if (e["kind"] != "unit_registered") continue;
        ++registered;
        EXPECT_EQ(finished.count(e["slot"].get<std::string>()), 1U)
            << "registered before it was shown finished: " << e.dump();
        EXPECT_EQ(e["outcome"], "PASS") << e.dump();
        EXPECT_EQ(e["data_center"], "na") << e.dump();
        EXPECT_EQ(e["step"], "registered") << e.dump();
        EXPECT_TRUE(e["slot"].is_string()) << "the event names the unit's slot: " << e.dump();
    }
    EXPECT_EQ(registered, 3) << r.out;
    EXPECT_EQ(standin.tenant("na").at("creates"), 3);
    EXPECT_EQ(standin.tenant("na").at("systems").size(), 3U);
    EXPECT_EQ(standin.tenant("eu").at("request_count"), 0) << "Global units are not this pallet's";
    EXPECT_EQ(outbox(st::OutboxState::registered), 3U);
    EXPECT_EQ(outbox(st::OutboxState::pending), 0U);

    // The same units again (a retest): nothing is created twice.
    const auto again = provision(bench, "xr90-na", {"--push"});
    EXPECT_NE(again.out.find("ALMS NA: 0 registered"), std::string::npos) << again.out;
    EXPECT_EQ(standin.tenant("na").at("creates"), 3);
}

TEST_F(ProvisionPush, AlmsDownTheUnitsStillPassAndWaitInTheOutbox) {
    write_credentials("http://127.0.0.1:" + std::to_string(tests::closed_loopback_port()) + "/na",
                      standin.base_url("eu"));
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "4", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 4U);
    const auto r = provision(bench, "xr90-na", {"--push"});
    EXPECT_EQ(r.exit_code, 0) << "the units passed; ALMS being down is not their fault\n"
                              << r.out << r.err;
    EXPECT_NE(r.out.find("4 queued (ALMS NA did not answer)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("station register push"), std::string::npos) << r.out;
    EXPECT_EQ(outbox(st::OutboxState::pending), 4U);

    // The network is back: a push delivers every unit, once.
    write_credentials(standin.base_url("na"), standin.base_url("eu"));
    const auto pushed = tests::run_process(
        {tests::station_binary(), "register", "push", "--db", db(), "--credentials", credentials()},
        k_bound);
    // Rows that failed a moment ago wait out their backoff first: push until all are in.
    for (int i = 0; i < 40 && outbox(st::OutboxState::registered) < 4U; ++i) {
        std::this_thread::sleep_for(500ms);
        (void)tests::run_process({tests::station_binary(), "register", "push", "--db", db(),
                                  "--credentials", credentials()},
                                 k_bound);
    }
    EXPECT_EQ(outbox(st::OutboxState::registered), 4U) << pushed.out << pushed.err;
    EXPECT_EQ(standin.tenant("na").at("creates"), 4);
    EXPECT_EQ(standin.tenant("na").at("rejected_creates"), 0);
}

TEST_F(ProvisionPush, BadAlmsSettingsStopTheRunBeforeAnyUnit) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 1U);
    ::chmod(credentials().c_str(), 0644);
    const auto r = provision(bench, "xr90-na", {"--push"});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(credentials()), std::string::npos) << "names the file: " << r.err;
    EXPECT_EQ(r.out.find("unit_started"), std::string::npos);
    EXPECT_EQ(standin.tenant("na").at("request_count"), 0);

    std::vector<std::string> a{tests::station_binary(),
                               "provision",
                               "--profile",
                               "xr90-na",
                               "--pallet",
                               "P",
                               "--db",
                               db(),
                               "--port",
                               bench.ports()[0].path,
                               "--credentials",
                               credentials()};
    EXPECT_EQ(tests::run_process(a, k_bound).exit_code, 64) << "--credentials without --push";
}

}  // namespace
