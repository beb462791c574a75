// station register push|status|export through the built binary, against the local ALMS
// stand-in on 127.0.0.1 and a real SQLite file: exactly once, offline and back, two pushers,
// SIGKILL mid-push, the data-center guard, conflicts, export, unsafe credentials.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include <station/store/store.hpp>
#include "alms_standin.hpp"
#include "process.hpp"
#include "unit_numbers.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using station::core::DataCenter;
using station::core::Region;
namespace st = station::store;

constexpr const char* k_station = STATION_BINARY_DIR "/station/station";
constexpr const char* k_na_secret = "na-secret";

using tests::iccid_for;
using tests::imei_for;
using tests::serial_for;

class RegisterCli : public testing::Test {
  protected:
    RegisterCli()
        : m_db(m_dir.path() + "/station.db"), m_credentials(m_dir.path() + "/credentials.toml") {
        write_credentials(standin.base_url("na"), standin.base_url("eu"));
        auto opened = st::Store::open(m_db);
        EXPECT_TRUE(opened) << opened.error().message;
    }

    void write_credentials(const std::string& na_url, const std::string& eu_url,
                           mode_t mode = 0600) const {
        tests::write_credentials_file(m_credentials, na_url, eu_url, mode);
    }

    st::Store store() {
        auto opened = st::Store::open(m_db);
        if (!opened) throw std::runtime_error(opened.error().message);
        return std::move(*opened);
    }

    // Queues units first..first+count-1 for `dc`.
    void enqueue(int first, int count, DataCenter dc) {
        auto s = store();
        for (int i = first; i < first + count; ++i) {
            st::Registration reg;
            reg.fsn = serial_for(i);
            reg.serial = serial_for(i);
            reg.imei = imei_for(i);
            reg.iccid = iccid_for(i);
            reg.imsi = "310410000000" + std::to_string(100 + i);
            reg.data_center = dc;
            reg.term_years = 3;
            reg.po = "PO-77";
            reg.queued = std::chrono::system_clock::now();
            auto queued = s.enqueue_registration(reg);
            ASSERT_TRUE(queued) << queued.error().message;
        }
    }

    std::vector<std::string> push_args(std::vector<std::string> extra = {}) const {
        std::vector<std::string> argv{k_station, "register",      "push",       "--db",
                                      m_db,      "--credentials", m_credentials};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return argv;
    }

    tests::ProcessResult push(std::vector<std::string> extra = {}) const {
        auto result = tests::run_process(push_args(std::move(extra)), 60s);
        EXPECT_FALSE(result.timed_out);
        EXPECT_EQ(result.out.find(k_na_secret), std::string::npos) << result.out;
        EXPECT_EQ(result.err.find(k_na_secret), std::string::npos) << result.err;
        return result;
    }

    // Pushes NA until no row waits (rows in doubt or backing off wait seconds); all output.
    std::string push_until_nothing_waits() const {
        std::string out;
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (std::chrono::steady_clock::now() < deadline) {
            out += push({"--data-center", "na"}).out;
            const json s = status();
            if (count(s, "na", "pending") + count(s, "na", "in_doubt") +
                    count(s, "na", "claimed") ==
                0) {
                break;
            }
            std::this_thread::sleep_for(200ms);
        }
        return out;
    }

    json status() const {
        const auto result =
            tests::run_process({k_station, "register", "status", "--db", m_db, "--json"}, 30s);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return json::parse(result.out);
    }

    int count(const json& s, const char* dc, const char* state) const {
        return s.at("counts").at(dc).at(state).get<int>();
    }

    tests::TempDir m_dir;
    tests::AlmsStandin standin;
    std::string m_db;
    std::string m_credentials;
};

TEST_F(RegisterCli, PushRegistersEveryUnitOnceInItsDataCenter) {
    enqueue(0, 5, DataCenter::na);
    enqueue(10, 3, DataCenter::eu);
    const auto first = push();
    EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_NE(first.out.find("push na: 5 registered (0 already in ALMS)"), std::string::npos)
        << first.out;
    EXPECT_NE(first.out.find("push eu: 3 registered"), std::string::npos) << first.out;
    EXPECT_EQ(standin.tenant("na").at("creates"), 5);
    EXPECT_EQ(standin.tenant("eu").at("creates"), 3);
    const json s = status();
    EXPECT_EQ(count(s, "na", "registered"), 5);
    EXPECT_EQ(count(s, "eu", "registered"), 3);
    EXPECT_EQ(count(s, "na", "pending"), 0);
    EXPECT_TRUE(s.at("oldest_pending_age_s").is_null());

    // The ALMS uid is kept per row; a second push has nothing to do and sends nothing.
    auto rows = store().list_outbox(st::OutboxState::registered, DataCenter::na);
    ASSERT_TRUE(rows);
    for (const auto& row : *rows) EXPECT_EQ(row.remote_id.size(), 32U);
    const int requests = standin.tenant("na").at("request_count");
    const auto second = push();
    EXPECT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(standin.tenant("na").at("request_count"), requests);
    EXPECT_EQ(standin.tenant("na").at("creates"), 5);
}

TEST_F(RegisterCli, NetworkDownForAPalletThenBackEverythingArrivesOnce) {
    enqueue(0, 6, DataCenter::na);
    const std::string down =
        "http://127.0.0.1:" + std::to_string(tests::closed_loopback_port()) + "/na";
    write_credentials(down, standin.base_url("eu"));
    const auto offline = push({"--data-center", "na", "--attempts", "1"});
    EXPECT_EQ(offline.exit_code, 2) << offline.out << offline.err;
    EXPECT_NE(offline.err.find("not answering"), std::string::npos) << offline.err;
    json s = status();
    EXPECT_EQ(count(s, "na", "pending"), 6);
    EXPECT_FALSE(s.at("oldest_pending_age_s").is_null());
    ASSERT_FALSE(s.at("last_errors").empty());
    EXPECT_NE(s.at("last_errors").at(0).at("error").get<std::string>().find("token request"),
              std::string::npos);

    // Back online: push until nothing is pending (rows that just failed wait their backoff).
    write_credentials(standin.base_url("na"), standin.base_url("eu"));
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        push({"--data-center", "na"});
        s = status();
        if (count(s, "na", "pending") == 0) break;
        std::this_thread::sleep_for(300ms);
    }
    EXPECT_EQ(count(s, "na", "registered"), 6);
    EXPECT_EQ(standin.tenant("na").at("creates"), 6);
    EXPECT_EQ(standin.tenant("na").at("rejected_creates"), 0);
    EXPECT_EQ(standin.tenant("na").at("systems").size(), 6U);
}

TEST_F(RegisterCli, TwoConcurrentPushesNeverRegisterAUnitTwice) {
    enqueue(0, 24, DataCenter::na);
    // Slow answers so both pushers are busy at the same time.
    standin.add_faults(
        "na", json::array({{{"on", "any"}, {"kind", "slow"}, {"delay_ms", 40}, {"count", -1}}}));
    tests::ProcessResult a;
    tests::ProcessResult b;
    std::thread first([&] { a = tests::run_process(push_args({"--data-center", "na"}), 90s); });
    std::thread second([&] { b = tests::run_process(push_args({"--data-center", "na"}), 90s); });
    first.join();
    second.join();
    EXPECT_EQ(a.exit_code, 0) << a.out << a.err;
    EXPECT_EQ(b.exit_code, 0) << b.out << b.err;
    EXPECT_EQ(standin.tenant("na").at("creates"), 24);
    EXPECT_EQ(standin.tenant("na").at("rejected_creates"), 0);
    EXPECT_EQ(count(status(), "na", "registered"), 24);
    // Both did part of the work.
    EXPECT_EQ(a.out.find("push na: 0 registered"), std::string::npos) << a.out;
    EXPECT_EQ(b.out.find("push na: 0 registered"), std::string::npos) << b.out;
}

TEST_F(RegisterCli, SigkillMidPushThenPushAgainCreatesNoDuplicate) {
    enqueue(0, 3, DataCenter::na);
    // The first create takes effect, then its answer hangs: the pusher is killed right there.
    standin.add_faults(
        "na",
        json::array({{{"on", "create"}, {"kind", "slow"}, {"delay_ms", 8000}, {"after", true}}}));
    {
        tests::BackgroundProcess pusher(push_args({"--data-center", "na"}));
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (standin.tenant("na").at("creates") == 0 &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(20ms);
        }
        ASSERT_EQ(standin.tenant("na").at("creates"), 1);
        ::kill(pusher.pid(), SIGKILL);
        pusher.stop();
    }
    EXPECT_EQ(count(status(), "na", "claimed"), 1);  // held by the dead pusher
    const auto again = push({"--data-center", "na"});
    EXPECT_NE(again.out.find("1 taken back from dead pushers"), std::string::npos) << again.out;
    // Its create may have reached ALMS: in doubt, looked up only after the request timeout
    // (3 s here) and a margin.
    EXPECT_EQ(count(status(), "na", "in_doubt"), 1);
    const std::string all = push_until_nothing_waits();
    EXPECT_NE(all.find("already_registered"), std::string::npos) << all;
    EXPECT_EQ(standin.tenant("na").at("creates"), 3);
    EXPECT_EQ(standin.tenant("na").at("rejected_creates"), 0);
    EXPECT_EQ(count(status(), "na", "registered"), 3);
}

TEST_F(RegisterCli, GlobalUnitNeverReachesTheNaTenant) {
    // A Global unit wrongly queued for NA (its slot result says Global).
    {
        auto s = store();
        auto run = s.begin_run({st::RunMode::provision, "tester", "P-1", "xr90-global",
                                std::chrono::system_clock::now()});
        ASSERT_TRUE(run) << run.error().message;
        auto slot =
            s.begin_slot(*run, {"A1", "1-1.1", "/dev/pts/9", 1, std::chrono::system_clock::now()});
        ASSERT_TRUE(slot) << slot.error().message;
        st::SlotFinish finish;
        finish.identity.fsn = serial_for(0);
        finish.identity.imei = imei_for(0);
        finish.identity.iccid = iccid_for(0);
        finish.region = Region::global;
        finish.data_center = DataCenter::eu;
        finish.outcome = station::core::Outcome::pass;
        finish.ended = std::chrono::system_clock::now();
        ASSERT_TRUE(s.finish_slot(*slot, finish));
        st::Registration reg{serial_for(0),
                             serial_for(0),
                             imei_for(0),
                             iccid_for(0),
                             "",
                             DataCenter::na,
                             1,
                             "",
                             "",
                             *slot,
                             std::chrono::system_clock::now()};
        ASSERT_TRUE(s.enqueue_registration(reg));
    }
    enqueue(1, 1, DataCenter::eu);  // a Global unit queued right
    const auto result = push();
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.out.find("refused"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("Global unit routes to the EU data center"), std::string::npos)
        << result.out;
    EXPECT_EQ(standin.tenant("na").at("request_count"), 0);
    EXPECT_EQ(standin.tenant("eu").at("creates"), 1);
    const json s = status();
    EXPECT_EQ(count(s, "na", "failed"), 1);
    EXPECT_EQ(count(s, "eu", "registered"), 1);
}

TEST_F(RegisterCli, ConflictsAndRefusalsAreRecordedWithTheServersWords) {
    enqueue(0, 3, DataCenter::na);
    standin.seed_system("na", {{"name", "other"},
                               {"gateway", {{"imei", imei_for(0)}, {"serialNumber", "LA999999"}}},
                               {"subscription", {{"identifier", iccid_for(0)}}}});
    standin.seed_system("na",
                        {{"name", "same"},
                         {"gateway", {{"imei", imei_for(1)}, {"serialNumber", serial_for(1)}}},
                         {"subscription", {{"identifier", iccid_for(1)}}}});
    standin.add_faults(
        "na", json::array(
                  {{{"on", "create"},
                    {"kind", "status"},
                    {"status", 422},
                    {"body",
                     {{"error", "subscription.unknown"}, {"errorParameters", {iccid_for(2)}}}}}}));
    const auto result = push({"--data-center", "na"});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    const json s = status();
    EXPECT_EQ(count(s, "na", "conflict"), 1);
    EXPECT_EQ(count(s, "na", "registered"), 1);
    EXPECT_EQ(count(s, "na", "failed"), 1);
    std::string errors = s.at("last_errors").dump();
    EXPECT_NE(errors.find("LA999999"), std::string::npos) << errors;     // their side
    EXPECT_NE(errors.find(serial_for(0)), std::string::npos) << errors;  // our side
    EXPECT_NE(errors.find("subscription.unknown [" + iccid_for(2) + "]"), std::string::npos)
        << errors;
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);
}

TEST_F(RegisterCli, ExportWritesTheBulkFile) {
    enqueue(0, 2, DataCenter::na);
    enqueue(5, 1, DataCenter::eu);
    const std::string csv = m_dir.path() + "/na.csv";
    auto result = tests::run_process(
        {k_station, "register", "export", "--db", m_db, "--data-center", "na", "--out", csv}, 30s);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    std::ifstream in(csv);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text,
              "NAME,LABELS,GATEWAY[IMEI],GATEWAY[SERIAL NUMBER],ICCID\r\n"
              "LA100000,term:3y;po:PO-77," +
                  imei_for(0) + ",LA100000," + iccid_for(0) +
                  "\r\n"
                  "LA100001,term:3y;po:PO-77," +
                  imei_for(1) + ",LA100001," + iccid_for(1) + "\r\n");

    const std::string js = m_dir.path() + "/eu.json";
    result =
        tests::run_process({k_station, "register", "export", "--db", m_db, "--data-center", "eu",
                            "--format", "json", "--columns", "GATEWAY[IMEI],TERM,PO", "--out", js},
                           30s);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    std::ifstream jin(js);
    const json rows = json::parse(jin);
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].at("GATEWAY[IMEI]"), imei_for(5));
    EXPECT_EQ(rows[0].at("TERM"), "3y");

    result = tests::run_process({k_station, "register", "export", "--db", m_db, "--data-center",
                                 "na", "--columns", "NAME,COLOUR", "--out", csv},
                                30s);
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_NE(result.err.find("unknown export column 'COLOUR'"), std::string::npos) << result.err;
}

TEST_F(RegisterCli, NothingWaitingNeedsNoCredentialsAndSaysSo) {
    std::filesystem::remove(m_credentials);
    const auto result = push();
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, "push: nothing waiting in the outbox of " + m_db + "\n");
    EXPECT_EQ(standin.tenant("na").at("request_count"), 0);
    EXPECT_EQ(standin.tenant("eu").at("request_count"), 0);
}

TEST_F(RegisterCli, UnsafeCredentialsFileIsRefused) {
    enqueue(0, 1, DataCenter::na);
    write_credentials(standin.base_url("na"), standin.base_url("eu"), 0644);
    const auto result = push({"--data-center", "na"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find(m_credentials + " has mode 0644"), std::string::npos) << result.err;
    EXPECT_EQ(standin.tenant("na").at("request_count"), 0);
    // Secrets are not accepted as arguments at all.
    const auto arg = tests::run_process(
        {k_station, "register", "push", "--db", m_db, "--client-secret", "x"}, 30s);
    EXPECT_EQ(arg.exit_code, 64);
}

TEST_F(RegisterCli, BadUsage) {
    for (const auto& argv : std::vector<std::vector<std::string>>{
             {k_station, "register"},
             {k_station, "register", "pull"},
             {k_station, "register", "push", "--data-center", "us", "--db", m_db},
             {k_station, "register", "push", "--attempts", "0", "--db", m_db},
             {k_station, "register", "export", "--data-center", "na"},
             {k_station, "register", "export", "--data-center", "na", "--out", "x", "--format",
              "xml"}}) {
        const auto result = tests::run_process(argv, 30s);
        EXPECT_EQ(result.exit_code, 64) << argv.back() << ": " << result.err;
    }
    const auto missing = tests::run_process(
        {k_station, "register", "status", "--db", m_dir.path() + "/none.db"}, 30s);
    EXPECT_EQ(missing.exit_code, 2) << missing.err;
    EXPECT_NE(missing.err.find("none.db"), std::string::npos) << missing.err;
}

// Issue 15's acceptance run: a push is killed after sending a create that ALMS stores late, and
// a second push runs at once. It must not look the unit up before that create is surely stored
// (a look-up now finds nothing and a second create would follow).
TEST_F(RegisterCli, PushRightAfterAKilledCreateWaitsForItInsteadOfCreatingAgain) {
    enqueue(0, 1, DataCenter::na);
    standin.add_faults("na",
                       json::array({{{"on", "create"}, {"kind", "slow"}, {"delay_ms", 1500}}}));
    const auto creates_sent = [&] {
        int n = 0;
        const json tenant = standin.tenant("na");
        for (const auto& r : tenant.at("requests")) {
            if (r.at("on").get<std::string>() == "create") ++n;
        }
        return n;
    };
    {
        tests::BackgroundProcess pusher(push_args({"--data-center", "na"}));
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (creates_sent() == 0 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(10ms);
        }
        ASSERT_EQ(creates_sent(), 1);
        ::kill(pusher.pid(), SIGKILL);
        pusher.stop();
    }
    const auto at_once = push({"--data-center", "na"});
    EXPECT_NE(at_once.out.find("1 taken back from dead pushers"), std::string::npos) << at_once.out;
    EXPECT_EQ(at_once.exit_code, 75) << at_once.out << at_once.err;
    EXPECT_NE(at_once.out.find("push na: 1 waiting for a later attempt, next at 20"),
              std::string::npos)
        << at_once.out;
    EXPECT_EQ(creates_sent(), 1) << "no second create while the first may be on its way";
    EXPECT_EQ(count(status(), "na", "in_doubt"), 1);
    const std::string all = push_until_nothing_waits();
    EXPECT_NE(all.find("already_registered"), std::string::npos) << all;
    EXPECT_EQ(creates_sent(), 1);
    EXPECT_EQ(standin.tenant("na").at("creates"), 1);
    EXPECT_EQ(standin.tenant("na").at("rejected_creates"), 0);
    EXPECT_EQ(count(status(), "na", "registered"), 1);
}

// `register push` says done (0) only when nothing waits; rows waiting for their next attempt
// give 75 with that time, also when the push had nothing due; `status` lists them.
TEST_F(RegisterCli, PushExits75WhileRowsWaitForTheirNextAttempt) {
    enqueue(0, 1, DataCenter::na);
    standin.add_faults(
        "na",
        json::array(
            {{{"on", "lookup"}, {"kind", "status"}, {"status", 503}, {"retry_after", "120"}}}));
    const auto busy = push({"--data-center", "na"});
    EXPECT_EQ(busy.exit_code, 75) << busy.out << busy.err;
    const std::string line = "push na: 1 waiting for a later attempt, next at ";
    const auto at = busy.out.find(line);
    ASSERT_NE(at, std::string::npos) << busy.out;
    const std::string next = busy.out.substr(at + line.size(), 20);  // 2026-11-30T20:15:00Z
    EXPECT_EQ(next.size(), 20U);
    EXPECT_EQ(next.back(), 'Z') << next;

    const auto again = push({"--data-center", "na"});  // nothing due: still not done
    EXPECT_EQ(again.exit_code, 75) << again.out << again.err;
    EXPECT_NE(again.out.find(line + next), std::string::npos) << again.out;
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);

    const json s = status();
    ASSERT_EQ(s.at("waiting").size(), 1U);
    EXPECT_EQ(s.at("waiting").at(0).at("state"), "pending");
    EXPECT_EQ(s.at("waiting").at(0).at("serial"), serial_for(0));
    EXPECT_EQ(s.at("waiting").at(0).at("next_attempt"), next);
    const auto text = tests::run_process({k_station, "register", "status", "--db", m_db}, 30s);
    EXPECT_NE(text.out.find("waiting: na pending " + serial_for(0) +
                            " (attempts 1): next attempt " + next),
              std::string::npos)
        << text.out;
}

TEST_F(RegisterCli, JsonExportCarriesTheAlmsUid) {
    enqueue(0, 2, DataCenter::na);
    ASSERT_EQ(push({"--data-center", "na"}).exit_code, 0);
    const std::string js = m_dir.path() + "/na.json";
    const auto result =
        tests::run_process({k_station, "register", "export", "--db", m_db, "--data-center", "na",
                            "--state", "registered", "--format", "json", "--out", js},
                           30s);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    std::ifstream in(js);
    const json rows = json::parse(in);
    ASSERT_EQ(rows.size(), 2U);
    const json systems = standin.tenant("na").at("systems");
    ASSERT_EQ(systems.size(), 2U);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].at("alms_uid"), systems[i].at("uid")) << i;
        EXPECT_EQ(rows[i].at("outbox_state"), "registered");
    }
}

}  // namespace
