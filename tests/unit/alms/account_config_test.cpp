// Which ALMS account the credentials belong to (issue 15 item 6, DOMAIN.md "Second reading"):
// XR units go into a customer's AVC account; a configuration that would register them into a
// reseller's own account is refused with the reason, as `file:line: [dc] key: ...`.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <fstream>
#include <map>

#include <process.hpp>
#include <station/alms/config.hpp>

namespace station::alms {
namespace {

constexpr const char* k_head = "[na]\nclient_id = \"id\"\nclient_secret = \"s3cr3t-shh\"\n";

core::Result<DataCenterConfig> load(const tests::TempDir& dir, const std::string& text,
                                    std::map<std::string, std::string> env = {}) {
    const std::string path = dir.path() + "/credentials.toml";
    {
        std::ofstream out(path, std::ios::trunc);
        out << k_head << text;
    }
    EXPECT_EQ(::chmod(path.c_str(), 0600), 0);
    EnvLookup lookup = [env = std::move(env)](const std::string& name) {
        const auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    return load_config(core::DataCenter::na, {path, lookup});
}

TEST(AlmsAccount, CustomerAndResellerAccountsThatActForACustomerAreAccepted) {
    struct Row {
        const char* text;
        AccountType type;
        const char* company;
        const char* target;
    };
    const Row rows[] = {
        {"", AccountType::avc, "", ""},
        {"company_uid = \"cust-1\"\n", AccountType::avc, "cust-1", ""},
        {"account_type = \"avc\"\ncompany_uid = \"cust-1\"\n", AccountType::avc, "cust-1", ""},
        {"account_type = \"reseller\"\ncompany_uid = \"res-0\"\n"
         "reseller_target_company = \"cust-2\"\n",
         AccountType::reseller, "res-0", "cust-2"},
        // A target company alone says the credentials are a reseller's.
        {"reseller_target_company = \"cust-3\"\n", AccountType::reseller, "", "cust-3"},
    };
    tests::TempDir dir;
    for (const auto& row : rows) {
        const auto config = load(dir, row.text);
        ASSERT_TRUE(config) << row.text << config.error().message;
        EXPECT_EQ(config->account_type, row.type) << row.text;
        EXPECT_EQ(config->company_uid, row.company) << row.text;
        EXPECT_EQ(config->reseller_target_company, row.target) << row.text;
    }
}

TEST(AlmsAccount, AResellersOwnAccountForXrUnitsIsRefusedWithTheReason) {
    struct Row {
        const char* text;
        std::string expected;  // after "<file>:"
    };
    const std::string own = "XR units are registered into the customer's AVC account, never "
                            "into the reseller's own";
    const Row rows[] = {
        // Lines: 1 [na], 2 client_id, 3 client_secret, then the row's text.
        {"company_uid = \"res-0\"\naccount_type = \"reseller\"\n",
         "5: [na] account_type: a reseller account without reseller_target_company would "
         "register into the reseller's own account: " + own},
        {"account_type = \"reseller\"\ncompany_uid = \"res-0\"\n"
         "reseller_target_company = \"res-0\"\n",
         "6: [na] reseller_target_company: 'res-0' is company_uid, the reseller's own account: " +
             own},
        {"company_uid = \"res-0\"\nreseller_target_company = \"res-0\"\n",
         "5: [na] reseller_target_company: 'res-0' is company_uid, the reseller's own account"},
        {"account_type = \"avc\"\nreseller_target_company = \"cust-2\"\n",
         "5: [na] reseller_target_company: only for account_type = \"reseller\""},
        {"account_type = \"standard\"\n",
         "4: [na] account_type: must be \"avc\" (a customer's AVC account) or \"reseller\""},
    };
    tests::TempDir dir;
    const std::string file = dir.path() + "/credentials.toml:";
    for (const auto& row : rows) {
        const auto config = load(dir, row.text);
        ASSERT_FALSE(config) << row.text;
        EXPECT_EQ(config.error().reason, core::Reason::bad_usage);
        EXPECT_NE(config.error().message.find(file + row.expected), std::string::npos)
            << config.error().message;
        EXPECT_EQ(config.error().message.find("s3cr3t"), std::string::npos);
    }
}

TEST(AlmsAccount, TheEnvironmentNamesItselfInTheRefusal) {
    tests::TempDir dir;
    const auto config = load(dir, "company_uid = \"res-0\"\n",
                             {{"STATION_ALMS_NA_ACCOUNT_TYPE", "reseller"}});
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("environment variable STATION_ALMS_NA_ACCOUNT_TYPE: a "
                                          "reseller account without reseller_target_company"),
              std::string::npos)
        << config.error().message;
}

}  // namespace
}  // namespace station::alms
