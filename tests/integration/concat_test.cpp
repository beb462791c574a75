// Fewer round trips through the built station and routersim (issue 14 items 1 and 2): the
// joinable queries on one concatenated line, and the same identity, outcome and reason whether
// the module accepts that line, refuses it, answers only part of it, echoes, or the station
// runs --no-concat; SIM errors under concatenation; a pallet learning the form once; the first
// sync without quiet waits, and what a stale or dirty line before it does.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>

#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr seconds k_bound{60};
const std::string k_cases = STATION_SOURCE_DIR "/fixtures/personalities/cases/";

json identify(const tests::SimBench& bench, const std::string& profile,
              std::vector<std::string> extra) {
    std::vector<std::string> argv{tests::station_binary(),
                                  "identify",
                                  "--port",
                                  bench.ports().at(0).path,
                                  "--json",
                                  "--transcript",
                                  "--profile",
                                  profile,
                                  "--manifest",
                                  bench.manifest()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const auto r = tests::run_process(argv, k_bound);
    EXPECT_FALSE(r.timed_out);
    auto doc = json::parse(r.out, nullptr, false);
    EXPECT_TRUE(doc.is_object()) << r.out << r.err;
    return doc;
}

// Everything the station concluded, without how it got there (steps, transcript).
json conclusion(json doc) {
    doc.erase("steps");
    doc.erase("transcript");
    return doc;
}

std::vector<std::string> sent_lines(const json& doc) {
    std::vector<std::string> out;
    for (const auto& e : doc["transcript"]) {
        if (e["dir"] == "tx") out.push_back(e["data"]);
    }
    return out;
}

std::size_t combined_lines(const std::vector<std::string>& sent) {
    return static_cast<std::size_t>(std::count_if(
        sent.begin(), sent.end(), [](const auto& s) { return s.find(';') != std::string::npos; }));
}

struct SameCase {
    const char* name;
    std::string personality;  // bare name or path
    const char* profile;
    std::size_t combined;  // combined lines sent with concatenation on
};

class ConcatSameIdentity : public testing::TestWithParam<SameCase> {};

TEST_P(ConcatSameIdentity, AsWithOneCommandPerLine) {
    const auto& c = GetParam();
    tests::SimBench bench({c.personality}, {}, {"--latency-ms", "5"});
    ASSERT_EQ(bench.ports().size(), 1U);
    const json joined = identify(bench, c.profile, {});
    const json single = identify(bench, c.profile, {"--no-concat"});
    EXPECT_EQ(joined["outcome"], "PASS") << joined.dump(1);
    EXPECT_EQ(conclusion(joined), conclusion(single)) << joined.dump(1) << single.dump(1);
    EXPECT_EQ(combined_lines(sent_lines(joined)), c.combined) << joined["steps"].dump(1);
    EXPECT_EQ(combined_lines(sent_lines(single)), 0U) << "--no-concat: one command per line";
    EXPECT_FALSE(joined["imsi"].is_null());
}

INSTANTIATE_TEST_SUITE_P(
    Modules, ConcatSameIdentity,
    testing::Values(SameCase{"accepts_echo_on", "xr90-na", "xr90-na", 1},
                    SameCase{"refuses", k_cases + "xr90-na-refuses-concat.toml", "xr90-na", 1},
                    SameCase{"answers_part", k_cases + "xr90-na-partial-concat.toml", "xr90-na", 1},
                    SameCase{"numeric_errors_off", k_cases + "xr90-na-cmee0.toml", "xr90-na", 1},
                    SameCase{"echo_kept_after_ate0", "xr60-na", "xr60-na", 1}),
    [](const auto& row) { return std::string(row.param.name); });

// The module that accepts: the whole plan is ATI (also the sync) and one line; no AT, ATE0,
// AT+CMEE=1, AT+CGSN or AT!IMPREF? (their steps are recorded skipped or not called for).
TEST(Concat, AcceptingModuleNeedsTwoLines) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "5"});
    ASSERT_EQ(bench.ports().size(), 1U);
    const json doc = identify(bench, "xr90-na", {});
    const std::vector<std::string> expected{"ATI\r", "AT+CPIN?;!ICCID?;+CIMI;!PRIID?\r"};
    EXPECT_EQ(sent_lines(doc), expected) << doc["steps"].dump(1);
    const json single = identify(bench, "xr90-na", {"--no-concat"});
    const std::vector<std::string> singles{"ATI\r", "AT+CPIN?\r", "AT!ICCID?\r", "AT+CIMI\r",
                                           "AT!PRIID?\r"};
    EXPECT_EQ(sent_lines(single), singles) << single["steps"].dump(1);
}

struct SimCase {
    const char* name;
    std::string personality;
    const char* fault;
    const char* reason;
};

class ConcatSimError : public testing::TestWithParam<SimCase> {};

TEST_P(ConcatSimError, GivesTodaysReasonAndMessage) {
    const auto& c = GetParam();
    tests::SimBench bench({c.personality}, {c.fault}, {"--latency-ms", "5"});
    ASSERT_EQ(bench.ports().size(), 1U);
    const json joined = identify(bench, "xr90-na", {});
    const json single = identify(bench, "xr90-na", {"--no-concat"});
    EXPECT_EQ(joined["outcome"], "FAIL");
    EXPECT_EQ(joined["reason"], c.reason) << joined["message"];
    EXPECT_EQ(joined["message"], single["message"]);
    EXPECT_EQ(conclusion(joined), conclusion(single));
}

INSTANTIATE_TEST_SUITE_P(
    Sim, ConcatSimError,
    testing::Values(SimCase{"not_inserted", "xr90-na", "no_sim", "sim_not_inserted"},
                    SimCase{"pin_required", "xr90-na", "pin_locked", "sim_pin_required"},
                    SimCase{"not_inserted_numeric_errors_off", k_cases + "xr90-na-cmee0.toml",
                            "no_sim", "sim_not_inserted"},
                    SimCase{"pin_required_refusing", k_cases + "xr90-na-refuses-concat.toml",
                            "pin_locked", "sim_pin_required"}),
    [](const auto& row) { return std::string(row.param.name); });

// A pallet of one model: the units racing at the start each try the combined line (at most once
// each: none waits for another's answer); what one learns is used by the units after it
// (ConcatMemory's unit test pins that part), and every unit passes with the same identity.
struct PalletCase {
    const char* name;
    std::string personality;
    const char* extra;     // station option, or ""
    std::size_t combined;  // most combined lines in all the run's transcripts
    std::size_t at_least;  // fewest
};

class ConcatPallet : public testing::TestWithParam<PalletCase> {};

TEST_P(ConcatPallet, LearnsTheFormOnce) {
    const auto& c = GetParam();
    constexpr int k_units = 4;
    tests::SimBench bench({c.personality}, {},
                          {"--count", std::to_string(k_units), "--latency-ms", "5"});
    ASSERT_EQ(bench.ports().size(), static_cast<std::size_t>(k_units));
    tests::TempDir dir;
    const std::string db = dir.path() + "/station.db";
    std::vector<std::string> argv{tests::station_binary(),
                                  "provision",
                                  "--profile",
                                  "xr90-na",
                                  "--pallet",
                                  "P-1",
                                  "--operator",
                                  "tester",
                                  "--db",
                                  db,
                                  "--manifest",
                                  bench.manifest()};
    for (const auto& port : bench.ports()) {
        argv.push_back("--port");
        argv.push_back(port.path);
    }
    if (std::string(c.extra).size() > 0) argv.push_back(c.extra);
    const auto r = tests::run_process(argv, seconds(120));
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    auto store = station::store::Store::open(db);
    ASSERT_TRUE(store) << store.error().message;
    const auto runs = store->list_runs();
    ASSERT_TRUE(runs && runs->size() == 1U);
    const auto rows = store->results_for_run(runs->front().run.id);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), static_cast<std::size_t>(k_units));
    std::size_t combined = 0;
    for (const auto& row : *rows) {
        const auto text = store->transcript(row.slot.id);
        ASSERT_TRUE(text);
        std::size_t at = 0;
        while ((at = text->find(">> AT+CPIN?;", at)) != std::string::npos) ++combined, ++at;
    }
    EXPECT_LE(combined, c.combined);
    EXPECT_GE(combined, c.at_least);
}

INSTANTIATE_TEST_SUITE_P(
    Pallets, ConcatPallet,
    testing::Values(PalletCase{"refusing", k_cases + "xr90-na-refuses-concat.toml", "", 4, 1},
                    PalletCase{"answering_part", k_cases + "xr90-na-partial-concat.toml", "", 4, 1},
                    PalletCase{"accepting", "xr90-na", "", 4, 4},
                    PalletCase{"accepting_no_concat", "xr90-na", "--no-concat", 0, 0}),
    [](const auto& row) { return std::string(row.param.name); });

// What a previous session left on the line: `command` written to the port, the port closed
// before the (slow) module answers, so its answer arrives while the next station syncs.
void leave_on_line(const std::string& port, const std::string& command) {
    const int fd = ::open(port.c_str(), O_RDWR | O_NOCTTY);
    ASSERT_GE(fd, 0) << port;
    const std::string wire = command + "\r";
    ASSERT_EQ(::write(fd, wire.data(), wire.size()), static_cast<ssize_t>(wire.size()));
    ::close(fd);
}

bool has_note(const json& doc, const std::string& text) {
    for (const auto& e : doc["transcript"]) {
        if (e["dir"] == "note" && e["data"].get<std::string>().find(text) != std::string::npos)
            return true;
    }
    return false;
}

bool has_step_note(const json& doc, const std::string& text) {
    for (const auto& s : doc["steps"]) {
        if (s["note"].get<std::string>().find(text) != std::string::npos) return true;
    }
    return false;
}

TEST(FastSync, CleanFirstAtiIsTheSyncWithNoQuietWait) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "5"});
    ASSERT_EQ(bench.ports().size(), 1U);
    const json doc = identify(bench, "xr90-na", {});
    EXPECT_EQ(doc["outcome"], "PASS");
    ASSERT_FALSE(doc["steps"].empty());
    EXPECT_EQ(doc["steps"][0]["command"], "ATI");
    EXPECT_EQ(doc["steps"][0]["note"], "first answer clean: it is the sync");
    EXPECT_FALSE(has_note(doc, "resynchronising")) << doc["transcript"].dump(1);
}

// A stale OK taken for ATI's answer (the first command): not an ATI answer, so the station
// resyncs in full (which waits ATI's late answer out) and asks ATI again; the identity is the
// unit's.
TEST(FastSync, StaleOkBeforeIdentifyStillGivesTheIdentity) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "400"});
    ASSERT_EQ(bench.ports().size(), 1U);
    leave_on_line(bench.ports()[0].path, "AT");
    const json doc = identify(bench, "xr90-na", {"--no-concat"});
    tests::SimBench fresh({"xr90-na"}, {}, {"--latency-ms", "5"});
    const json clean = identify(fresh, "xr90-na", {"--no-concat"});
    EXPECT_EQ(doc["outcome"], "PASS") << doc["message"];
    EXPECT_EQ(doc["imei"], clean["imei"]);
    EXPECT_EQ(doc["iccid"], clean["iccid"]);
    EXPECT_EQ(doc["fsn"], clean["fsn"]);
    EXPECT_TRUE(has_step_note(doc, "first answer not an ATI answer")) << doc["steps"].dump(1);
    EXPECT_TRUE(has_note(doc, "resynchronising")) << doc["transcript"].dump(1);
}

// A dirty first answer (another command's lines: a stale IMSI) is not taken for ATI's: the full
// resync with quiet periods runs and the identity is the unit's.
TEST(FastSync, DirtyFirstAnswerGetsTheFullResync) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "400"});
    ASSERT_EQ(bench.ports().size(), 1U);
    leave_on_line(bench.ports()[0].path, "AT+CIMI");
    const json doc = identify(bench, "xr90-na", {});
    EXPECT_EQ(doc["outcome"], "PASS") << doc["message"];
    EXPECT_EQ(doc["imei"], "354125080012765");
    EXPECT_EQ(doc["imsi"], "310410730015491");
    EXPECT_TRUE(has_step_note(doc, "first answer not an ATI answer")) << doc["steps"].dump(1);
    EXPECT_TRUE(has_note(doc, "resynchronising")) << doc["transcript"].dump(1);
}

}  // namespace
