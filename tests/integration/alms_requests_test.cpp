// ALMS requests as the public facts say (issue 15 items 5 and 6), through the built station
// against the local stand-in on 127.0.0.1: Retry-After dates read by libcurl inside the
// transport module.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <fstream>

#include <nlohmann/json.hpp>

#include <station/store/store.hpp>
#include "alms_standin.hpp"
#include "process.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using station::core::DataCenter;
namespace st = station::store;

constexpr const char* k_station = STATION_BINARY_DIR "/station/station";

// A unit with valid check digits (IMEI and ICCID Luhn digits worked out by hand).
struct TestUnit {
    const char* serial;
    const char* imei;
    const char* iccid;
};
constexpr TestUnit k_units[] = {
    {"LA900900", "352753000009009", "89014103210000009007"},
    {"LA900901", "352753000009017", "89014103210000009015"},
};

class AlmsRequests : public testing::Test {
  protected:
    AlmsRequests()
        : m_db(m_dir.path() + "/station.db"), m_credentials(m_dir.path() + "/credentials.toml") {
        tests::write_credentials_file(m_credentials, standin.base_url("na"),
                                      standin.base_url("eu"));
        auto opened = st::Store::open(m_db);
        EXPECT_TRUE(opened) << opened.error().message;
    }

    // Queues k_units[i] for NA, into `company` when set (a manifest row's company).
    void enqueue(std::size_t i, const std::string& company = {}) const {
        auto opened = st::Store::open(m_db);
        ASSERT_TRUE(opened) << opened.error().message;
        st::Registration reg;
        reg.fsn = k_units[i].serial;
        reg.serial = k_units[i].serial;
        reg.imei = k_units[i].imei;
        reg.iccid = k_units[i].iccid;
        reg.data_center = DataCenter::na;
        reg.company = company;
        reg.queued = std::chrono::system_clock::now();
        auto queued = opened->enqueue_registration(reg);
        ASSERT_TRUE(queued) << queued.error().message;
    }

    tests::ProcessResult push(const std::string& credentials = {}) const {
        auto result = tests::run_process({k_station, "register", "push", "--data-center", "na",
                                          "--db", m_db, "--credentials",
                                          credentials.empty() ? m_credentials : credentials},
                                         60s);
        EXPECT_FALSE(result.timed_out);
        return result;
    }

    int pending() const {
        const auto result =
            tests::run_process({k_station, "register", "status", "--db", m_db, "--json"}, 30s);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return json::parse(result.out).at("counts").at("na").at("pending").get<int>();
    }

    // The stand-in's NA requests that matched `on` (token | lookup | create).
    json requests(const std::string& on) const {
        const json na = standin.tenant("na");
        json out = json::array();
        for (const auto& r : na.at("requests")) {
            if (r.at("on") == on) out.push_back(r);
        }
        return out;
    }

    tests::TempDir m_dir;
    tests::AlmsStandin standin;
    std::string m_db;
    std::string m_credentials;
};

// A 503 whose Retry-After is an asctime date far ahead: the station (whose date parser lives
// in the transport module) waits for it, capped at 15 minutes, so the unit goes back to the
// outbox instead of being retried after a short backoff.
TEST_F(AlmsRequests, RetryAfterHttpDateIsHonouredThroughTheModule) {
    enqueue(0);
    standin.add_faults("na", json::array({{{"on", "lookup"},
                                           {"kind", "status"},
                                           {"status", 503},
                                           {"retry_after", "Thu Jan  1 00:00:00 2099"}}}));
    const auto result = push();
    EXPECT_EQ(requests("lookup").size(), 1U) << result.out << result.err;
    EXPECT_EQ(standin.tenant("na").at("creates"), 0) << result.out;
    EXPECT_EQ(pending(), 1) << result.out;
}

}  // namespace
