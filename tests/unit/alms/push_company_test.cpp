// The company an outbox row registers into (issue 13: the pallet manifest's `company`): a row
// that names one acts for it on every ALMS call (`company=<uid>`), whatever the config says;
// a row without one keeps the config's company. Store on a real file, the ALMS stand-in on
// 127.0.0.1, pushed through workflows::push_outbox.
#include <gtest/gtest.h>

#include <filesystem>

#include <alms_standin.hpp>
#include <process.hpp>
#include <station/alms/curl_transport.hpp>
#include <station/store/store.hpp>
#include <station/workflows/register_push.hpp>

namespace station::workflows {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

store::Registration queued(const std::string& fsn, const std::string& imei,
                           const std::string& company) {
    return store::Registration{
        fsn, fsn,    imei,    "89014103211118510720", "310410123456789", core::DataCenter::na,
        1,   "PO-9", company, std::nullopt,           store::from_ms(0)};
}

class PushCompanyTest : public ::testing::Test {
  protected:
    // Pushes every due row with a config whose own company is `config_company`.
    PushSummary push(const std::string& config_company) {
        alms::DataCenterConfig config;
        config.data_center = core::DataCenter::na;
        config.base_url = *alms::check_base_url(standin.base_url("na"), "test");
        config.client_id = "na-client";
        config.client_secret = alms::Secret("na-secret");
        config.company_uid = config_company;
        alms::TransportOptions options;
        options.connect_timeout = milliseconds(1000);
        options.request_timeout = milliseconds(3000);
        alms::CurlTransport transport(options);
        alms::ManualClock clock;
        alms::AlmsClient client(config, transport, clock, {}, [] { return 0.0; });
        return push_outbox(m_store, client, clock, PushOptions{}, {});
    }

    // The company= values the stand-in saw on its API calls.
    std::vector<std::string> companies_seen() const {
        std::vector<std::string> out;
        const json na = standin.tenant("na");  // kept: the loop reads into it
        for (const auto& request : na.at("requests")) {
            if (request.at("on") == "token") continue;
            const auto path = request.at("path").get<std::string>();
            const auto at = path.find("company=");
            out.push_back(at == std::string::npos ? "" : path.substr(at + 8));
        }
        return out;
    }

    store::Store& db() { return m_store; }
    tests::AlmsStandin standin;

  private:
    tests::TempDir m_dir;
    store::Store m_store = *store::Store::open(std::filesystem::path(m_dir.path()) / "station.db");
};

TEST_F(PushCompanyTest, RowWithACompanyActsForItNotForTheConfigs) {
    ASSERT_TRUE(
        db().enqueue_registration(queued("LA12345678900", "352753090123454", "na-company")));
    // The config names a company these credentials may not act for: only the row's is used.
    const auto summary = push("someone-else");
    EXPECT_FALSE(summary.error) << summary.error->message;
    EXPECT_EQ(summary.registered, 1);
    EXPECT_EQ(standin.tenant("na").at("creates"), 1);
    const auto seen = companies_seen();
    ASSERT_EQ(seen.size(), 2U) << standin.tenant("na").dump();  // look-up, create
    for (const auto& company : seen) EXPECT_EQ(company, "na-company");
}

TEST_F(PushCompanyTest, RowCompanyWinsOverAValidConfigCompany) {
    ASSERT_TRUE(
        db().enqueue_registration(queued("LA12345678901", "352753090123462", "customer-avc")));
    const auto summary = push("na-company");
    EXPECT_EQ(summary.registered, 0);
    EXPECT_EQ(summary.failed, 1);
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);
    const auto rows = *db().list_outbox();
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_NE(rows[0].last_error.find("company.forbidden [customer-avc]"), std::string::npos)
        << rows[0].last_error;
}

TEST_F(PushCompanyTest, RowWithoutACompanyKeepsTheConfigs) {
    ASSERT_TRUE(db().enqueue_registration(queued("LA12345678902", "352753090123470", "")));
    const auto summary = push("na-company");
    EXPECT_EQ(summary.registered, 1);
    const auto seen = companies_seen();
    ASSERT_EQ(seen.size(), 2U);
    for (const auto& company : seen) EXPECT_EQ(company, "na-company");
}

}  // namespace
}  // namespace station::workflows
