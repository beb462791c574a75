// ALMS requests as the public facts say (issue 15 items 5 and 6), through the built station
// against the local stand-in on 127.0.0.1: Retry-After dates read by libcurl inside the
// transport module; the token request's client authentication (HTTP Basic, then once the form
// body); company=<uid> on every call that acts for a company.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <fstream>
#include <string>
#include <vector>

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
    {"LA900902", "352753000009025", "89014103210000009023"},
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

    // Replaces the credentials file with an NA table: the stand-in's client id, `secret`,
    // its address, then `extra` lines.
    void write_na_credentials(const std::string& secret, const std::string& extra = {}) const {
        {
            std::ofstream out(m_credentials, std::ios::trunc);
            out << "[na]\nclient_id = \"na-client\"\nclient_secret = \"" << secret
                << "\"\nbase_url = \"" << standin.base_url("na")
                << "\"\nconnect_timeout_ms = 1000\nrequest_timeout_ms = 3000\n"
                << extra;
        }
        ::chmod(m_credentials.c_str(), 0600);
    }

    tests::ProcessResult push() const {
        auto result = tests::run_process({k_station, "register", "push", "--data-center", "na",
                                          "--db", m_db, "--credentials", m_credentials},
                                         60s);
        EXPECT_FALSE(result.timed_out);
        return result;
    }

    // Where each NA token request carried the client id/secret, in order (basic | body).
    std::vector<std::string> token_auth() const {
        std::vector<std::string> out;
        for (const auto& r : requests("token")) out.push_back(r.at("client_auth"));
        return out;
    }

    int count(const char* state) const {
        const auto result =
            tests::run_process({k_station, "register", "status", "--db", m_db, "--json"}, 30s);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return json::parse(result.out).at("counts").at("na").at(state).get<int>();
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
    EXPECT_EQ(count("pending"), 1) << result.out;
}

// The token request sends HTTP Basic; a server that refuses it as invalid_client gets the id
// and secret once more in the form body, which the push keeps to (a token fetched again after
// a 401 goes straight to the body). Each server form is served by the stand-in alone.
TEST_F(AlmsRequests, TokenRequestSendsBasicThenOnceTheFormBody) {
    struct Row {
        const char* accept;
        std::vector<std::string> expected;
    };
    const Row rows[] = {
        {"basic", {"basic", "basic"}},
        {"either", {"basic", "basic"}},
        {"body", {"basic", "body", "body"}},
    };
    for (std::size_t unit = 0; unit < std::size(rows); ++unit) {
        const Row& row = rows[unit];
        standin.reset();
        standin.accept_client_auth("na", row.accept);
        // The first create finds its token revoked: one more token request mid-push.
        standin.add_faults("na", json::array({{{"on", "create"}, {"kind", "expire_token"}}}));
        enqueue(unit);
        const auto result = push();
        EXPECT_EQ(result.exit_code, 0) << row.accept << result.out << result.err;
        EXPECT_EQ(token_auth(), row.expected) << row.accept << result.out << result.err;
        EXPECT_EQ(standin.tenant("na").at("creates"), 1) << row.accept;
        EXPECT_EQ(count("registered"), static_cast<int>(unit) + 1) << row.accept;
    }
}

// Refused both ways: a clear error naming both tries, no third try, nothing registered, and
// the secret in no output, error or stored error.
TEST_F(AlmsRequests, TokenRefusedBothWaysStopsWithoutLoopingOrShowingTheSecret) {
    const std::string secret = "wrong-SECRET-4711";
    write_na_credentials(secret, "company_uid = \"na-company\"\n");
    for (const char* accept : {"basic", "body"}) {
        standin.reset();
        standin.accept_client_auth("na", accept);
        enqueue(0);
        enqueue(1);
        const auto result = push();
        EXPECT_EQ(result.exit_code, 2) << accept << result.out << result.err;
        EXPECT_EQ(token_auth(), (std::vector<std::string>{"basic", "body"})) << accept;
        EXPECT_EQ(requests("lookup").size(), 0U) << accept;
        EXPECT_NE(result.err.find("token request: HTTP 401 invalid_client (refused with HTTP "
                                  "Basic and with client_id/client_secret in the form body)"),
                  std::string::npos)
            << accept << result.err;
        EXPECT_EQ(count("pending"), 2) << accept;
        const auto status = tests::run_process(
            {k_station, "register", "status", "--db", m_db, "--json", "--errors", "10"}, 30s);
        for (const auto* text : {&result.out, &result.err, &status.out, &status.err}) {
            EXPECT_EQ(text->find(secret), std::string::npos) << *text;
        }
    }
}

// Reseller credentials acting for their customer's AVC company: every call for the unit (the
// look-up, the create, the look-up again after a refused create) carries company=<uid> in its
// query; the token request acts for no company and carries none.
TEST_F(AlmsRequests, EveryCallForACompanyCarriesItInTheQuery) {
    write_na_credentials("na-secret",
                         "account_type = \"reseller\"\ncompany_uid = \"reseller-own\"\n"
                         "reseller_target_company = \"na-company\"\n");
    enqueue(0);
    enqueue(1, "na-company");  // a manifest row naming the company itself
    // Both creates are refused: the client looks once more before giving up on each.
    standin.add_faults("na", json::array({{{"on", "create"}, {"kind", "status"}, {"status", 400},
                                           {"body", {{"error", "system.refused"}}}},
                                          {{"on", "create"}, {"kind", "status"}, {"status", 400},
                                           {"body", {{"error", "system.refused"}}}}}));
    const auto result = push();
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;  // the refused unit: failed
    EXPECT_EQ(count("failed"), 2) << result.out;
    const auto lookups = requests("lookup");
    const auto creates = requests("create");
    ASSERT_EQ(lookups.size(), 4U) << result.out;  // per unit: look up, create, look up again
    ASSERT_EQ(creates.size(), 2U) << result.out;
    for (const auto* calls : {&lookups, &creates}) {
        for (const auto& call : *calls) {
            const std::string query = call.at("query");
            EXPECT_NE(("&" + query + "&").find("&company=na-company&"), std::string::npos)
                << call.dump();
        }
    }
    const auto tokens = requests("token");
    ASSERT_EQ(tokens.size(), 1U);
    EXPECT_EQ(tokens.at(0).at("query"), "");
}

// A configuration that would register XR units into the reseller's own account is refused
// before any request, naming the file, line and key and saying why.
TEST_F(AlmsRequests, AResellersOwnAccountIsRefusedBeforeAnyRequest) {
    write_na_credentials("na-secret",
                         "account_type = \"reseller\"\ncompany_uid = \"reseller-own\"\n"
                         "reseller_target_company = \"reseller-own\"\n");
    enqueue(0);
    const auto result = push();
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    // Lines: [na], client_id, client_secret, base_url, 2 timeouts, account_type, company_uid.
    EXPECT_NE(result.err.find(m_credentials +
                              ":9: [na] reseller_target_company: 'reseller-own' is company_uid, "
                              "the reseller's own account: XR units are registered into the "
                              "customer's AVC account, never into the reseller's own"),
              std::string::npos)
        << result.err;
    EXPECT_EQ(standin.tenant("na").at("request_count"), 0);
    EXPECT_EQ(count("pending"), 1);
}

}  // namespace
