// Versions are recorded (issue 12, item 10): `station --version`; every run stores the station
// version and the SHA-256 of each profile file it used, shown by `report` (text and JSON); the
// shipped profiles are found beside the installed binary. Also item 14: error lines carry the
// word "error:".
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "sim_bench.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
constexpr std::chrono::seconds k_versions_bound{120};

const std::string k_profiles = std::string(STATION_SOURCE_DIR) + "/profiles";

tests::ProcessResult run(std::vector<std::string> args) {
    return tests::run_process(args, k_versions_bound);
}

// sha256sum's digest of a file: an implementation other than the station's.
std::string sha256sum(const std::string& path) {
    const auto r = run({"/usr/bin/sha256sum", path});
    return r.out.substr(0, 64);
}

TEST(Versions, VersionOption) {
    const auto r = run({tests::station_binary(), "--version"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("station 0.1.0", 0), 0U) << r.out;
    EXPECT_EQ(r.out.back(), '\n');
}

TEST(Versions, EveryRunRecordsItsVersionAndProfileHashes) {
    tests::TempDir dir;
    const std::string db = dir.path() + "/station.db";
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 1U);
    ::unsetenv("STATION_PROFILES_DIR");
    auto r = run({tests::station_binary(), "provision", "--profile", "xr90-na", "--pallet", "P-V",
                  "--db", db, "--port", bench.ports()[0].path, "--json-events", "--no-manifest"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

    r = run({tests::station_binary(), "report", "--run", "1", "--format", "json", "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto doc = json::parse(r.out);
    ASSERT_EQ(doc["results"].size(), 1U);
    const auto& run_doc = doc["results"][0]["run"];
    const std::string version = run({tests::station_binary(), "--version"}).out;
    EXPECT_EQ("station " + run_doc["station_version"].get<std::string>() + "\n", version);
    const auto& profiles = run_doc["profiles"];
    std::size_t shipped = 0;
    for (const auto& entry : fs::directory_iterator(k_profiles)) {
        if (entry.path().extension() == ".toml") ++shipped;
    }
    // Every profile the decision could use, and the shared tables (networks.toml) it used.
    ASSERT_EQ(profiles.size(), shipped) << profiles.dump();
    const std::string tables = k_profiles + "/networks.toml";
    const auto networks = std::find_if(profiles.begin(), profiles.end(),
                                       [](const json& p) { return p["name"] == "networks"; });
    ASSERT_NE(networks, profiles.end()) << profiles.dump();
    EXPECT_EQ((*networks)["sha256"], sha256sum(tables));
    const std::string xr90 = k_profiles + "/xr90-na.toml";
    const std::string digest = sha256sum(xr90);
    ASSERT_EQ(digest.size(), 64U);
    bool found = false;
    for (const auto& p : profiles) {
        if (p["name"] != "xr90-na") continue;
        found = true;
        EXPECT_EQ(fs::canonical(p["path"].get<std::string>()), fs::canonical(xr90));
        EXPECT_EQ(p["sha256"], digest);
    }
    EXPECT_TRUE(found) << profiles.dump();

    r = run({tests::station_binary(), "report", "--run", "1", "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(version.substr(0, version.size() - 1).insert(0, "run 1: ")),
              std::string::npos)
        << r.out;
    const auto line_at = r.out.find("\n  xr90-na ");
    ASSERT_NE(line_at, std::string::npos) << r.out;
    const std::string line = r.out.substr(line_at + 1, r.out.find('\n', line_at + 1) - line_at - 1);
    EXPECT_NE(line.find(" sha256 " + digest + "  "), std::string::npos) << line;
}

// A copy of the station binary at <prefix>/bin/station.
std::string install_binary(const std::string& prefix) {
    fs::create_directories(prefix + "/bin");
    const std::string binary = prefix + "/bin/station";
    fs::copy_file(tests::station_binary(), binary);
    return binary;
}

TEST(Versions, ShippedProfilesAreFoundBesideTheInstalledBinary) {
    ::unsetenv("STATION_PROFILES_DIR");
    tests::TempDir dir;
    const std::string prefix = dir.path() + "/usr";
    const std::string station = install_binary(prefix);
    const std::string share = prefix + "/share/station/profiles";
    fs::create_directories(share);
    fs::copy_file(k_profiles + "/xr90-na.toml", share + "/xr90-na.toml");
    fs::copy_file(k_profiles + "/networks.toml", share + "/networks.toml");

    auto r = run({station, "profiles", "list"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("xr90-na"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("xr90-global"), std::string::npos) << "not the source tree's: " << r.out;

    r = run({station, "profiles", "list", "--profiles-dir", k_profiles});
    EXPECT_NE(r.out.find("xr90-global"), std::string::npos) << "--profiles-dir wins: " << r.out;

    const std::string bare = install_binary(dir.path() + "/opt");
    r = run({bare, "profiles", "list"});
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.err.find(dir.path() + "/opt/share/station/profiles"), std::string::npos)
        << "names where the profiles should be: " << r.err;
}

TEST(ErrorLines, EveryErrorLineCarriesTheWord) {
    tests::TempDir dir;
    const std::string bad = dir.path() + "/xr90-na.toml";
    std::ofstream(bad) << "name = \"xr90-na\"\nbogus = 1\n";
    const auto r = run({tests::station_binary(), "profiles", "list", "--profiles-dir", dir.path()});
    EXPECT_NE(r.exit_code, 0);
    ASSERT_FALSE(r.err.empty());
    std::size_t start = 0;
    while (start < r.err.size()) {
        const std::size_t end = std::min(r.err.find('\n', start), r.err.size());
        const std::string line = r.err.substr(start, end - start);
        EXPECT_EQ(line.rfind("station: profiles list: error: ", 0), 0U) << line;
        start = end + 1;
    }
}

}  // namespace
