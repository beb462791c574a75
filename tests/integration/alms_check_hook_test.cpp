// The `retest --alms-check` hook as the app builds it (station/app/alms_check_session): the
// credentials file, the libcurl transport module and the real ALMS client against the local
// ALMS stand-in on 127.0.0.1 holding the unit in the wrong data center, with a stale ICCID, in
// both, nowhere; ALMS down; a data center missing from the file.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include <station/app/alms_check_session.hpp>
#include "alms_standin.hpp"
#include "process.hpp"
#include "unit_numbers.hpp"

namespace {

using nlohmann::json;
using station::core::DataCenter;
using station::core::FindingKind;
using station::core::Reason;
using station::core::Region;

const std::string k_iccid = tests::iccid_for(7);
const std::string k_old_iccid = tests::iccid_for(8);

class AlmsCheckHook : public testing::Test {
  protected:
    AlmsCheckHook() : m_credentials(m_dir.path() + "/credentials.toml") {
        ::setenv("STATION_ALMS_MODULE", STATION_ALMS_MODULE_PATH, 1);
        tests::write_credentials_file(m_credentials, standin.base_url("na"),
                                      standin.base_url("eu"));
        m_identity.imei = tests::imei_for(7);
        m_identity.iccid = k_iccid;
        m_identity.fsn = tests::serial_for(7);
    }

    void seed(const char* tenant, const std::string& uid, const std::string& iccid) const {
        standin.seed_system(
            tenant, {{"uid", uid},
                     {"name", m_identity.fsn},
                     {"gateway", {{"imei", m_identity.imei}, {"serialNumber", m_identity.fsn}}},
                     {"subscription", {{"identifier", iccid}}}});
    }

    tests::TempDir m_dir;
    tests::AlmsStandin standin;
    std::string m_credentials;
    station::core::Identity m_identity;
};

struct Where {
    const char* name;
    Region region;
    const char* na_iccid;  // "" = not in NA; "new" / "old"
    const char* eu_iccid;
    std::vector<FindingKind> findings;
};

TEST_F(AlmsCheckHook, LooksInBothDataCentersThroughTheRealClient) {
    const std::vector<Where> table{
        {"in its data center with its ICCID", Region::na, "new", "", {}},
        {"NA unit only in EU", Region::na, "", "new", {FindingKind::alms_wrong_data_center}},
        {"Global unit with a stale ICCID",
         Region::global,
         "",
         "old",
         {FindingKind::alms_iccid_stale}},
        {"in both", Region::na, "new", "new", {FindingKind::alms_duplicate}},
        {"nowhere", Region::global, "", "", {FindingKind::alms_missing}},
    };
    for (const auto& t : table) {
        SCOPED_TRACE(t.name);
        standin.reset();  // tokens too: a hook of its own, so one look-up per data center
        const auto hook = station::app::make_alms_check_hook(m_credentials, 2);
        for (const auto& [tenant, which] : {std::pair{"na", t.na_iccid}, {"eu", t.eu_iccid}}) {
            const std::string w(which);
            if (!w.empty())
                seed(tenant, std::string(tenant) + "-sys", w == "new" ? k_iccid : k_old_iccid);
        }
        const auto found = hook(m_identity, t.region, station::core::data_center_for(t.region));
        ASSERT_TRUE(found) << found.error().message;
        std::vector<FindingKind> kinds;
        for (const auto& f : *found) kinds.push_back(f.kind);
        EXPECT_EQ(kinds, t.findings);
        for (const char* tenant : {"na", "eu"}) {
            int lookups = 0;
            const json state = standin.tenant(tenant);
            for (const auto& r : state.at("requests")) {
                if (r.at("on") == "lookup") ++lookups;
                EXPECT_NE(r.at("on"), "create");
                EXPECT_NE(r.at("on"), "update");
            }
            EXPECT_EQ(lookups, 1) << tenant;
        }
    }
}

TEST_F(AlmsCheckHook, ALMSDownIsAnErrorNeverAPass) {
    const int closed = tests::closed_loopback_port();
    tests::write_credentials_file(m_credentials, standin.base_url("na"),
                                  "http://127.0.0.1:" + std::to_string(closed) + "/eu");
    const auto hook = station::app::make_alms_check_hook(m_credentials, 2);
    seed("na", "na-sys", k_iccid);
    const auto found = hook(m_identity, Region::na, DataCenter::na);
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().reason, Reason::alms_unavailable);
    EXPECT_NE(found.error().message.find("ALMS eu"), std::string::npos) << found.error().message;
}

TEST_F(AlmsCheckHook, ADataCenterMissingFromTheCredentialsFailsEveryCheck) {
    {
        std::ofstream out(m_credentials, std::ios::trunc);
        out << "[na]\nclient_id = \"na-client\"\nclient_secret = \"na-secret\"\n"
            << "company_uid = \"na-company\"\nbase_url = \"" << standin.base_url("na") << "\"\n";
    }
    ::chmod(m_credentials.c_str(), 0600);
    const auto hook = station::app::make_alms_check_hook(m_credentials, 2);
    seed("na", "na-sys", k_iccid);
    const auto found = hook(m_identity, Region::na, DataCenter::na);
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().reason, Reason::alms_unavailable);
    EXPECT_NE(found.error().message.find("ALMS eu: cannot look there"), std::string::npos)
        << found.error().message;
}

}  // namespace
