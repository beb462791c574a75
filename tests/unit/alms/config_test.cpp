// Credentials: where they come from, which files are refused, and that they never show.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <fstream>
#include <map>
#include <sstream>

#include <process.hpp>
#include <station/alms/config.hpp>
#include <station/alms/secret.hpp>

namespace station::alms {
namespace {

constexpr const char* k_secret = "s3cr3t-VALUE-never-shown";

EnvLookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

std::string write_file(const tests::TempDir& dir, const std::string& text, mode_t mode) {
    const std::string path = dir.path() + "/credentials.toml";
    {
        std::ofstream out(path);
        out << text;
    }
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
}

const std::string k_good = std::string(R"([na]
client_id = "na-id"
client_secret = ")") + k_secret +
                           R"("
company_uid = "company-na"
connect_timeout_ms = 1500

[eu]
client_id = "eu-id"
client_secret = "eu-secret"
base_url = "https://eu.example.test/alms/"
reseller_target_company = "customer-7"
ca_bundle = "/etc/station/proxy-ca.pem"
)";

TEST(AlmsConfig, ReadsOneTablePerDataCenter) {
    tests::TempDir dir;
    const auto path = write_file(dir, k_good, 0600);
    const auto na = load_config(core::DataCenter::na, {path, env_of({})});
    ASSERT_TRUE(na) << na.error().message;
    EXPECT_EQ(na->client_id, "na-id");
    EXPECT_EQ(na->client_secret.reveal(), k_secret);
    EXPECT_EQ(na->company_uid, "company-na");
    EXPECT_EQ(na->base_url.text, "https://na.airvantage.net");  // default from core
    EXPECT_EQ(na->connect_timeout, std::chrono::milliseconds(1500));
    EXPECT_EQ(na->request_timeout, std::chrono::milliseconds(30000));
    const auto eu = load_config(core::DataCenter::eu, {path, env_of({})});
    ASSERT_TRUE(eu) << eu.error().message;
    EXPECT_EQ(eu->base_url.text, "https://eu.example.test/alms");
    EXPECT_EQ(eu->reseller_target_company, "customer-7");
    EXPECT_EQ(eu->ca_bundle, "/etc/station/proxy-ca.pem");
}

TEST(AlmsConfig, RefusesFilesOthersCanRead) {
    tests::TempDir dir;
    for (const mode_t mode : {0644U, 0640U, 0604U, 0660U, 0606U, 0610U, 0601U}) {
        const auto path = write_file(dir, k_good, mode);
        const auto config = load_config(core::DataCenter::na, {path, env_of({})});
        ASSERT_FALSE(config) << std::oct << mode;
        const std::string& msg = config.error().message;
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
        std::ostringstream mode_text;
        mode_text << '0' << std::oct << mode;
        EXPECT_NE(msg.find("mode " + mode_text.str()), std::string::npos) << msg;
        EXPECT_EQ(msg.find(k_secret), std::string::npos);
    }
    const auto path = write_file(dir, k_good, 0400);
    EXPECT_TRUE(load_config(core::DataCenter::na, {path, env_of({})}));
}

TEST(AlmsConfig, TheDefaultFileIsCheckedToo) {
    tests::TempDir dir;
    const auto path = write_file(dir, k_good, 0644);
    const auto config = load_config(core::DataCenter::na,
                                    {std::nullopt, env_of({{"STATION_ALMS_CREDENTIALS", path}})});
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("mode 0644"), std::string::npos);
}

TEST(AlmsConfig, EnvironmentAloneWorksAndWinsOverTheFile) {
    tests::TempDir dir;
    const auto only_env =
        load_config(core::DataCenter::eu,
                    {std::nullopt, env_of({{"HOME", dir.path()},
                                           {"STATION_ALMS_EU_CLIENT_ID", "env-id"},
                                           {"STATION_ALMS_EU_CLIENT_SECRET", "env-secret"},
                                           {"STATION_ALMS_EU_BASE_URL", "http://127.0.0.1:9/eu"},
                                           {"STATION_ALMS_EU_REQUEST_TIMEOUT_MS", "250"}})});
    ASSERT_TRUE(only_env) << only_env.error().message;
    EXPECT_EQ(only_env->client_id, "env-id");
    EXPECT_EQ(only_env->base_url.scheme, Scheme::http_loopback);
    EXPECT_EQ(only_env->request_timeout, std::chrono::milliseconds(250));

    const auto path = write_file(dir, k_good, 0600);
    const auto mixed = load_config(core::DataCenter::na,
                                   {path, env_of({{"STATION_ALMS_NA_CLIENT_ID", "from-env"}})});
    ASSERT_TRUE(mixed);
    EXPECT_EQ(mixed->client_id, "from-env");
    EXPECT_EQ(mixed->client_secret.reveal(), k_secret);
}

TEST(AlmsConfig, MissingCredentialsSayWhereToPutThem) {
    tests::TempDir dir;
    const auto config =
        load_config(core::DataCenter::na, {std::nullopt, env_of({{"HOME", dir.path()}})});
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("client_id"), std::string::npos);
    EXPECT_NE(config.error().message.find("STATION_ALMS_NA_CLIENT_ID"), std::string::npos);
    const auto no_secret = load_config(
        core::DataCenter::na,
        {std::nullopt, env_of({{"HOME", dir.path()}, {"STATION_ALMS_NA_CLIENT_ID", "x"}})});
    ASSERT_FALSE(no_secret);
    EXPECT_NE(no_secret.error().message.find("STATION_ALMS_NA_CLIENT_SECRET"), std::string::npos);
    // A named file must exist.
    const auto missing = load_config(core::DataCenter::na, {dir.path() + "/nope.toml", env_of({})});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("nope.toml"), std::string::npos);
}

TEST(AlmsConfig, BadFilesAreNamedWithoutQuotingSecrets) {
    tests::TempDir dir;
    struct Row {
        std::string text;
        std::string expected;
    };
    const Row rows[] = {
        {std::string("[na]\nclient_secret = \"") + k_secret + "\n", "not valid TOML"},
        {std::string("[na]\nclient_secret = ") + k_secret + "\n", "not valid TOML"},
        {"[na]\nclient_id = \"x\"\nclinet_secret = \"y\"\n", "clinet_secret: unknown key"},
        {"[na]\nclient_id = 5\n", "client_id: must be a string"},
        {"[na]\nclient_id = \"x\"\nclient_secret = \"y\"\nconnect_timeout_ms = \"9\"\n",
         "connect_timeout_ms: must be an integer"},
        {"[na]\nclient_id = \"x\"\nclient_secret = \"y\"\nrequest_timeout_ms = 0\n", "must be 1.."},
        {"[us]\nclient_id = \"x\"\n", "unknown table 'us'"},
        {"na = 1\n", "must be a table"},
        {"[na]\nclient_id = \"x\"\nclient_secret = \"y\"\nbase_url = \"http://alms.example\"\n",
         "only https"},
        {"[na]\nclient_id = \"x\"\nclient_secret = \"y\"\nbase_url = \"ftp://alms.example\"\n",
         "unsupported scheme"},
        {"[na]\nclient_id = \"x\"\nclient_secret = \"y\"\nbase_url = "
         "\"https://u:p@alms.example\"\n",
         "user info"},
        {"[na]\nclient_id = \"x\"\nclient_secret = \"y\"\nbase_url = \"https://a.example/?q=1\"\n",
         "query"},
        {"[na]\nclient_id = \"x\"\nclient_secret = \"y\"\nbase_url = \"na.airvantage.net\"\n",
         "not a valid absolute URL"},
        // The other data center's address in this one's table.
        {"[na]\nclient_id = \"x\"\nclient_secret = \"y\"\nbase_url = "
         "\"https://eu.airvantage.net\"\n",
         "[na] base_url: https://eu.airvantage.net is the eu data center's address, not na's"},
        {"[na]\nclient_id = \"x\"\nclient_secret = \"y\"\nbase_url = "
         "\"https://EU.AirVantage.net./api\"\n",
         "is the eu data center's address, not na's"},
    };
    for (const auto& row : rows) {
        const auto path = write_file(dir, row.text, 0600);
        const auto config = load_config(core::DataCenter::na, {path, env_of({})});
        ASSERT_FALSE(config) << row.text;
        EXPECT_NE(config.error().message.find(row.expected), std::string::npos)
            << config.error().message;
        EXPECT_EQ(config.error().message.find(k_secret), std::string::npos)
            << config.error().message;
    }
}

TEST(AlmsConfig, TheOtherDataCentersAddressIsRefusedFromTheEnvironmentToo) {
    const auto eu = load_config(
        core::DataCenter::eu,
        {std::nullopt, env_of({{"STATION_ALMS_EU_CLIENT_ID", "id"},
                               {"STATION_ALMS_EU_CLIENT_SECRET", "s"},
                               {"STATION_ALMS_EU_BASE_URL", "https://na.airvantage.net"}})});
    ASSERT_FALSE(eu);
    EXPECT_EQ(eu.error().reason, core::Reason::bad_usage);
    EXPECT_NE(eu.error().message.find("is the na data center's address, not eu's"),
              std::string::npos)
        << eu.error().message;
    // Its own address, a proxy or a stand-in stay accepted.
    for (const char* url : {"https://eu.airvantage.net/", "https://alms-proxy.example"}) {
        const auto ok = load_config(core::DataCenter::eu,
                                    {std::nullopt, env_of({{"STATION_ALMS_EU_CLIENT_ID", "id"},
                                                           {"STATION_ALMS_EU_CLIENT_SECRET", "s"},
                                                           {"STATION_ALMS_EU_BASE_URL", url}})});
        EXPECT_TRUE(ok) << url << ": " << ok.error().message;
    }
}

TEST(AlmsConfig, RefusesDirectories) {
    tests::TempDir dir;
    const auto config = load_config(core::DataCenter::na, {dir.path(), env_of({})});
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("not a regular file"), std::string::npos);
}

TEST(AlmsSecret, StreamsRedactedAndWipesOnMove) {
    Secret secret(k_secret);
    std::ostringstream out;
    out << secret << ' ' << Secret();
    EXPECT_EQ(out.str(), "[redacted] [empty]");
    Secret moved(std::move(secret));
    EXPECT_EQ(moved.reveal(), k_secret);
    EXPECT_TRUE(secret.empty());  // NOLINT(bugprone-use-after-move): checks the wipe
    Secret assigned;
    assigned = std::move(moved);
    EXPECT_TRUE(moved.empty());  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(assigned.reveal(), k_secret);
}

}  // namespace
}  // namespace station::alms
