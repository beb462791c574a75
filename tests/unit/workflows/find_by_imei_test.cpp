// AlmsClient::find_by_imei, the read-only look-up of a retest, against an ALMS in memory
// (fake_alms.hpp) and the manual clock: what ALMS holds, the retry policy, the error reasons.
#include <station/alms/client.hpp>

#include <gtest/gtest.h>

#include <optional>

#include <unit_numbers.hpp>
#include "fake_alms.hpp"

namespace {

using namespace std::chrono_literals;
using station::alms::AlmsClient;
using station::alms::ManualClock;
using station::alms::TransportError;
using station::core::DataCenter;
using station::core::Reason;
using tests::FakeAlms;
using tests::iccid_for;
using tests::imei_for;
using tests::serial_for;
namespace alms = station::alms;

alms::DataCenterConfig eu_config() {
    alms::DataCenterConfig c;
    c.data_center = DataCenter::eu;
    c.base_url = alms::BaseUrl{"http://127.0.0.1:9/eu", alms::Scheme::http_loopback, "127.0.0.1"};
    c.client_id = "eu-client";
    c.client_secret = alms::Secret("eu-secret");
    c.company_uid = "eu-company";
    return c;
}

struct Case {
    const char* name;
    std::function<void(FakeAlms&)> setup;
    std::optional<Reason> error;  // nullopt: answered
    std::size_t systems;          // found, when answered
    int lookups;                  // look-up requests sent
};

TEST(FindByImei, AnswersRetriesAndFailsWithTheClientsReasons) {
    auto script = [](FakeAlms::Call call, alms::HttpResponse answer) {
        return [call, answer](FakeAlms& a) { a.script({call, answer, false}); };
    };
    auto busy = FakeAlms::status(503);
    busy.retry_after = "2";
    const std::vector<Case> table{
        {"held: its system (an NA unit in EU: no guard on a read)",
         [](FakeAlms& a) {
             a.seed({"uid-1", imei_for(3), serial_for(3), iccid_for(3)});
         },
         std::nullopt, 1, 1},
        {"not held: empty",
         [](FakeAlms& a) {
             a.seed({"uid-9", imei_for(9), "LA9", iccid_for(9)});
         },
         std::nullopt, 0, 1},
        {"busy once: waits Retry-After, then answers", script(FakeAlms::Call::lookup, busy),
         std::nullopt, 0, 2},
        {"down: alms_unavailable after the attempts",
         [](FakeAlms& a) {
             for (int i = 0; i < 2; ++i) {
                 a.script({FakeAlms::Call::lookup,
                           FakeAlms::failure(TransportError::connect_failed), false});
             }
         },
         Reason::alms_unavailable, 0, 2},
        {"credentials refused", script(FakeAlms::Call::token, FakeAlms::status(401)),
         Reason::alms_auth_refused, 0, 0},
        {"company refused", script(FakeAlms::Call::lookup, FakeAlms::status(403)),
         Reason::alms_auth_refused, 0, 1},
        {"certificate not trusted",
         script(FakeAlms::Call::token, FakeAlms::failure(TransportError::tls_verification)),
         Reason::alms_tls_failed, 0, 0},
    };
    for (const auto& t : table) {
        SCOPED_TRACE(t.name);
        FakeAlms fake;
        ManualClock clock;
        t.setup(fake);
        AlmsClient client(eu_config(), fake, clock,
                          alms::RetryPolicy{2, 200ms, 2000ms, 600000ms, 10000ms},
                          [] { return 0.0; });
        const auto found = client.find_by_imei(imei_for(3));
        EXPECT_EQ(fake.count(FakeAlms::Call::lookup), t.lookups);
        EXPECT_EQ(fake.count(FakeAlms::Call::create) + fake.count(FakeAlms::Call::update), 0);
        if (t.error) {
            ASSERT_FALSE(found);
            EXPECT_EQ(found.error().reason, *t.error) << found.error().message;
            continue;
        }
        ASSERT_TRUE(found) << found.error().message;
        ASSERT_EQ(found->size(), t.systems);
        if (t.systems > 0) {
            EXPECT_EQ(found->front().uid, "uid-1");
            EXPECT_EQ(found->front().serial, serial_for(3));
            EXPECT_EQ(found->front().iccid, iccid_for(3));
        }
    }
}

TEST(FindByImei, AnInvalidImeiIsRefusedBeforeAnyRequest) {
    FakeAlms fake;
    ManualClock clock;
    AlmsClient client(eu_config(), fake, clock);
    for (const char* imei : {"", "35275300000000", "352753000000001x"}) {
        SCOPED_TRACE(imei);
        const auto found = client.find_by_imei(imei);
        ASSERT_FALSE(found);
        EXPECT_EQ(found.error().reason, Reason::bad_usage);
    }
    EXPECT_EQ(fake.count(FakeAlms::Call::token) + fake.count(FakeAlms::Call::lookup), 0);
}

}  // namespace
