// The transcript is one command away (issue 12, item 9): `station transcript` prints every
// attempt of a slot (or every slot result of a unit), newest first, with headers and escaped
// device bytes; `report --format json --with-transcripts` carries them. Also item 14: history
// matches FSNs ignoring letter case and says when nothing matches.
#include <algorithm>
#include <cctype>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "json_lines.hpp"
#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;
constexpr std::chrono::seconds k_transcript_bound{120};

class Transcripts : public testing::Test {
  protected:
    std::string db() const { return m_dir.path() + "/station.db"; }
    tests::ProcessResult station(std::vector<std::string> args) const {
        args.insert(args.begin(), tests::station_binary());
        return tests::run_process(args, k_transcript_bound);
    }
    // One good unit that prefixes replies with garbage bytes, one silent unit (ERROR, retried).
    void provision() {
        m_good = std::make_unique<tests::SimBench>(std::vector<std::string>{"xr90-na"},
                                                   std::vector<std::string>{"garbage_before"},
                                                   std::vector<std::string>{"--latency-ms", "0"});
        m_silent = std::make_unique<tests::SimBench>(std::vector<std::string>{"xr90-na"},
                                                     std::vector<std::string>{"silent"});
        ASSERT_EQ(m_good->ports().size(), 1U);
        ASSERT_EQ(m_silent->ports().size(), 1U);
        const auto r = station({"provision", "--profile", "xr90-na", "--pallet", "P-T", "--db",
                                db(), "--timeout-ms", "300", "--wait-s", "1", "--port", good_port(),
                                "--port", silent_port(), "--json-events", "--no-manifest"});
        ASSERT_EQ(r.exit_code, 2) << "the silent unit is an ERROR\n" << r.out << r.err;
        for (const auto& e : tests::json_lines(r.out)) {
            if (e.value("kind", "") == "unit_finished" && e.value("slot", "") == good_port()) {
                m_fsn = e.value("fsn", "");
            }
        }
        ASSERT_FALSE(m_fsn.empty()) << r.out;
    }
    std::string good_port() const { return m_good->ports()[0].path; }
    std::string silent_port() const { return m_silent->ports()[0].path; }

    std::string m_fsn;

  private:
    tests::TempDir m_dir;
    std::unique_ptr<tests::SimBench> m_good;
    std::unique_ptr<tests::SimBench> m_silent;
};

bool only_printable_lines(const std::string& text) {
    return std::none_of(text.begin(), text.end(), [](char c) {
        const auto b = static_cast<unsigned char>(c);
        return (b < 0x20 && c != '\n') || b == 0x7f;
    });
}

TEST_F(Transcripts, EveryAttemptOfASlotNewestFirstWithHeaders) {
    provision();
    const auto r = station({"transcript", "--run", "1", "--slot", silent_port(), "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto second = r.out.find("== run 1, slot " + silent_port() +
                                   ", attempt 2, FSN -, ERROR "
                                   "no_response, started ");
    const auto first = r.out.find("== run 1, slot " + silent_port() + ", attempt 1, FSN -, ERROR");
    ASSERT_NE(second, std::string::npos) << r.out;
    ASSERT_NE(first, std::string::npos) << r.out;
    EXPECT_LT(second, first) << "newest attempt first";
    EXPECT_NE(r.out.find(">> AT"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("+0."), std::string::npos) << "timestamps: " << r.out;
}

TEST_F(Transcripts, ByUnitAndEscapedAndMissing) {
    provision();
    std::string lower = m_fsn;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(c)); });
    auto r = station({"transcript", "--fsn", lower, "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("== run 1, slot " + good_port() + ", attempt 1, FSN " + m_fsn + ", PASS"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("<< "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\\x"), std::string::npos) << "garbage bytes shown escaped: " << r.out;
    EXPECT_TRUE(only_printable_lines(r.out)) << r.out;

    r = station({"transcript", "--run", "1", "--slot", "Z9", "--db", db()});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find("station: transcript: error: nothing recorded for slot Z9 in run 1"),
              std::string::npos)
        << r.err;

    r = station({"transcript", "--run", "1", "--db", db()});
    EXPECT_EQ(r.exit_code, 64) << r.err;
}

TEST_F(Transcripts, ReportJsonCarriesThemOnRequest) {
    provision();
    auto r =
        station({"report", "--run", "1", "--format", "json", "--with-transcripts", "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto doc = json::parse(r.out);
    ASSERT_EQ(doc["results"].size(), 3U) << "one PASS, two attempts of the silent unit";
    for (const auto& row : doc["results"]) {
        ASSERT_TRUE(row["slot"]["transcript"].is_string()) << row.dump();
        EXPECT_NE(row["slot"]["transcript"].get<std::string>().find(">> AT"), std::string::npos);
    }
    r = station({"report", "--run", "1", "--format", "json", "--db", db()});
    EXPECT_FALSE(json::parse(r.out)["results"][0]["slot"].contains("transcript"));
    r = station({"report", "--run", "1", "--format", "csv", "--with-transcripts", "--db", db()});
    EXPECT_EQ(r.exit_code, 64) << r.err;
}

TEST_F(Transcripts, HistoryIgnoresLetterCaseAndSaysWhenNothingMatches) {
    provision();
    std::string lower = m_fsn;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(c)); });
    ASSERT_NE(lower, m_fsn) << "the FSN has letters";
    auto r = station({"history", "--fsn", lower, "--json", "--db", db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["results"].size(), 1U) << r.out;

    r = station({"history", "--fsn", "NO-SUCH-UNIT", "--db", db()});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("no results for fsn NO-SUCH-UNIT"), std::string::npos) << r.out;
    r = station({"history", "--imei", "000000000000000", "--json", "--db", db()});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(json::parse(r.out)["results"].size(), 0U);
    EXPECT_NE(r.err.find("no results for imei 000000000000000"), std::string::npos) << r.err;
}

}  // namespace
