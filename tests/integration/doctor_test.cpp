// station doctor through the built binary: each check's OK, WARN and FAIL from injected inputs
// (STATION_DOCTOR_ROOT, _GROUPS, _NOW, _FREE_MIB, --db, --profiles-dir, --rig, --credentials),
// ALMS through the local stand-in on 127.0.0.1, the exit codes and both output forms.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>

#include "alms_standin.hpp"
#include "process.hpp"

namespace {

namespace fs = std::filesystem;
const std::string k_station = std::string(STATION_BINARY_DIR) + "/station/station";
const std::string k_rules = std::string(STATION_SOURCE_DIR) + "/scripts/udev/70-station-sierra.rules";
const std::string k_profiles = std::string(STATION_SOURCE_DIR) + "/profiles";
constexpr std::int64_t k_year = 366LL * 86400;

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::trunc) << text;
}

class Doctor : public ::testing::Test {
  protected:
    void SetUp() override {
        m_env = {{"HOME", dir() + "/home"},
                 {"XDG_CONFIG_HOME", dir() + "/home/.config"},
                 {"STATION_DOCTOR_ROOT", dir() + "/root"},
                 {"STATION_DOCTOR_GROUPS", "dialout,plugdev"},
                 {"STATION_DOCTOR_FREE_MIB", "5000"}};
        fs::create_directories(dir() + "/root/proc");
        auto store = station::store::Store::open(db());
        ASSERT_TRUE(store) << store.error().message;
    }

    const std::string& dir() const { return m_dir.path(); }
    std::string db() const { return dir() + "/station.db"; }

    // Runs `station doctor ARGS` in a clean environment (m_env only).
    tests::ProcessResult doctor(std::vector<std::string> args) {
        std::vector<std::string> argv{"/usr/bin/env", "-i"};
        for (const auto& [k, v] : m_env) argv.push_back(k + "=" + v);
        argv.push_back(k_station);
        argv.push_back("doctor");
        bool has_db = false;
        for (const auto& a : args) has_db = has_db || a == "--db";
        if (!has_db) args.insert(args.end(), {"--db", db()});
        argv.insert(argv.end(), args.begin(), args.end());
        return tests::run_process(argv, std::chrono::seconds(30));
    }

    // The JSON report's check named `name` (status, message, fix); null when absent.
    nlohmann::json check(std::vector<std::string> args, const std::string& name) {
        args.push_back("--json");
        const auto r = doctor(args);
        EXPECT_TRUE(r.exit_code >= 0 && r.exit_code <= 2) << r.err;
        const auto report = nlohmann::json::parse(r.out);
        EXPECT_EQ(report.at("exit_code").get<int>(), r.exit_code);
        for (const auto& c : report.at("checks")) {
            if (c.at("check") == name) return c;
        }
        return nullptr;
    }

    std::map<std::string, std::string> m_env;
    tests::TempDir m_dir;
};

struct Case {
    const char* what;
    const char* check;
    const char* status;
    const char* message_has;
};

// One check as the case expects it: status, a piece of the message, a fix unless OK.
void expect_case(const Case& c, const nlohmann::json& got) {
    ASSERT_FALSE(got.is_null()) << c.what << ": no check " << c.check;
    EXPECT_EQ(got.at("status"), c.status) << c.what << ": " << got.dump();
    EXPECT_NE(got.at("message").get<std::string>().find(c.message_has), std::string::npos)
        << c.what << ": " << got.dump();
    EXPECT_EQ(got.at("fix").is_null(), std::string(c.status) == "OK") << c.what;
}

TEST_F(Doctor, GroupsFromTheInjectedList) {
    const std::vector<std::pair<std::string, Case>> cases{
        {"dialout,plugdev,users", {"both", "groups", "OK", "dialout and plugdev"}},
        {"users,dialout", {"no plugdev", "groups", "WARN", "not in plugdev"}},
        {"plugdev", {"no dialout", "groups", "FAIL", "not in dialout"}},
        {"", {"none", "groups", "FAIL", "not in dialout"}},
    };
    for (const auto& [groups, c] : cases) {
        m_env["STATION_DOCTOR_GROUPS"] = groups;
        expect_case(c, check({}, "groups"));
    }
}

TEST_F(Doctor, UdevRulesAndModemManagerUnderTheRoot) {
    const std::string root = dir() + "/root";
    std::ifstream in(k_rules);
    const std::string rules((std::istreambuf_iterator<char>(in)), {});
    ASSERT_FALSE(rules.empty());
    expect_case({"no rules, no MM", "udev", "WARN", "no 70-station-sierra.rules"},
                check({}, "udev"));
    write(root + "/proc/4321/comm", "ModemManager\n");
    write(root + "/proc/77/comm", "bash\n");
    expect_case({"no rules, MM", "udev", "FAIL", "ModemManager running (pid 4321)"},
                check({}, "udev"));
    write(root + "/etc/udev/rules.d/70-station-sierra.rules", "# edited, ignores nothing\n");
    expect_case({"rules without the ignore, MM", "udev", "FAIL", "ID_MM_DEVICE_IGNORE"},
                check({}, "udev"));
    fs::remove(root + "/etc/udev/rules.d/70-station-sierra.rules");
    write(root + "/usr/lib/udev/rules.d/70-station-sierra.rules", rules);
    expect_case({"packaged rules, MM", "udev", "OK", "/usr/lib/udev/rules.d/"},
                check({}, "udev"));
    write(root + "/etc/udev/rules.d/70-station-sierra.rules", rules);
    fs::remove_all(root + "/proc/4321");
    expect_case({"local rules, no MM", "udev", "OK", "ModemManager not running"},
                check({}, "udev"));
}

TEST_F(Doctor, UsbWithoutRoutersIsAWarningNotAFailure) {
    // No router on this machine's bus (or no bus): WARN either way, never FAIL.
    const auto got = check({}, "usb");
    ASSERT_FALSE(got.is_null());
    EXPECT_EQ(got.at("status"), "WARN") << got.dump();
}

TEST_F(Doctor, DatabaseWritableIntactOrNot) {
    expect_case({"fresh store", "database", "OK", "integrity ok, schema version"},
                check({}, "database"));
    expect_case({"not yet created", "database", "WARN", "does not exist yet"},
                check({"--db", dir() + "/new.db"}, "database"));
    expect_case({"folder missing", "database", "FAIL", "does not exist"},
                check({"--db", dir() + "/nowhere/x.db"}, "database"));
    write(dir() + "/garbage.db", std::string(8192, 'x'));
    expect_case({"not a database", "database", "FAIL", "garbage.db"},
                check({"--db", dir() + "/garbage.db"}, "database"));
}

TEST_F(Doctor, DiskFreeSpaceAgainstTheThresholds) {
    const std::vector<std::pair<std::string, Case>> cases{
        {"1024", {"at the warning line", "disk", "OK", "1024 MiB free"}},
        {"1023", {"under 1 GiB", "disk", "WARN", "under 1024 MiB"}},
        {"100", {"at the failure line", "disk", "WARN", "100 MiB free"}},
        {"99", {"under 100 MiB", "disk", "FAIL", "under 100 MiB"}},
    };
    for (const auto& [mib, c] : cases) {
        m_env["STATION_DOCTOR_FREE_MIB"] = mib;
        expect_case(c, check({}, "disk"));
    }
    m_env.erase("STATION_DOCTOR_FREE_MIB");  // statvfs of the real folder: some figure
    const auto real = check({}, "disk");
    EXPECT_NE(real.at("message").get<std::string>().find("MiB free for " + dir()),
              std::string::npos)
        << real.dump();
}

TEST_F(Doctor, ProfilesValidBrokenOrNone) {
    expect_case({"shipped", "profiles", "OK", "profile(s) valid"},
                check({"--profiles-dir", k_profiles}, "profiles"));
    const std::string broken = dir() + "/profiles";
    fs::copy(k_profiles, broken);
    write(broken + "/bad.toml", "[sku\nfamily = \n");
    expect_case({"a broken file", "profiles", "FAIL", "bad.toml"},
                check({"--profiles-dir", broken}, "profiles"));
    fs::create_directories(dir() + "/empty");
    expect_case({"an empty folder", "profiles", "FAIL", "empty"},
                check({"--profiles-dir", dir() + "/empty"}, "profiles"));
}

TEST_F(Doctor, RigFilesValidWithTheirTtysOrNot) {
    write(dir() + "/tty-A1", "");
    write(dir() + "/good.toml", "name = \"b\"\nslot = [ { label = \"A1\", port = \"" + dir() +
                                    "/tty-A1\" } ]\n");
    write(dir() + "/missing.toml", "name = \"b\"\nslot = [ { label = \"B2\", port = \"" + dir() +
                                       "/tty-gone\" } ]\n");
    write(dir() + "/bad.toml", "name = \"b\"\nslot = [ { label = \"C3\", colour = \"red\" } ]\n");
    const std::vector<std::pair<std::string, Case>> cases{
        {"good.toml", {"tty there", "", "OK", "valid, 1 slot(s)"}},
        {"missing.toml", {"tty missing", "", "WARN", "B2 ("}},
        {"bad.toml", {"unknown key", "", "FAIL", "bad.toml:2"}},
    };
    for (const auto& [file, c] : cases) {
        const std::string path = dir() + "/" + file;
        expect_case(c, check({"--rig", path}, "rig " + path));
    }
}

TEST_F(Doctor, CredentialsFileMode) {
    const std::string file = dir() + "/credentials.toml";
    expect_case({"none", "credentials", "WARN", "no ALMS credentials file"},
                check({"--credentials", file}, "credentials"));
    tests::write_credentials_file(file, "http://127.0.0.1:1/na", "http://127.0.0.1:1/eu", 0600);
    expect_case({"0600", "credentials", "OK", "private to this user"},
                check({"--credentials", file}, "credentials"));
    ::chmod(file.c_str(), 0644);
    expect_case({"0644", "credentials", "FAIL", "mode"},
                check({"--credentials", file}, "credentials"));
    // The default file under XDG_CONFIG_HOME is found without --credentials.
    fs::create_directories(dir() + "/home/.config/station");
    tests::write_credentials_file(dir() + "/home/.config/station/credentials.toml",
                                  "http://127.0.0.1:1/na", "http://127.0.0.1:1/eu", 0640);
    expect_case({"default 0640", "credentials", "FAIL", "credentials.toml"},
                check({}, "credentials"));
}

TEST_F(Doctor, AlmsTokenPerDataCenterOnlyWhenOnline) {
    tests::AlmsStandin standin;
    const std::string file = dir() + "/credentials.toml";
    tests::write_credentials_file(file, standin.base_url("na"), standin.base_url("eu"), 0600);
    EXPECT_TRUE(check({"--credentials", file}, "alms na").is_null()) << "offline: no request";
    expect_case({"na answers", "alms na", "OK", "token request answered"},
                check({"--credentials", file, "--online"}, "alms na"));
    expect_case({"eu answers", "alms eu", "OK", "token request answered"},
                check({"--credentials", file, "--online"}, "alms eu"));
    const std::string down = "http://127.0.0.1:" + std::to_string(tests::closed_loopback_port());
    tests::write_credentials_file(file, standin.base_url("na"), down + "/eu", 0600);
    expect_case({"eu down", "alms eu", "FAIL", "token request failed"},
                check({"--credentials", file, "--online"}, "alms eu"));
    write(file, "[na]\nclient_id = \"na-client\"\nclient_secret = \"na-secret\"\nbase_url = \"" +
                    standin.base_url("na") + "\"\n");
    ::chmod(file.c_str(), 0600);
    expect_case({"eu not configured", "alms eu", "WARN", "no client_id"},
                check({"--credentials", file, "--online"}, "alms eu"));
    const auto na = check({"--credentials", file, "--online"}, "alms na");
    EXPECT_EQ(na.at("status"), "OK") << na.dump();
    EXPECT_EQ(na.dump().find("na-secret"), std::string::npos) << "no secret in the report";
}

TEST_F(Doctor, ClockAgainstTheBuildDate) {
    const std::int64_t now = now_s();
    const std::vector<std::pair<std::int64_t, Case>> cases{
        {now, {"now", "clock", "OK", "station built"}},
        {now + 6 * k_year, {"6 years on", "clock", "WARN", "over 5 years after the build"}},
        {now + 25 * k_year, {"25 years on", "clock", "FAIL", "absurdly far ahead"}},
        {0, {"1970", "clock", "FAIL", "before the build"}},
    };
    for (const auto& [at, c] : cases) {
        m_env["STATION_DOCTOR_NOW"] = std::to_string(at);
        expect_case(c, check({}, "clock"));
    }
}

TEST_F(Doctor, ExitCodeIsTheWorstCheckAndTextNamesTheFix) {
    // USB has no router here: WARN at best, so the whole is 1 with every other check OK.
    fs::create_directories(dir() + "/root/etc/udev/rules.d");
    fs::copy_file(k_rules, dir() + "/root/etc/udev/rules.d/70-station-sierra.rules");
    const std::string file = dir() + "/credentials.toml";
    tests::write_credentials_file(file, "http://127.0.0.1:1/na", "http://127.0.0.1:1/eu", 0600);
    auto r = doctor({"--credentials", file, "--profiles-dir", k_profiles});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("WARN  usb"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("OK    database"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("doctor: WARN\n"), std::string::npos) << r.out;
    m_env["STATION_DOCTOR_GROUPS"] = "users";
    r = doctor({"--credentials", file, "--profiles-dir", k_profiles});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.out.find("FAIL  groups       user not in dialout"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("fix: sudo usermod -aG dialout,plugdev"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("doctor: FAIL\n"), std::string::npos) << r.out;
}

TEST_F(Doctor, BadInjectedValuesAreUsageErrors) {
    m_env["STATION_DOCTOR_NOW"] = "soon";
    const auto r = doctor({});
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_NE(r.err.find("station: doctor: error: $STATION_DOCTOR_NOW: not a number"),
              std::string::npos)
        << r.err;
}

}  // namespace
