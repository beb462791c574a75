// `station register push` carrying out outbox rows of action `update` (issue 16: a returned
// unit's SIM was swapped) through the built binary, against the local ALMS stand-in on
// 127.0.0.1 and a real SQLite file filled through the store library: the unit's one system
// moves to the new ICCID, a second push changes nothing, never a second system.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include <station/store/store.hpp>
#include "alms_standin.hpp"
#include "process.hpp"
#include "unit_numbers.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using station::core::DataCenter;
namespace st = station::store;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

constexpr const char* k_station = STATION_BINARY_DIR "/station/station";
const std::string k_old_iccid = tests::iccid_for(1);
const std::string k_new_iccid = tests::iccid_for(901);

class RegisterUpdate : public testing::Test {
  protected:
    RegisterUpdate()
        : m_db(m_dir.path() + "/station.db"), m_credentials(m_dir.path() + "/credentials.toml") {
        tests::write_credentials_file(m_credentials, standin.base_url("na"),
                                      standin.base_url("eu"));
    }

    st::Store store() {
        auto opened = st::Store::open(m_db);
        if (!opened) throw std::runtime_error(opened.error().message);
        return std::move(*opened);
    }

    static st::Registration registration(st::OutboxAction action, const std::string& iccid) {
        st::Registration reg;
        reg.fsn = tests::serial_for(1);
        reg.serial = tests::serial_for(1);
        reg.imei = tests::imei_for(1);
        reg.iccid = iccid;
        reg.data_center = DataCenter::na;
        reg.action = action;
        reg.queued = std::chrono::system_clock::now();
        return reg;
    }

    // The unit registered by a create (row `registered`, system `uid`), then its SIM swapped:
    // an update row queued.
    void registered_then_swapped(const std::string& uid) {
        auto s = store();
        auto created = s.enqueue_registration(registration(st::OutboxAction::create, k_old_iccid));
        ASSERT_TRUE(created) << created.error().message;
        const auto now = std::chrono::system_clock::now();
        auto claimed = s.claim_pending(DataCenter::na, 1, {"bench", now, now + 1min});
        ASSERT_TRUE(claimed && claimed->size() == 1U);
        ASSERT_TRUE(s.mark_registered(claimed->front().id, "bench", uid, now));
        auto update = s.enqueue_registration(registration(st::OutboxAction::update, k_new_iccid));
        ASSERT_TRUE(update) << update.error().message;
        ASSERT_EQ(*update, st::Enqueued::queued);
    }

    void seed(const std::string& uid, const std::string& serial, const std::string& iccid) const {
        standin.seed_system("na",
                            {{"uid", uid},
                             {"name", serial},
                             {"gateway", {{"imei", tests::imei_for(1)}, {"serialNumber", serial}}},
                             {"subscription", {{"identifier", iccid}}}});
    }

    tests::ProcessResult push() const {
        auto result = tests::run_process({k_station, "register", "push", "--db", m_db,
                                          "--credentials", m_credentials, "--data-center", "na"},
                                         60s);
        EXPECT_FALSE(result.timed_out);
        return result;
    }

    json status() const {
        const auto result =
            tests::run_process({k_station, "register", "status", "--db", m_db, "--json"}, 30s);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return json::parse(result.out);
    }

    tests::TempDir m_dir;
    tests::AlmsStandin standin;
    std::string m_db;
    std::string m_credentials;
};

TEST_F(RegisterUpdate, TheOneSystemMovesToTheNewIccidAndASecondPushChangesNothing) {
    seed("sys-1", tests::serial_for(1), k_old_iccid);
    registered_then_swapped("sys-1");
    const json before = status();
    ASSERT_EQ(before.at("waiting").size(), 1U);
    EXPECT_EQ(before.at("waiting")[0].at("action"), "update");

    const auto first = push();
    EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_NE(first.out.find("updated system sys-1"), std::string::npos) << first.out;
    json na = standin.tenant("na");
    ASSERT_EQ(na.at("systems").size(), 1U);
    EXPECT_EQ(na.at("systems")[0].at("subscription").at("identifier"), k_new_iccid);
    EXPECT_EQ(na.at("updates"), 1);
    EXPECT_EQ(na.at("creates"), 0);
    EXPECT_EQ(status().at("counts").at("na").at("registered"), 2);

    const int requests = na.at("request_count").get<int>();
    const auto second = push();
    EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
    na = standin.tenant("na");
    EXPECT_EQ(na.at("request_count").get<int>(), requests);  // nothing to claim, nothing sent
    ASSERT_EQ(na.at("systems").size(), 1U);
    EXPECT_EQ(na.at("systems")[0].at("subscription").at("identifier"), k_new_iccid);
    EXPECT_EQ(na.at("updates"), 1);
    EXPECT_EQ(standin.tenant("eu").at("request_count"), 0);
}

struct Outcome {
    const char* name;
    bool seeded;              // the unit's system is in ALMS NA (old ICCID)
    const char* serial;       // its serial ("" = the unit's)
    json faults;              // for the NA tenant
    int exit_code;            // of the push
    const char* row_state;    // the update row's state after it
    const char* says;         // in the push's output
    const char* iccid_after;  // in ALMS ("" = no system)
};

TEST_F(RegisterUpdate, AbsentOtherUnitAndUnconfirmedUpdatesAreNotRegistered) {
    const std::vector<Outcome> table{
        {"no system: conflict, nothing created", false, "", json::array(), 1, "conflict",
         "no system to update", ""},
        {"the IMEI's system has another serial: conflict, untouched", true, "LA999999",
         json::array(), 1, "conflict", "serial differs", "old"},
        {"update answered but not applied: read-back mismatch, waits", true, "",
         json::array({{{"kind", "status"}, {"status", 200}, {"on", "update"}}}), 75, "pending",
         "not marked registered", "old"},
    };
    for (const auto& t : table) {
        SCOPED_TRACE(t.name);
        standin.reset();
        std::filesystem::remove(m_db);
        if (t.seeded) {
            seed("sys-1", *t.serial != '\0' ? t.serial : tests::serial_for(1), k_old_iccid);
        }
        standin.add_faults("na", t.faults);
        registered_then_swapped("sys-1");
        const auto result = push();
        EXPECT_EQ(result.exit_code, t.exit_code) << result.out << result.err;
        EXPECT_NE(result.out.find(t.says), std::string::npos) << result.out;
        auto rows = store().list_outbox();
        ASSERT_TRUE(rows);
        ASSERT_EQ(rows->size(), 2U);
        EXPECT_EQ(st::to_string(rows->back().state), std::string(t.row_state));
        const json na = standin.tenant("na");
        EXPECT_EQ(na.at("creates"), 0);
        const std::string held(t.iccid_after);
        ASSERT_EQ(na.at("systems").size(), held.empty() ? 0U : 1U);
        if (!held.empty()) {
            EXPECT_EQ(na.at("systems")[0].at("subscription").at("identifier"), k_old_iccid);
        }
    }
}

TEST_F(RegisterUpdate, ExportShowsTheAction) {
    seed("sys-1", tests::serial_for(1), k_old_iccid);
    registered_then_swapped("sys-1");
    const std::string out = m_dir.path() + "/export.json";
    const auto json_run =
        tests::run_process({k_station, "register", "export", "--db", m_db, "--data-center", "na",
                            "--format", "json", "--state", "all", "--out", out},
                           30s);
    ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
    EXPECT_NE(json_run.out.find("1 of them are updates"), std::string::npos) << json_run.out;
    const json rows = json::parse(read_file(out));
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].at("action"), "create");
    EXPECT_EQ(rows[1].at("action"), "update");
    EXPECT_EQ(rows[1].at("ICCID"), k_new_iccid);

    const std::string csv = m_dir.path() + "/export.csv";
    const auto csv_run =
        tests::run_process({k_station, "register", "export", "--db", m_db, "--data-center", "na",
                            "--columns", "GATEWAY[IMEI],ICCID,ACTION", "--out", csv},
                           30s);
    ASSERT_EQ(csv_run.exit_code, 0) << csv_run.err;
    EXPECT_EQ(read_file(csv), "GATEWAY[IMEI],ICCID,ACTION\r\n" + tests::imei_for(1) + "," +
                                  k_new_iccid + ",update\r\n");
}

}  // namespace
