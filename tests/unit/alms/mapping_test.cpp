// The one place that knows the ALMS wire shape: requests built, answers parsed, bad answers
// reported without quoting secrets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <station/alms/mapping.hpp>

namespace station::alms {
namespace {

using nlohmann::json;

UnitRecord sample_unit() {
    UnitRecord unit;
    unit.fsn = "LA12345678901";
    unit.imei = "352753090123456";
    unit.iccid = "89014103211118510720";
    unit.imsi = "310410123456789";
    unit.name = "XR90 bay 3";
    unit.region = core::Region::na;
    unit.labels = {"pallet:P-17"};
    return unit;
}

TEST(AlmsMapping, CreateBodyHasTheSystemShape) {
    RegistrationRequest request{sample_unit(), Term::three_years, "PO-4711"};
    const json body = json::parse(mapping::create_body(request));
    EXPECT_EQ(body.at("name"), "XR90 bay 3");
    EXPECT_EQ(body.at("gateway").at("imei"), "352753090123456");
    EXPECT_EQ(body.at("gateway").at("serialNumber"), "LA12345678901");
    EXPECT_EQ(body.at("subscription").at("identifier"), "89014103211118510720");
    EXPECT_EQ(body.at("subscription").at("networkIdentifier"), "310410123456789");
    EXPECT_EQ(body.at("lifeCycleState"), "INVENTORY");
    EXPECT_EQ(body.at("labels"), json({"pallet:P-17", "term:3y", "po:PO-4711"}));
}

TEST(AlmsMapping, CreateBodyDefaultsNameToSerialAndSkipsEmptyImsiAndPo) {
    RegistrationRequest request{sample_unit(), Term::one_year, ""};
    request.unit.name.clear();
    request.unit.imsi.clear();
    request.unit.labels.clear();
    const json body = json::parse(mapping::create_body(request));
    EXPECT_EQ(body.at("name"), "LA12345678901");
    EXPECT_FALSE(body.at("subscription").contains("networkIdentifier"));
    EXPECT_EQ(body.at("labels"), json({"term:1y"}));
}

TEST(AlmsMapping, CreateBodySurvivesInvalidUtf8) {
    RegistrationRequest request{sample_unit(), Term::one_year, ""};
    request.unit.name = std::string("bad\xff\xfe name");
    const json body = json::parse(mapping::create_body(request));
    EXPECT_TRUE(body.at("name").is_string());
}

TEST(AlmsMapping, TargetsEncodeQueryValues) {
    const UnitRecord unit = sample_unit();
    EXPECT_EQ(mapping::lookup_target(unit, ""),
              "/api/v1/"
              "systems?gateway=imei%3A352753090123456&fields=uid%2Cname%2Cgateway%2Csubscription");
    EXPECT_EQ(
        mapping::lookup_target(unit, "c 1&x=y"),
        "/api/v1/systems?gateway=imei%3A352753090123456&fields=uid%2Cname%2Cgateway%2Csubscription"
        "&company=c%201%26x%3Dy");
    EXPECT_EQ(mapping::create_target(""), "/api/v1/systems");
    EXPECT_EQ(mapping::create_target("abc"), "/api/v1/systems?company=abc");
    EXPECT_EQ(mapping::acting_company("own", ""), "own");
    EXPECT_EQ(mapping::acting_company("own", "customer"), "customer");
}

TEST(AlmsMapping, ParsesSystemLists) {
    const auto list = mapping::parse_system_list(
        R"({"items":[{"uid":"u1","name":"n","gateway":{"imei":"1","serialNumber":"S"},
            "subscription":{"identifier":"8901","networkIdentifier":"3104"}},
           {"uid":"u2","name":null,"gateway":null}],"count":2,"size":100,"offset":0})",
        "GET");
    ASSERT_TRUE(list) << list.error().message;
    ASSERT_EQ(list->size(), 2U);
    EXPECT_EQ((*list)[0].uid, "u1");
    EXPECT_EQ((*list)[0].serial, "S");
    EXPECT_EQ((*list)[0].iccid, "8901");
    EXPECT_EQ((*list)[0].imsi, "3104");
    EXPECT_EQ((*list)[1].imei, "");
    const auto empty = mapping::parse_system_list(R"({"items":[],"count":0})", "GET");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
}

TEST(AlmsMapping, RejectsMalformedSystemLists) {
    const char* bad[] = {
        "",
        "{",
        R"({"items": [{"uid": "trunc)",
        "<html>502 Bad Gateway</html>",
        "[]",
        R"({"count": 0})",
        R"({"items": {}})",
        R"({"items": [1]})",
        R"({"items": [{"name": "no uid"}]})",
        R"({"items": [{"uid": 5}]})",
        R"({"items": [{"uid": "u", "gateway": "x"}]})",
        R"({"items": [{"uid": "u", "gateway": {"imei": 352753090123456}}]})",
        R"({"items": [{"uid": "u", "name": ["x"]}]})",
    };
    for (const char* body : bad) {
        const auto list = mapping::parse_system_list(body, "ALMS na: GET /api/v1/systems");
        ASSERT_FALSE(list) << body;
        EXPECT_NE(list.error().message.find("ALMS na: GET /api/v1/systems"), std::string::npos);
    }
    const auto html = mapping::parse_system_list("<html>\x1b[2J", "GET");
    ASSERT_FALSE(html);
    EXPECT_NE(html.error().message.find("malformed JSON"), std::string::npos);
    EXPECT_EQ(html.error().message.find('\x1b'), std::string::npos);  // sanitized
}

TEST(AlmsMapping, ParsesTokensWithoutQuotingThem) {
    const auto token = mapping::parse_token(R"({"access_token":"tok-123","expires_in":3600})");
    ASSERT_TRUE(token);
    EXPECT_EQ(token->access_token.reveal(), "tok-123");
    EXPECT_EQ(token->expires_in, std::chrono::seconds(3600));
    const auto no_expiry = mapping::parse_token(R"({"access_token":"t"})");
    ASSERT_TRUE(no_expiry);
    EXPECT_EQ(no_expiry->expires_in, std::chrono::seconds(0));
    const char* bad[] = {
        R"({"access_token":"SECRET-TOKEN-XYZ)",  // truncated: must not be quoted back
        R"({"access_token":""})",
        R"({"access_token":5})",
        R"({"token":"SECRET-TOKEN-XYZ"})",
        R"({"access_token":"SECRET-TOKEN-XYZ","expires_in":"soon"})",
        "[]",
        "",
    };
    for (const char* body : bad) {
        const auto parsed = mapping::parse_token(body);
        ASSERT_FALSE(parsed) << body;
        EXPECT_EQ(parsed.error().message.find("SECRET-TOKEN-XYZ"), std::string::npos);
    }
}

TEST(AlmsMapping, ParsesErrorsAndCreatedUids) {
    const auto error = mapping::parse_error(
        R"({"error":"system.gateway.imei.not.unique","errorParameters":["imei","35",7]})");
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, "system.gateway.imei.not.unique");
    EXPECT_EQ(error->parameters, (std::vector<std::string>{"imei", "35", "7"}));
    EXPECT_EQ(mapping::describe(error), "system.gateway.imei.not.unique [imei, 35, 7]");
    EXPECT_FALSE(mapping::parse_error(""));
    EXPECT_FALSE(mapping::parse_error("<html>"));
    EXPECT_FALSE(mapping::parse_error(R"({"message":"x"})"));
    EXPECT_EQ(mapping::describe(std::nullopt), "");

    const auto uid = mapping::parse_created_uid(R"({"uid":"abc","name":"n"})", "POST");
    ASSERT_TRUE(uid);
    EXPECT_EQ(*uid, "abc");
    EXPECT_FALSE(mapping::parse_created_uid(R"({"name":"n"})", "POST"));
    EXPECT_FALSE(mapping::parse_created_uid("{", "POST"));
    EXPECT_FALSE(mapping::parse_created_uid(R"([{"uid":"x"}])", "POST"));
}

TEST(AlmsMapping, SameUnitNeedsSerialAndIccid) {
    const UnitRecord unit = sample_unit();
    RemoteSystem remote{"u", "n", unit.imei, unit.fsn, unit.iccid, ""};
    EXPECT_TRUE(mapping::same_unit(remote, unit));
    remote.iccid = "89014103211118510738";
    EXPECT_FALSE(mapping::same_unit(remote, unit));
    remote.iccid = unit.iccid;
    remote.serial = "LA00000000000";
    EXPECT_FALSE(mapping::same_unit(remote, unit));
    const std::string text = mapping::describe(RemoteSystem{"u\x1b", "n", "1", "S", "I", ""});
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace station::alms
