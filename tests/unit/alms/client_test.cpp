// The ALMS client against the local stand-in (tests/support/alms_standin.py) on 127.0.0.1:
// look-up before create, the guard, tokens, and every injected fault. Time is a ManualClock,
// so backoff and Retry-After are checked exactly without sleeping.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>

#include <alms_standin.hpp>
#include <station/alms/client.hpp>
#include <station/alms/curl_transport.hpp>

namespace station::alms {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr std::array k_imeis{"352753090123454", "352753090123462", "352753090123470",
                             "352753090123488"};
constexpr const char* k_iccid_na = "89014103211118510720";
constexpr const char* k_iccid_other = "89014103211118510738";
constexpr const char* k_iccid_eu = "89445001021983048261";

RegistrationRequest unit(std::size_t i, core::Region region = core::Region::na) {
    RegistrationRequest request;
    request.unit.fsn = "LA1234567890" + std::to_string(i);
    request.unit.imei = k_imeis.at(i);
    request.unit.iccid = region == core::Region::na ? k_iccid_na : k_iccid_eu;
    request.unit.imsi = "310410123456789";
    request.unit.region = region;
    request.unit.labels = {"pallet:P-1"};
    request.term = Term::three_years;
    request.purchase_order = "PO-9";
    return request;
}

json system_json(const RegistrationRequest& r, const std::string& iccid) {
    return {{"name", "seeded"},
            {"gateway", {{"imei", r.unit.imei}, {"serialNumber", r.unit.fsn}}},
            {"subscription", {{"identifier", iccid}}}};
}

// IMF-fixdate for a wall time: "Sat, 28 Nov 2026 10:00:30 GMT".
std::string http_date(WallTime when) {
    using namespace std::chrono;
    const auto secs = time_point_cast<seconds>(when);
    const auto days = floor<std::chrono::days>(secs);
    const year_month_day date{days};
    const hh_mm_ss time{secs - days};
    static constexpr const char* k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::array<char, 40> buf{};
    std::snprintf(buf.data(), buf.size(), "%s, %02u %s %04d %02ld:%02ld:%02ld GMT",
                  k_days[weekday{days}.c_encoding()], static_cast<unsigned>(date.day()),
                  k_months[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()),
                  static_cast<long>(time.hours().count()),
                  static_cast<long>(time.minutes().count()),
                  static_cast<long>(time.seconds().count()));
    return buf.data();
}

class AlmsClientTest : public ::testing::Test {
  protected:
    DataCenterConfig config_for(core::DataCenter dc) const {
        const std::string t(core::to_string(dc));
        DataCenterConfig config;
        config.data_center = dc;
        config.base_url = *check_base_url(standin.base_url(t), "test");
        config.client_id = t + "-client";
        config.client_secret = Secret(t + "-secret");
        config.company_uid = t + "-company";
        config.connect_timeout = milliseconds(1000);
        config.request_timeout = milliseconds(2000);
        return config;
    }

    AlmsClient& client(core::DataCenter dc = core::DataCenter::na) {
        return client_with(config_for(dc));
    }

    AlmsClient& client_with(DataCenterConfig config) {
        TransportOptions options;
        options.connect_timeout = config.connect_timeout;
        options.request_timeout = config.request_timeout;
        options.ca_bundle = config.ca_bundle;
        m_transport = std::make_unique<CurlTransport>(options);
        m_client = std::make_unique<AlmsClient>(std::move(config), *m_transport, clock, policy,
                                                [] { return 0.0; });
        return *m_client;
    }

    AttemptOutcome attempt(AlmsClient& c, const RegistrationRequest& r) {
        auto outcome = c.register_unit(r);
        EXPECT_TRUE(outcome) << (outcome ? "" : outcome.error().message);
        if (!outcome) return {};
        EXPECT_EQ(outcome->detail.find("secret"), std::string::npos) << outcome->detail;
        return *outcome;
    }

    RetryPolicy policy{4, milliseconds(200), milliseconds(2000), milliseconds(600000),
                       milliseconds(10000)};
    tests::AlmsStandin standin;
    ManualClock clock;

  private:
    std::unique_ptr<CurlTransport> m_transport;
    std::unique_ptr<AlmsClient> m_client;
};

TEST_F(AlmsClientTest, CreatesOnceThenFindsItsOwnSystem) {
    auto& c = client();
    const auto first = attempt(c, unit(0));
    ASSERT_EQ(first.kind, AttemptKind::registered) << first.detail;
    EXPECT_TRUE(first.created);
    EXPECT_FALSE(first.system_uid.empty());
    const auto second = attempt(c, unit(0));
    ASSERT_EQ(second.kind, AttemptKind::registered) << second.detail;
    EXPECT_FALSE(second.created);
    EXPECT_EQ(second.system_uid, first.system_uid);

    const json na = standin.tenant("na");
    EXPECT_EQ(na.at("creates"), 1);
    EXPECT_EQ(na.at("rejected_creates"), 0);
    const json& system = na.at("systems").at(0);
    EXPECT_EQ(system.at("gateway").at("serialNumber"), "LA12345678900");
    EXPECT_EQ(system.at("subscription").at("identifier"), k_iccid_na);
    EXPECT_EQ(system.at("labels"), json({"pallet:P-1", "term:3y", "po:PO-9"}));
    // The company parameter rides on every API call; the token call used Basic auth.
    for (const auto& request : na.at("requests")) {
        if (request.at("on") == "token") {
            EXPECT_EQ(request.at("auth"), "basic");
        } else {
            EXPECT_EQ(request.at("auth"), "bearer");
            EXPECT_NE(request.at("path").get<std::string>().find("company=na-company"),
                      std::string::npos);
        }
    }
    EXPECT_EQ(standin.tenant("eu").at("request_count"), 0);
}

TEST_F(AlmsClientTest, ExistingSystemWithTheSameDataIsNotCreatedAgain) {
    const auto r = unit(1);
    standin.seed_system("na", system_json(r, k_iccid_na));
    const auto outcome = attempt(client(), r);
    ASSERT_EQ(outcome.kind, AttemptKind::registered) << outcome.detail;
    EXPECT_FALSE(outcome.created);
    EXPECT_EQ(outcome.system_uid, standin.tenant("na").at("systems").at(0).at("uid"));
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);
}

TEST_F(AlmsClientTest, ConflictingSystemIsReportedWithBothSides) {
    const auto r = unit(2);
    standin.seed_system("na", system_json(r, k_iccid_other));
    const auto outcome = attempt(client(), r);
    ASSERT_EQ(outcome.kind, AttemptKind::conflict) << outcome.detail;
    ASSERT_TRUE(outcome.remote);
    EXPECT_EQ(outcome.remote->iccid, k_iccid_other);
    EXPECT_NE(outcome.detail.find(k_iccid_other), std::string::npos) << outcome.detail;
    EXPECT_NE(outcome.detail.find(k_iccid_na), std::string::npos) << outcome.detail;
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);
}

TEST_F(AlmsClientTest, GuardGlobalUnitNeverReachesTheNaTenant) {
    const auto outcome = client(core::DataCenter::na).register_unit(unit(0, core::Region::global));
    ASSERT_FALSE(outcome);
    EXPECT_NE(outcome.error().message.find("Global unit routes to the EU data center"),
              std::string::npos)
        << outcome.error().message;
    EXPECT_EQ(standin.tenant("na").at("request_count"), 0);
    const auto reverse = client(core::DataCenter::eu).register_unit(unit(0, core::Region::na));
    ASSERT_FALSE(reverse);
    EXPECT_EQ(reverse.error().reason, core::Reason::wrong_data_center);
    EXPECT_NE(reverse.error().message.find("NA unit routes to the NA data center"),
              std::string::npos);
    EXPECT_EQ(standin.tenant("eu").at("request_count"), 0);
    // The right pairing goes through.
    const auto eu = attempt(client(core::DataCenter::eu), unit(0, core::Region::global));
    EXPECT_EQ(eu.kind, AttemptKind::registered);
    EXPECT_EQ(standin.tenant("na").at("request_count"), 0);
}

TEST_F(AlmsClientTest, InvalidUnitsAreRefusedBeforeTheNetwork) {
    auto bad_imei = unit(0);
    bad_imei.unit.imei = "352753090123455";
    auto bad_iccid = unit(0);
    bad_iccid.unit.iccid = "8933240100000000011";
    auto bad_fsn = unit(0);
    bad_fsn.unit.fsn = "LA\x1b[2J";
    for (const auto& r : {bad_imei, bad_iccid, bad_fsn}) {
        const auto outcome = client().register_unit(r);
        ASSERT_FALSE(outcome);
        EXPECT_EQ(outcome.error().message.find('\x1b'), std::string::npos);
    }
    EXPECT_EQ(standin.tenant("na").at("request_count"), 0);
}

TEST_F(AlmsClientTest, TokenIsCachedUntilShortlyBeforeItExpires) {
    auto& c = client();
    attempt(c, unit(0));
    attempt(c, unit(1));
    EXPECT_EQ(standin.tenant("na").at("tokens_issued"), 1);
    EXPECT_EQ(c.tokens_fetched(), 1);
    clock.advance(token_lifetime(std::chrono::seconds(3600)) - milliseconds(1000));
    attempt(c, unit(2));
    EXPECT_EQ(standin.tenant("na").at("tokens_issued"), 1);
    clock.advance(milliseconds(1001));
    attempt(c, unit(3));
    EXPECT_EQ(standin.tenant("na").at("tokens_issued"), 2);
    EXPECT_EQ(token_lifetime(std::chrono::seconds(3600)), milliseconds(3300000));
    EXPECT_EQ(token_lifetime(std::chrono::seconds(86400)), milliseconds(86100000));
    EXPECT_EQ(token_lifetime(std::chrono::seconds(5)), milliseconds(4000));
    EXPECT_EQ(token_lifetime(std::chrono::seconds(0)), milliseconds(270000));
}

TEST_F(AlmsClientTest, TokenExpiringMidPushReauthenticatesOnce) {
    auto& c = client();
    attempt(c, unit(0));
    standin.add_faults("na", json::array({{{"on", "create"}, {"kind", "expire_token"}}}));
    const auto outcome = attempt(c, unit(1));
    ASSERT_EQ(outcome.kind, AttemptKind::registered) << outcome.detail;
    EXPECT_EQ(outcome.passes, 1);
    EXPECT_EQ(standin.tenant("na").at("tokens_issued"), 2);
    EXPECT_EQ(standin.tenant("na").at("creates"), 2);
}

TEST_F(AlmsClientTest, A401WithAFreshTokenIsAnErrorNotALoop) {
    standin.add_faults("na", json::array({{{"on", "lookup"},
                                           {"kind", "status"},
                                           {"status", 401},
                                           {"count", -1},
                                           {"body", {{"error", "invalid_token"}}}}}));
    const auto outcome = client().register_unit(unit(0));
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().reason, core::Reason::alms_auth_refused);
    EXPECT_NE(outcome.error().message.find("HTTP 401"), std::string::npos);
    EXPECT_EQ(standin.tenant("na").at("tokens_issued"), 2);
    EXPECT_EQ(standin.tenant("na").at("request_count"), 4);  // token, GET, token, GET
}

TEST_F(AlmsClientTest, RejectedClientCredentialsAreAnErrorThatHidesTheSecret) {
    auto config = config_for(core::DataCenter::na);
    config.client_secret = Secret("wrong-s3cr3t-xyz");
    const auto outcome = client_with(std::move(config)).register_unit(unit(0));
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().reason, core::Reason::alms_auth_refused);
    EXPECT_NE(outcome.error().message.find("HTTP 401 invalid_client"), std::string::npos)
        << outcome.error().message;
    EXPECT_NE(outcome.error().message.find("client_secret"), std::string::npos);
    EXPECT_EQ(outcome.error().message.find("wrong-s3cr3t-xyz"), std::string::npos);
    // The EU credentials are not valid on the NA tenant either.
    auto crossed = config_for(core::DataCenter::na);
    crossed.client_id = "eu-client";
    crossed.client_secret = Secret("eu-secret");
    EXPECT_FALSE(client_with(std::move(crossed)).register_unit(unit(0)));
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);
}

TEST_F(AlmsClientTest, Server500IsRetriedAfterBackoffA502CreateIsInDoubt) {
    standin.add_faults("na",
                       json::array({{{"on", "lookup"}, {"kind", "status"}, {"status", 500}},
                                    {{"on", "create"}, {"kind", "status"}, {"status", 502}}}));
    const auto outcome = attempt(client(), unit(0));
    // The 502 may come from a gateway after ALMS stored the unit: not looked up at once.
    ASSERT_EQ(outcome.kind, AttemptKind::retry_later) << outcome.detail;
    EXPECT_TRUE(outcome.create_in_doubt);
    EXPECT_EQ(outcome.passes, 2);
    // backoff(1) with jitter 0: 100 ms.
    EXPECT_EQ(clock.slept(), milliseconds(100));
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);
    const auto later = attempt(client(), unit(0));
    ASSERT_EQ(later.kind, AttemptKind::registered) << later.detail;
    EXPECT_FALSE(later.create_in_doubt);
    EXPECT_EQ(standin.tenant("na").at("creates"), 1);
}

TEST_F(AlmsClientTest, Status503HonoursRetryAfterSeconds) {
    standin.add_faults(
        "na", json::array(
                  {{{"on", "lookup"}, {"kind", "status"}, {"status", 503}, {"retry_after", "3"}}}));
    const auto outcome = attempt(client(), unit(0));
    ASSERT_EQ(outcome.kind, AttemptKind::registered) << outcome.detail;
    EXPECT_EQ(clock.slept(), milliseconds(3000));
}

TEST_F(AlmsClientTest, Status429HonoursRetryAfterHttpDate) {
    const std::string date = http_date(clock.wall_now() + std::chrono::seconds(7));
    standin.add_faults(
        "na",
        json::array(
            {{{"on", "create"}, {"kind", "status"}, {"status", 429}, {"retry_after", date}}}));
    const auto outcome = attempt(client(), unit(0));
    ASSERT_EQ(outcome.kind, AttemptKind::registered) << outcome.detail;
    EXPECT_EQ(clock.slept(), milliseconds(7000)) << date;
    EXPECT_EQ(standin.tenant("na").at("creates"), 1);
}

TEST_F(AlmsClientTest, LongRetryAfterGoesBackToTheOutbox) {
    standin.add_faults(
        "na",
        json::array(
            {{{"on", "lookup"}, {"kind", "status"}, {"status", 429}, {"retry_after", "120"}}}));
    const WallTime start = clock.wall_now();
    const auto outcome = attempt(client(), unit(0));
    ASSERT_EQ(outcome.kind, AttemptKind::retry_later) << outcome.detail;
    ASSERT_TRUE(outcome.not_before);
    EXPECT_EQ(*outcome.not_before - start, milliseconds(120000));
    EXPECT_EQ(outcome.http_status, 429);
    EXPECT_EQ(clock.slept(), milliseconds(0));
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);
}

TEST_F(AlmsClientTest, PersistentFailureGivesRetryLaterAfterBoundedPasses) {
    standin.add_faults("na", json::array({{{"on", "any"},
                                           {"kind", "status"},
                                           {"status", 500},
                                           {"count", -1},
                                           {"body", {{"error", "internal"}}}}}));
    const auto outcome = attempt(client(), unit(0));
    ASSERT_EQ(outcome.kind, AttemptKind::retry_later) << outcome.detail;
    EXPECT_EQ(outcome.passes, 4);
    EXPECT_EQ(outcome.http_status, 500);
    EXPECT_NE(outcome.detail.find("HTTP 500"), std::string::npos) << outcome.detail;
    // Slept 100 + 200 + 400 between the four passes; the fourth wait (800) is not_before.
    EXPECT_EQ(clock.slept(), milliseconds(700));
    ASSERT_TRUE(outcome.not_before);
    EXPECT_EQ(*outcome.not_before, clock.wall_now() + milliseconds(800));
    EXPECT_EQ(standin.tenant("na").at("request_count"), 4);  // token endpoint failed too
}

TEST_F(AlmsClientTest, SlowAnswerTimesOutAndIsRetried) {
    auto config = config_for(core::DataCenter::na);
    config.request_timeout = milliseconds(300);
    standin.add_faults("na",
                       json::array({{{"on", "lookup"}, {"kind", "slow"}, {"delay_ms", 1500}}}));
    const auto outcome = attempt(client_with(std::move(config)), unit(0));
    ASSERT_EQ(outcome.kind, AttemptKind::registered) << outcome.detail;
    EXPECT_EQ(outcome.passes, 2);
    EXPECT_EQ(standin.tenant("na").at("creates"), 1);
}

TEST_F(AlmsClientTest, SlowAnswerEveryTimeReportsTheTimeout) {
    auto config = config_for(core::DataCenter::na);
    config.request_timeout = milliseconds(200);
    policy.max_attempts = 2;
    standin.add_faults(
        "na", json::array({{{"on", "lookup"}, {"kind", "slow"}, {"delay_ms", 600}, {"count", 2}}}));
    const auto outcome = attempt(client_with(std::move(config)), unit(0));
    ASSERT_EQ(outcome.kind, AttemptKind::retry_later) << outcome.detail;
    EXPECT_NE(outcome.detail.find("timed out"), std::string::npos) << outcome.detail;
}

TEST_F(AlmsClientTest, DroppedConnectionIsRetriedUnlessItCarriedACreate) {
    standin.add_faults("na", json::array({{{"on", "token"}, {"kind", "drop"}},
                                          {{"on", "create"}, {"kind", "drop"}}}));
    const auto outcome = attempt(client(), unit(0));
    ASSERT_EQ(outcome.kind, AttemptKind::retry_later) << outcome.detail;
    EXPECT_TRUE(outcome.create_in_doubt);
    EXPECT_EQ(outcome.passes, 2);
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);
}

TEST_F(AlmsClientTest, AnswerLostAfterCreateDoesNotCreateTwice) {
    standin.add_faults("na", json::array({{{"on", "create"}, {"kind", "drop"}, {"after", true}}}));
    auto& c = client();
    const auto outcome = attempt(c, unit(0));
    // In doubt: no look-up in this call (ALMS may not have stored it yet).
    ASSERT_EQ(outcome.kind, AttemptKind::retry_later) << outcome.detail;
    EXPECT_TRUE(outcome.create_in_doubt);
    EXPECT_EQ(outcome.passes, 1);
    const auto later = attempt(c, unit(0));
    ASSERT_EQ(later.kind, AttemptKind::registered) << later.detail;
    EXPECT_FALSE(later.created);  // found by the look-up of the later attempt
    EXPECT_EQ(later.system_uid, standin.tenant("na").at("systems").at(0).at("uid"));
    EXPECT_EQ(standin.tenant("na").at("creates"), 1);
    EXPECT_EQ(standin.tenant("na").at("rejected_creates"), 0);
}

TEST_F(AlmsClientTest, MalformedJsonIsRetriedThenReported) {
    standin.add_faults("na", json::array({{{"on", "lookup"}, {"kind", "malformed"}}}));
    const auto ok = attempt(client(), unit(0));
    ASSERT_EQ(ok.kind, AttemptKind::registered) << ok.detail;
    EXPECT_EQ(ok.passes, 2);

    standin.add_faults("na",
                       json::array({{{"on", "lookup"}, {"kind", "malformed"}, {"count", -1}}}));
    const auto bad = attempt(client(), unit(1));
    ASSERT_EQ(bad.kind, AttemptKind::retry_later) << bad.detail;
    EXPECT_NE(bad.detail.find("malformed JSON"), std::string::npos) << bad.detail;
    EXPECT_EQ(standin.tenant("na").at("creates"), 1);

    standin.reset();
    standin.add_faults("na", json::array({{{"on", "token"}, {"kind", "malformed"}}}));
    const auto token = attempt(client(), unit(2));
    EXPECT_EQ(token.kind, AttemptKind::registered) << token.detail;
}

TEST_F(AlmsClientTest, Final4xxIsRecordedWithTheServerError) {
    standin.add_faults("na", json::array({{{"on", "create"},
                                           {"kind", "status"},
                                           {"status", 400},
                                           {"body",
                                            {{"error", "system.subscription.unknown"},
                                             {"errorParameters", {k_iccid_na, "identifier"}}}}}}));
    const auto outcome = attempt(client(), unit(0));
    ASSERT_EQ(outcome.kind, AttemptKind::failed_final) << outcome.detail;
    EXPECT_EQ(outcome.http_status, 400);
    ASSERT_TRUE(outcome.server_error);
    EXPECT_EQ(outcome.server_error->code, "system.subscription.unknown");
    EXPECT_EQ(outcome.server_error->parameters,
              (std::vector<std::string>{k_iccid_na, "identifier"}));
    EXPECT_NE(outcome.detail.find("system.subscription.unknown"), std::string::npos);
    EXPECT_EQ(outcome.passes, 1);
    EXPECT_EQ(clock.slept(), milliseconds(0));
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);
}

TEST_F(AlmsClientTest, CreateRefusedAsDuplicateLooksAgain) {
    // Another station created it between our look-up and our create: the server refuses the
    // second create, and one more look-up finds it.
    const auto r = unit(0);
    standin.seed_system("na", system_json(r, k_iccid_na));
    standin.add_faults("na", json::array({{{"on", "lookup"},
                                           {"kind", "status"},
                                           {"status", 200},
                                           {"body", {{"items", json::array()}, {"count", 0}}}}}));
    const auto outcome = attempt(client(), r);
    ASSERT_EQ(outcome.kind, AttemptKind::registered) << outcome.detail;
    EXPECT_FALSE(outcome.created);
    EXPECT_EQ(standin.tenant("na").at("rejected_creates"), 1);
    EXPECT_EQ(standin.tenant("na").at("creates"), 0);
}

TEST_F(AlmsClientTest, WrongCompanyIsFinal) {
    auto config = config_for(core::DataCenter::na);
    config.reseller_target_company = "someone-else";
    const auto outcome = attempt(client_with(std::move(config)), unit(0));
    ASSERT_EQ(outcome.kind, AttemptKind::failed_final) << outcome.detail;
    EXPECT_EQ(outcome.http_status, 403);
    EXPECT_NE(outcome.detail.find("company.forbidden [someone-else]"), std::string::npos)
        << outcome.detail;
}

TEST_F(AlmsClientTest, NetworkDownGivesRetryLater) {
    auto config = config_for(core::DataCenter::na);
    config.base_url = *check_base_url(
        "http://127.0.0.1:" + std::to_string(tests::closed_loopback_port()) + "/na", "test");
    const auto outcome = attempt(client_with(std::move(config)), unit(0));
    ASSERT_EQ(outcome.kind, AttemptKind::retry_later) << outcome.detail;
    EXPECT_NE(outcome.detail.find("token request"), std::string::npos) << outcome.detail;
    ASSERT_TRUE(outcome.not_before);
}

}  // namespace
}  // namespace station::alms
