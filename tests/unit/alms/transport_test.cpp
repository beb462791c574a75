// TLS verification is always on; the CA bundle option trusts a site's own CA; plain http
// leaves the station only for loopback.
#include <gtest/gtest.h>

#include <alms_standin.hpp>
#include <station/alms/client.hpp>
#include <station/alms/curl_transport.hpp>

namespace station::alms {
namespace {

using std::chrono::milliseconds;

RegistrationRequest na_unit() {
    RegistrationRequest request;
    request.unit.fsn = "LA0001";
    request.unit.imei = "352753090123454";
    request.unit.iccid = "89014103211118510720";
    request.unit.region = core::Region::na;
    return request;
}

DataCenterConfig na_config(const tests::AlmsStandin& standin) {
    DataCenterConfig config;
    config.data_center = core::DataCenter::na;
    config.base_url = *check_base_url(standin.base_url("na"), "test");
    config.client_id = "na-client";
    config.client_secret = Secret("na-secret");
    return config;
}

TEST(AlmsTransport, UntrustedCertificateIsRefused) {
    tests::AlmsStandin standin(3600, tests::AlmsStandin::Tls::on);
    CurlTransport transport(TransportOptions{});
    ManualClock clock;
    AlmsClient client(na_config(standin), transport, clock);
    const auto outcome = client.register_unit(na_unit());
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().reason, core::Reason::alms_tls_failed);
    EXPECT_NE(outcome.error().message.find("certificate"), std::string::npos)
        << outcome.error().message;
    EXPECT_EQ(clock.slept(), milliseconds(0));  // not retried: the setup is wrong
    EXPECT_EQ(standin.tenant("na").at("request_count"), 0);
}

TEST(AlmsTransport, CaBundleTrustsTheSitesOwnCa) {
    tests::AlmsStandin standin(3600, tests::AlmsStandin::Tls::on);
    TransportOptions options;
    options.ca_bundle = tests::AlmsStandin::tls_cert_path();
    CurlTransport transport(options);
    ManualClock clock;
    AlmsClient client(na_config(standin), transport, clock);
    const auto outcome = client.register_unit(na_unit());
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->kind, AttemptKind::registered) << outcome->detail;
    EXPECT_EQ(standin.tenant("na").at("creates"), 1);
}

TEST(AlmsTransport, MissingCaBundleIsAnError) {
    TransportOptions options;
    options.ca_bundle = "/nonexistent/ca.pem";
    CurlTransport transport(options);
    tests::AlmsStandin standin(3600, tests::AlmsStandin::Tls::on);
    HttpRequest request;
    request.url = standin.base_url("na") + "/api/oauth/token";
    const auto response = transport.send(request);
    EXPECT_EQ(response.error, TransportError::tls_verification) << response.error_message;
}

TEST(AlmsTransport, PlainHttpOnlyToLoopback) {
    CurlTransport transport(TransportOptions{});
    for (const char* url : {"http://192.0.2.1/api/v1/systems", "http://na.airvantage.net/api",
                            "ftp://127.0.0.1/x", "https://user:pw@127.0.0.1/x"}) {
        HttpRequest request;
        request.url = url;
        const auto response = transport.send(request);
        EXPECT_EQ(response.error, TransportError::url_refused) << url;
        EXPECT_EQ(response.error_message.find("pw@"), std::string::npos) << response.error_message;
    }
}

TEST(AlmsTransport, ResponsesAreBounded) {
    tests::AlmsStandin standin;
    nlohmann::json big = {{"items", nlohmann::json::array()}, {"pad", std::string(5000, 'x')}};
    standin.add_faults(
        "na", nlohmann::json::array(
                  {{{"on", "token"}, {"kind", "status"}, {"status", 200}, {"body", big}}}));
    TransportOptions options;
    options.max_response_bytes = 1024;
    CurlTransport transport(options);
    HttpRequest request;
    request.method = Method::post;
    request.url = standin.base_url("na") + "/api/oauth/token";
    const auto response = transport.send(request);
    EXPECT_EQ(response.error, TransportError::response_too_large) << response.error_message;
    EXPECT_NE(response.error_message.find("1024 bytes"), std::string::npos);
}

}  // namespace
}  // namespace station::alms
