// Names in any language (issue 12, item 7): an operator and a pallet id in UTF-8 go through
// provision into the store and come back unchanged in history, the report table, CSV and JSON;
// invalid UTF-8 on the command line is bad usage (64) naming the option.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "json_lines.hpp"
#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;
constexpr std::chrono::seconds k_bound{120};

const std::string k_operator =
    "Zo\xc3\xab \xc3\x98"
    "deg\xc3\xa5rd";  // Zoë Ødegård
const std::string k_pallet = "\xe3\x83\x91\xe3\x83\xac\xe3\x83\x83\xe3\x83\x88-7";  // パレット-7

class Names : public testing::Test {
  protected:
    std::string db() const { return m_dir.path() + "/station.db"; }
    tests::ProcessResult station(std::vector<std::string> args) const {
        args.insert(args.begin(), tests::station_binary());
        return tests::run_process(args, k_bound);
    }
    tests::TempDir m_dir;
};

TEST_F(Names, UnicodeOperatorAndPalletComeBackUnchanged) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 1U);
    auto r = station({"provision", "--profile", "xr90-na", "--pallet", k_pallet, "--operator",
                      k_operator, "--db", db(), "--port", bench.ports()[0].path, "--json-events",
                      "--no-manifest"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    std::string fsn;
    for (const auto& e : tests::json_lines(r.out)) {
        if (e.value("kind", "") == "unit_finished") fsn = e.value("fsn", "");
    }
    ASSERT_FALSE(fsn.empty()) << r.out;

    r = station({"history", "--fsn", fsn, "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(k_pallet), std::string::npos) << "history table: " << r.out;

    r = station({"history", "--fsn", fsn, "--json", "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto history = json::parse(r.out);
    ASSERT_EQ(history["results"].size(), 1U);
    EXPECT_EQ(history["results"][0]["run"]["operator"], k_operator);
    EXPECT_EQ(history["results"][0]["run"]["lot"], k_pallet);

    r = station({"report", "--pallet", k_pallet, "--format", "csv", "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(k_operator), std::string::npos) << "CSV: " << r.out;
    EXPECT_NE(r.out.find(k_pallet), std::string::npos) << "CSV: " << r.out;

    r = station({"report", "--pallet", k_pallet, "--format", "json", "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = json::parse(r.out);
    ASSERT_EQ(report["results"].size(), 1U);
    EXPECT_EQ(report["results"][0]["run"]["operator"], k_operator);
    EXPECT_EQ(report["subject"]["id"], k_pallet);

    r = station({"report", "--pallet", k_pallet, "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(k_pallet), std::string::npos) << "table: " << r.out;
}

TEST_F(Names, InvalidUtf8OnTheCommandLineIsBadUsageNamingTheOption) {
    struct Case {
        std::vector<std::string> args;
        std::string option;
    };
    const std::vector<Case> cases{
        {{"provision", "--profile", "xr90-na", "--pallet", "P-1", "--operator", "Zo\xeb", "--port",
          "/dev/null"},
         "--operator"},
        {{"provision", "--profile", "xr90-na", "--pallet=P\xff", "--port", "/dev/null"},
         "--pallet"},
        {{"provision", "--profile", "xr90-na", "--pallet", "P-1", "--po", "\xc0\xaf", "--port",
          "/dev/null"},
         "--po"},
        {{"history", "--fsn", "\xe3\x83"}, "--fsn"},
    };
    ASSERT_EQ(cases.size(), 4U);
    for (const auto& c : cases) {
        auto args = c.args;
        args.push_back("--db");
        args.push_back(db());
        const auto r = station(args);
        EXPECT_EQ(r.exit_code, 64) << c.option << ": " << r.err;
        EXPECT_EQ(r.err.rfind("station: " + c.args.front() + ": error: ", 0), 0U) << r.err;
        EXPECT_NE(r.err.find(c.option + ": not valid UTF-8"), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
}

}  // namespace
