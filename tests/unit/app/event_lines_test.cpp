// Plain and JSON event lines: one line per event from many threads, fields, hostile strings.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "view_events.hpp"

namespace tests::app {
namespace {

// ---- plain lines -------------------------------------------------------------------------------

TEST(PlainEvents, OneLinePerEventFromManyThreadsWithoutEscapes) {
    std::ostringstream out;
    station::app::PlainEvents sink(out);
    const std::size_t count = feed_concurrently(sink, 40, 8);
    const std::string text = out.str();
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    const auto lines = lines_of(text);
    ASSERT_EQ(lines.size(), count);
    const std::regex shape(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ S\d+ [a-z_]+( .*)?$)");
    for (const auto& line : lines) EXPECT_TRUE(std::regex_match(line, shape)) << line;
}

TEST(PlainEvents, UnitFinishedCarriesOutcomeReasonFsnAndMessage) {
    std::ostringstream out;
    station::app::PlainEvents sink(out);
    Event e = finished("A3", "XR9G1", Outcome::fail, Reason::sku_mismatch, "unit reports Global");
    e.attempt = 2;
    sink.on_event(e);
    EXPECT_EQ(out.str(),
              "2026-11-28T10:12:07Z A3 unit_finished FAIL sku_mismatch fsn=XR9G1 attempt=2 "
              "elapsed=3.2s unit reports Global\n");
    std::ostringstream run_out;
    station::app::PlainEvents run_sink(run_out);
    Event run = event(EventKind::run_started, "");
    run.message = "run 7, pallet P1";
    run_sink.on_event(run);
    EXPECT_EQ(run_out.str(), "2026-11-28T10:12:03Z - run_started run 7, pallet P1\n");
}

TEST(PlainEvents, HostileFsnAndMessageNeverReachTheOutputRaw) {
    std::ostringstream out;
    station::app::PlainEvents sink(out);
    sink.on_event(
        finished("A1", k_hostile, Outcome::fail, Reason::iccid_invalid, "bad\nline " + k_hostile));
    const std::string text = out.str();
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_EQ(text.find('\a'), std::string::npos);
    EXPECT_NE(text.find("fsn=XR\\x1b[2J"), std::string::npos) << text;
    EXPECT_EQ(lines_of(text).size(), 1U);
}

// ---- JSON lines --------------------------------------------------------------------------------

TEST(JsonEvents, EveryLineParsesAndCarriesEveryField) {
    std::ostringstream out;
    station::app::JsonEvents sink(out);
    const std::size_t count = feed_concurrently(sink, 32, 8);
    const auto lines = lines_of(out.str());
    ASSERT_EQ(lines.size(), count);
    for (const auto& line : lines) {
        const auto j = nlohmann::json::parse(line);
        for (const char* field : {"kind", "at", "slot", "step", "fsn", "attempt", "outcome",
                                  "reason", "data_center", "message", "elapsed_ms"}) {
            EXPECT_TRUE(j.contains(field)) << field << " missing in " << line;
        }
    }
}

TEST(JsonEvents, ValuesAndNulls) {
    std::ostringstream out;
    station::app::JsonEvents sink(out);
    sink.on_event(finished("B2", "FSN9", Outcome::pass, std::nullopt, "queued for NA"));
    sink.on_event(event(EventKind::slot_waiting, "B3"));
    const auto lines = lines_of(out.str());
    ASSERT_EQ(lines.size(), 2U);
    const auto a = nlohmann::json::parse(lines[0]);
    EXPECT_EQ(a["kind"], "unit_finished");
    EXPECT_EQ(a["at"], "2026-11-28T10:12:07.000Z");
    EXPECT_EQ(a["slot"], "B2");
    EXPECT_TRUE(a["step"].is_null());
    EXPECT_EQ(a["fsn"], "FSN9");
    EXPECT_EQ(a["attempt"], 1);
    EXPECT_EQ(a["outcome"], "PASS");
    EXPECT_TRUE(a["reason"].is_null());
    EXPECT_EQ(a["data_center"], "na");
    EXPECT_EQ(a["message"], "queued for NA");
    EXPECT_EQ(a["elapsed_ms"], 3200);
    const auto b = nlohmann::json::parse(lines[1]);
    EXPECT_EQ(b["kind"], "slot_waiting");
    for (const char* field :
         {"fsn", "attempt", "outcome", "data_center", "message", "elapsed_ms"}) {
        EXPECT_TRUE(b[field].is_null()) << field;
    }
}

TEST(JsonEvents, HostileFsnIsSanitisedAndInvalidUtf8NeverThrows) {
    std::ostringstream out;
    station::app::JsonEvents sink(out);
    sink.on_event(
        finished("C1", k_hostile + "\xff\xfe", Outcome::fail, Reason::imei_invalid, "m\xc3"));
    const std::string text = out.str();
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    const auto j = nlohmann::json::parse(text);
    EXPECT_EQ(j["fsn"], "XR\\x1b[2J\\x1b]0;pwned\\x07\\xff\\xfe");
}

}  // namespace
}  // namespace tests::app
