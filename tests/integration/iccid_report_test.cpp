// What a unit says about its SIM is reported as it said it, through the built station against
// routersim case personalities: an ICCID that is read but fails validation (bad check digit,
// hex digits A-F in the account part) is shown and stored with FAIL iccid_invalid and the
// reason, never dropped as iccid_unreadable; Huawei's nibble-swapped ^ICCID is decoded. An IMEI
// with a wrong check digit is shown and stored the same way (imei_invalid).
#include <algorithm>
#include <filesystem>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;

constexpr std::chrono::seconds k_bound{60};

const std::string k_cases = STATION_SOURCE_DIR "/fixtures/personalities/cases/";
const std::vector<std::string> k_personalities{
    k_cases + "xr90-na-bad-check-digit.toml", k_cases + "huawei-iccid.toml",
    k_cases + "huawei-hex-iccid.toml", k_cases + "xr90-na-bad-imei.toml"};

class IccidReport : public testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_bench = std::make_unique<tests::SimBench>(k_personalities, std::vector<std::string>{},
                                                    std::vector<std::string>{"--latency-ms", "0"});
    }
    static void TearDownTestSuite() { s_bench.reset(); }

    static std::string port(const std::string& personality) {
        return s_bench->port_of(personality);
    }

    static inline std::unique_ptr<tests::SimBench> s_bench;
};

struct Case {
    std::string personality;
    int exit_code;
    std::string reason;  // "" for null
    std::string iccid;
    std::string iccid_command;
    std::string message_has;
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.personality;
}

const std::vector<Case> k_table{
    {"xr90-na-bad-check-digit", 1, "iccid_invalid", "89014104273001549165", "AT!ICCID?",
     "ICCID 89014104273001549165 is not valid (Luhn check digit wrong)"},
    {"huawei-iccid", 0, "", "8901260881234567005", "AT^ICCID?", "ICCID 8901260881234567005"},
    {"huawei-hex-iccid", 1, "iccid_invalid", "898604A6101770125379", "AT^ICCID?",
     "ICCID 898604A6101770125379 is not valid (has hex digits A-F, cannot be Luhn-checked)"},
};

class IccidIdentify : public IccidReport, public testing::WithParamInterface<Case> {};

TEST_P(IccidIdentify, ShowsWhatTheUnitSaid) {
    const Case& c = GetParam();
    const auto r = tests::run_process(
        {tests::station_binary(), "identify", "--port", port(c.personality), "--json"}, k_bound);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
    const auto doc = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << r.out;
    EXPECT_EQ(doc["outcome"], c.reason.empty() ? "PASS" : "FAIL");
    EXPECT_EQ(doc["reason"], c.reason.empty() ? json(nullptr) : json(c.reason));
    EXPECT_EQ(doc["iccid"], c.iccid);
    EXPECT_EQ(doc["iccid_command"], c.iccid_command);
    EXPECT_NE(doc["message"].get<std::string>().find(c.message_has), std::string::npos)
        << doc["message"];
}

INSTANTIATE_TEST_SUITE_P(Table, IccidIdentify, testing::ValuesIn(k_table), [](const auto& row) {
    std::string name = row.param.personality;
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
});

TEST_F(IccidReport, TextViewShowsTheInvalidIccidAndTheReason) {
    const auto r = tests::run_process(
        {tests::station_binary(), "identify", "--port", port("huawei-hex-iccid")}, k_bound);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("iccid           898604A6101770125379  (AT^ICCID?)\n"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("outcome         FAIL iccid_invalid\n"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("cannot be Luhn-checked"), std::string::npos) << r.err;
}

TEST_F(IccidReport, ProvisionStoresTheInvalidIccid) {
    tests::TempDir dir;
    const std::string db = dir.path() + "/station.db";
    const auto run = tests::run_process(
        {tests::station_binary(), "provision", "--profile", "xr90-na", "--pallet", "P-ICCID",
         "--db", db, "--port", port("xr90-na-bad-check-digit"), "--port", port("huawei-hex-iccid"),
         "--no-manifest"},
        k_bound);
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    for (const std::string iccid : {"89014104273001549165", "898604A6101770125379"}) {
        const auto history = tests::run_process(
            {tests::station_binary(), "history", "--iccid", iccid, "--json", "--db", db}, k_bound);
        ASSERT_EQ(history.exit_code, 0) << history.err;
        const auto doc = json::parse(history.out, nullptr, false);
        ASSERT_TRUE(doc.is_object()) << history.out;
        ASSERT_EQ(doc["results"].size(), 1U) << history.out;
        const auto& slot = doc["results"][0]["slot"];
        EXPECT_EQ(slot["iccid"], iccid);
        EXPECT_EQ(slot["outcome"], "FAIL");
        EXPECT_EQ(slot["reason"], "iccid_invalid");
        EXPECT_NE(slot["message"].get<std::string>().find("is not valid"), std::string::npos)
            << slot["message"];
    }
}

TEST_F(IccidReport, InvalidImeiIsShownAndStored) {
    const std::string imei = "354125080777715";
    const auto r = tests::run_process(
        {tests::station_binary(), "identify", "--port", port("xr90-na-bad-imei"), "--json"},
        k_bound);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto doc = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << r.out;
    EXPECT_EQ(doc["reason"], "imei_invalid");
    EXPECT_EQ(doc["imei"], imei);
    EXPECT_NE(doc["message"].get<std::string>().find("IMEI " + imei +
                                                     " is not valid (Luhn check digit wrong)"),
              std::string::npos)
        << doc["message"];

    tests::TempDir dir;
    const std::string db = dir.path() + "/station.db";
    const auto run = tests::run_process(
        {tests::station_binary(), "provision", "--profile", "xr90-na", "--pallet", "P-IMEI", "--db",
         db, "--port", port("xr90-na-bad-imei"), "--no-manifest"},
        k_bound);
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    const auto history = tests::run_process(
        {tests::station_binary(), "history", "--imei", imei, "--json", "--db", db}, k_bound);
    const auto stored = json::parse(history.out, nullptr, false);
    ASSERT_TRUE(stored.is_object()) << history.out << history.err;
    ASSERT_EQ(stored["results"].size(), 1U) << history.out;
    EXPECT_EQ(stored["results"][0]["slot"]["reason"], "imei_invalid");
}

}  // namespace
