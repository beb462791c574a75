// The pallet run's views: plain and JSON event lines from many threads, the live table at a
// fixed terminal size (full table and compact grid), hostile device strings, the summary.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/app/pallet_view.hpp>
#include <station/app/view_text.hpp>

namespace {

using namespace std::chrono_literals;
using station::app::Glyphs;
using station::app::TermSize;
using station::app::ViewMode;
using station::core::DataCenter;
using station::core::Outcome;
using station::core::Reason;
using station::workflows::Event;
using station::workflows::EventKind;
using station::workflows::TimePoint;

const TimePoint k_t0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + 10h + 12min + 3s;
const std::string k_hostile = "XR\x1b[2J\x1b]0;pwned\a";

Event event(EventKind kind, std::string slot, std::chrono::milliseconds at = 0ms) {
    Event e;
    e.kind = kind;
    e.at = k_t0 + at;
    e.slot = std::move(slot);
    return e;
}

Event finished(std::string slot, std::string fsn, Outcome outcome, std::optional<Reason> reason,
               std::string message = "") {
    Event e = event(EventKind::unit_finished, std::move(slot), 4s);
    e.fsn = std::move(fsn);
    e.attempt = 1;
    e.outcome = outcome;
    e.reason = reason;
    e.message = std::move(message);
    e.elapsed = 3200ms;
    if (outcome == Outcome::pass) e.data_center = DataCenter::na;
    return e;
}

// The events one slot emits for one unit.
std::vector<Event> unit_events(const std::string& slot, const std::string& fsn, Outcome outcome,
                               std::optional<Reason> reason) {
    std::vector<Event> events{event(EventKind::slot_waiting, slot)};
    Event started = event(EventKind::unit_started, slot, 1s);
    started.attempt = 1;
    events.push_back(started);
    for (const char* step : {"open_port", "identify", "validate"}) {
        Event e = event(EventKind::step_finished, slot, 2s);
        e.step = step;
        e.fsn = fsn;
        e.attempt = 1;
        e.outcome = Outcome::pass;
        e.elapsed = 1000ms;
        events.push_back(e);
    }
    events.push_back(finished(slot, fsn, outcome, reason, "unit says " + fsn));
    return events;
}

// Feeds `slots` slots' events to `sink` from `threads` threads at once.
std::size_t feed_concurrently(station::workflows::EventSink& sink, int slots, int threads) {
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&sink, t, slots, threads] {
            for (int s = t; s < slots; s += threads) {
                const auto outcome = s % 5 == 0 ? Outcome::fail : Outcome::pass;
                const auto reason = s % 5 == 0 ? std::optional(Reason::sku_mismatch) : std::nullopt;
                for (const auto& e : unit_events("S" + std::to_string(s), "FSN" + std::to_string(s),
                                                 outcome, reason)) {
                    sink.on_event(e);
                }
            }
        });
    }
    workers.clear();
    return static_cast<std::size_t>(slots) * unit_events("x", "y", Outcome::pass, {}).size();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string strip_sgr(const std::string& text) {
    return std::regex_replace(text, std::regex("\x1b\\[[0-9;]*m"), "");
}

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

// ---- live table --------------------------------------------------------------------------------

station::app::LiveTableOptions fixed_options(Glyphs glyphs = Glyphs::unicode, bool colour = true) {
    station::app::LiveTableOptions options;
    options.glyphs = glyphs;
    options.colour = colour;
    options.tick = 0ms;
    options.now = [] { return k_t0 + 5s; };
    return options;
}

std::unique_ptr<station::app::TerminalSize> fixed(int columns, int rows) {
    return std::make_unique<station::app::FixedTerminalSize>(TermSize{columns, rows});
}

void start_run(station::workflows::EventSink& sink) {
    Event run = event(EventKind::run_started, "");
    run.message = "run 7, pallet P-42, profile xr90-na";
    sink.on_event(run);
}

void expect_fits(const std::vector<std::string>& frame, int columns, int rows) {
    EXPECT_LE(frame.size(), static_cast<std::size_t>(rows - 1));
    for (const auto& line : frame) {
        EXPECT_LE(station::app::view::display_width(strip_sgr(line)),
                  static_cast<std::size_t>(columns - 1))
            << line;
    }
}

TEST(LiveTable, RedrawMovesTheCursorUpOverTheLastFrame) {
    std::ostringstream out;
    {
        station::app::LiveTable table(out, fixed(80, 24), fixed_options());
        start_run(table);
        for (const auto& e : unit_events("A10", "FSN10", Outcome::pass, {})) table.on_event(e);
        for (const auto& e : unit_events("A2", "FSN2", Outcome::fail, Reason::sku_mismatch)) {
            table.on_event(e);
        }
        table.on_event(event(EventKind::slot_waiting, "A3"));
        Event running = event(EventKind::unit_started, "A4", 1s);
        running.attempt = 2;
        table.on_event(running);
        table.redraw();
        const auto frame = table.frame();
        ASSERT_EQ(frame.size(), 7U);  // two header lines, column titles, four slots
        expect_fits(frame, 80, 24);
        EXPECT_NE(frame[0].find("run 7, pallet P-42, profile xr90-na"), std::string::npos);
        EXPECT_NE(strip_sgr(frame[1]).find("✔ PASS 1  ✘ FAIL 1  ! ERROR 0"), std::string::npos)
            << frame[1];
        EXPECT_EQ(frame[2].rfind("SLOT", 0), 0U);
        EXPECT_EQ(frame[3].rfind("A2 ", 0), 0U);  // natural order: A2 A3 A4 A10
        EXPECT_EQ(frame[6].rfind("A10 ", 0), 0U);
        const std::string a2 = strip_sgr(frame[3]);
        for (const char* part : {"FSN2", "validate", "3.2s", "✘ FAIL", "sku_mismatch: unit says"}) {
            EXPECT_NE(a2.find(part), std::string::npos) << part << " in " << a2;
        }
        EXPECT_NE(frame[3].find("\x1b[1;31m✘ FAIL\x1b[0m"), std::string::npos);
        EXPECT_NE(strip_sgr(frame[4]).find("⌛ waiting"), std::string::npos);
        const std::string a4 = strip_sgr(frame[5]);
        EXPECT_NE(a4.find("started #2"), std::string::npos) << a4;
        EXPECT_NE(a4.find("4.0s"), std::string::npos) << a4;  // now - start, still running
        EXPECT_NE(a4.find("… running"), std::string::npos) << a4;
    }
    const std::string text = out.str();
    EXPECT_NE(text.find("\r\x1b[7A"), std::string::npos);  // up over the previous 7 lines
    EXPECT_NE(text.find("\x1b[K\n"), std::string::npos);
}

TEST(LiveTable, AsciiModeWithoutColourHasWordsInBrackets) {
    std::ostringstream out;
    station::app::LiveTable table(out, fixed(80, 24), fixed_options(Glyphs::ascii, false));
    start_run(table);
    table.on_event(finished("A1", "F1", Outcome::error, Reason::no_response, "no reply"));
    Event q = event(EventKind::slot_quarantined, "A1");
    q.message = "3 units in a row ended in ERROR";
    table.on_event(q);
    table.on_event(event(EventKind::slot_empty, "A2"));
    const auto frame = table.frame();
    ASSERT_EQ(frame.size(), 5U);
    for (const auto& line : frame) {
        EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
        EXPECT_TRUE(std::all_of(line.begin(), line.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x80;
        })) << line;
    }
    EXPECT_NE(frame[3].find("[QUARANTINED] slot_quarantined: 3 units"), std::string::npos)
        << frame[3];
    EXPECT_NE(frame[4].find("[empty]"), std::string::npos) << frame[4];
}

TEST(LiveTable, HostileFsnNeverReachesTheTerminalRaw) {
    std::ostringstream out;
    {
        station::app::LiveTable table(out, fixed(120, 40), fixed_options());
        start_run(table);
        for (const auto& e : unit_events("A1", k_hostile, Outcome::fail, Reason::iccid_invalid)) {
            table.on_event(e);
        }
        table.redraw();
    }
    const std::string text = out.str();
    EXPECT_EQ(text.find("\x1b[2J"), std::string::npos);
    EXPECT_EQ(text.find("\x1b]0;"), std::string::npos);
    EXPECT_EQ(text.find('\a'), std::string::npos);
    EXPECT_NE(text.find("XR\\x1b[2J"), std::string::npos);
    // Every escape left is one of ours: colours, cursor up, clear line, clear below.
    const std::string rest = std::regex_replace(text, std::regex("\x1b\\[[0-9;]*[mAKJ]"), "");
    EXPECT_EQ(rest.find('\x1b'), std::string::npos);
}

std::vector<std::string> pallet_frame(int slots, const std::string& prefix, int columns, int rows,
                                      Glyphs glyphs = Glyphs::unicode) {
    std::ostringstream out;
    station::app::LiveTable table(out, fixed(columns, rows), fixed_options(glyphs));
    start_run(table);
    for (int s = 1; s <= slots; ++s) {
        const std::string slot = prefix + std::to_string(s);
        if (s % 40 == 0) {
            table.on_event(finished(slot, "FSN" + std::to_string(s), Outcome::fail,
                                    Reason::duplicate_iccid, "ICCID already on another unit"));
        } else if (s % 50 == 0) {
            table.on_event(event(EventKind::slot_waiting, slot));
        } else {
            table.on_event(finished(slot, "FSN" + std::to_string(s), Outcome::pass, {}));
        }
    }
    return table.frame();
}

TEST(LiveTable, HundredTwentyEightSlotsFitIn80x24AsAGrid) {
    for (const auto glyphs : {Glyphs::unicode, Glyphs::ascii}) {
        const auto frame = pallet_frame(128, "A", 80, 24, glyphs);
        expect_fits(frame, 80, 24);
        const std::string all = strip_sgr([&] {
            std::string s;
            for (const auto& line : frame) s += line + "\n";
            return s;
        }());
        for (int s = 1; s <= 128; ++s) {
            EXPECT_TRUE(std::regex_search(all, std::regex("(^|\\s)A" + std::to_string(s) + "\\s")))
                << "A" << s << " missing:\n"
                << all;
        }
        // The failed slots are listed with their reason below the grid.
        for (const char* slot : {"A40 ", "A80 ", "A120 "}) {
            EXPECT_NE(
                all.find(std::string(slot) +
                         std::string(label(station::app::view::Status::fail, glyphs)) + " FSN"),
                std::string::npos)
                << slot << "\n"
                << all;
        }
        EXPECT_NE(all.find("duplicate_iccid"), std::string::npos);
    }
}

TEST(LiveTable, LongSlotNamesOnASmallTerminalLeaveOutThePassSlots) {
    const auto frame = pallet_frame(128, "/dev/pts/", 80, 24);
    expect_fits(frame, 80, 24);
    std::string all;
    for (const auto& line : frame) all += strip_sgr(line) + "\n";
    EXPECT_NE(all.find("PASS slots not shown"), std::string::npos) << all;
    EXPECT_NE(all.find("/dev/pts/40 "), std::string::npos) << all;
    EXPECT_NE(all.find("/dev/pts/50 "), std::string::npos) << all;
    EXPECT_EQ(all.find("/dev/pts/1 "), std::string::npos) << all;
}

TEST(LiveTable, TinyAndHugeTerminalsStayWithinBounds) {
    for (const TermSize size : {TermSize{20, 5}, TermSize{45, 8}, TermSize{300, 200}}) {
        const auto frame = pallet_frame(128, "B", size.columns, size.rows);
        EXPECT_LE(frame.size(), static_cast<std::size_t>(std::max(size.rows - 1, 4)));
        if (size.columns >= 41) expect_fits(frame, size.columns, std::max(size.rows, 5));
    }
}

TEST(LiveTable, SlotThreadsAndTheTickerTogether) {
    std::ostringstream out;
    {
        auto options = fixed_options();
        options.tick = 2ms;
        options.min_interval = 1ms;
        station::app::LiveTable table(out, fixed(100, 60), options);
        start_run(table);
        feed_concurrently(table, 40, 8);
        std::this_thread::sleep_for(20ms);
        const auto frame = table.frame();
        EXPECT_EQ(frame.size(), 43U);  // header, titles, 40 rows
    }
    const std::string text = out.str();
    const auto last = text.rfind("\r\x1b[");
    ASSERT_NE(last, std::string::npos);
    const std::string final_frame = strip_sgr(text.substr(last));
    EXPECT_NE(final_frame.find("✔ PASS 32  ✘ FAIL 8"), std::string::npos) << final_frame;
}

// ---- choosing a view ---------------------------------------------------------------------------

TEST(ChooseView, JsonWinsThenTerminalOrNot) {
    EXPECT_EQ(station::app::choose_view(true, true), ViewMode::json);
    EXPECT_EQ(station::app::choose_view(true, false), ViewMode::json);
    EXPECT_EQ(station::app::choose_view(false, true), ViewMode::live);
    EXPECT_EQ(station::app::choose_view(false, false), ViewMode::plain);
}

TEST(ChooseView, GlyphsFollowTheLocale) {
    using station::app::glyphs_for_locale;
    EXPECT_EQ(glyphs_for_locale("", "", "en_US.UTF-8"), Glyphs::unicode);
    EXPECT_EQ(glyphs_for_locale("", "", "de_DE.utf8"), Glyphs::unicode);
    EXPECT_EQ(glyphs_for_locale("C", "", "en_US.UTF-8"), Glyphs::ascii);  // LC_ALL wins
    EXPECT_EQ(glyphs_for_locale("", "C.UTF-8", "C"), Glyphs::unicode);
    EXPECT_EQ(glyphs_for_locale("", "", "POSIX"), Glyphs::ascii);
    EXPECT_EQ(glyphs_for_locale("", "", ""), Glyphs::ascii);
}

TEST(ChooseView, FactoryMakesTheSinkForTheMode) {
    std::ostringstream out;
    auto plain = station::app::make_event_sink(ViewMode::plain, out);
    EXPECT_NE(dynamic_cast<station::app::PlainEvents*>(plain.get()), nullptr);
    auto json = station::app::make_event_sink(ViewMode::json, out);
    EXPECT_NE(dynamic_cast<station::app::JsonEvents*>(json.get()), nullptr);
    auto live = station::app::make_event_sink(ViewMode::live, out, fixed(80, 24));
    EXPECT_NE(dynamic_cast<station::app::LiveTable*>(live.get()), nullptr);
}

TEST(TerminalSize, ReadsAPtyAndFallsBackTo80x24) {
    const int devnull = ::open("/dev/null", O_RDWR);
    ASSERT_GE(devnull, 0);
    const TermSize fallback = station::app::FdTerminalSize(devnull).size();
    EXPECT_EQ(fallback.columns, 80);
    EXPECT_EQ(fallback.rows, 24);
    ::close(devnull);

    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    ASSERT_GE(master, 0);
    ASSERT_EQ(::grantpt(master), 0);
    ASSERT_EQ(::unlockpt(master), 0);
    const int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
    ASSERT_GE(slave, 0);
    winsize ws{};
    ws.ws_col = 132;
    ws.ws_row = 43;
    ASSERT_EQ(::ioctl(master, TIOCSWINSZ, &ws), 0);
    const TermSize size = station::app::FdTerminalSize(slave).size();
    EXPECT_EQ(size.columns, 132);
    EXPECT_EQ(size.rows, 43);
    ::close(slave);
    ::close(master);
}

// ---- text pieces -------------------------------------------------------------------------------

TEST(ViewText, ElapsedNaturalOrderAndFit) {
    using namespace station::app::view;
    EXPECT_EQ(format_elapsed(850ms), "850ms");
    EXPECT_EQ(format_elapsed(12345ms), "12.3s");
    EXPECT_EQ(format_elapsed(192s), "3m12s");
    EXPECT_EQ(format_elapsed(3720s), "1h02m");
    EXPECT_EQ(format_elapsed(-5ms), "0ms");
    EXPECT_TRUE(natural_less("A2", "A10"));
    EXPECT_FALSE(natural_less("A10", "A2"));
    EXPECT_TRUE(natural_less("A9", "B1"));
    EXPECT_TRUE(natural_less("/dev/ttyUSB2", "/dev/ttyUSB10"));
    EXPECT_FALSE(natural_less("A1", "A1"));
    EXPECT_EQ(display_width("⛔ QUARANTINED"), 14U);
    EXPECT_EQ(display_width("✔ PASS"), 6U);
    EXPECT_EQ(fit("abcdef", 4, station::app::Glyphs::ascii), "abc~");
    EXPECT_EQ(fit("ab", 4, station::app::Glyphs::ascii), "ab  ");
    EXPECT_EQ(fit("⌛⌛⌛", 4, station::app::Glyphs::unicode), "⌛… ");
    EXPECT_EQ(iso_utc(k_t0 + 7ms, true), "2026-11-28T10:12:03.007Z");
}

// ---- summary -----------------------------------------------------------------------------------

station::workflows::UnitResult unit(std::string slot, std::string fsn, Outcome outcome,
                                    std::optional<Reason> reason, std::string message,
                                    std::optional<DataCenter> dc = std::nullopt) {
    return {std::move(slot), std::move(fsn),     "/dev/pts/1", outcome,
            reason,          std::move(message), dc,           1,
            2500ms};
}

station::workflows::RunSummary sample_summary() {
    station::workflows::RunSummary s;
    s.run = station::store::RunId{7};
    s.outcome = Outcome::error;
    s.units = {unit("A1", "FSN1", Outcome::pass, {}, "", DataCenter::na),
               unit("A2", "FSN2", Outcome::pass, {}, "", DataCenter::na),
               unit("A3", "FSN3", Outcome::fail, Reason::sku_mismatch,
                    "unit reports Global, pallet is NA"),
               unit("A4", "FSN4", Outcome::pass, {}, "", DataCenter::eu),
               unit("A5", k_hostile, Outcome::fail, Reason::duplicate_iccid,
                    "ICCID already on another unit"),
               unit("B1", "", Outcome::error, Reason::no_response, "no reply to AT+CGSN")};
    s.empty_slots = {"B2", "B3"};
    s.skipped_slots = {"B4"};
    s.quarantined_slots = {"B1"};
    s.elapsed = 192s;
    return s;
}

TEST(RenderSummary, ListsEveryUnitToPullWithCountsAndWhereTheResultsAre) {
    const std::string text =
        station::app::render_summary(sample_summary(), {"P-42", "xr90-na", "/tmp/s.db"}, false);
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    for (const char* part :
         {"Run 7 ERROR: pallet P-42, profile xr90-na, 3m12s", "Units: 6  PASS 3  FAIL 2  ERROR 1",
          "PASS by data center:  EU 1  NA 2", "Units to pull (3;", "duplicate_iccid", "XR\\x1b[2J",
          "B1    -", "no_response      no reply to AT+CGSN",
          "Empty slots (2; no unit arrived): B2, B3", "Skipped slots (1;", "B4",
          "Quarantined slots (1;", "station rig release SLOT`): B1",
          "Results: /tmp/s.db (station report --run 7)"}) {
        EXPECT_NE(text.find(part), std::string::npos) << "missing: " << part << "\n" << text;
    }
    EXPECT_TRUE(std::regex_search(
        text, std::regex("\n  A3 +FSN3 +FAIL +sku_mismatch +unit reports Global, pallet is NA\n")))
        << text;
    EXPECT_EQ(text.find("A1 "), std::string::npos);  // PASS units are not in the pull list
    EXPECT_EQ(text.find("ABORTED 0"), std::string::npos);
}

TEST(RenderSummary, ColourStoppedAndEmptyRuns) {
    auto s = sample_summary();
    s.stopped = true;
    s.outcome = Outcome::aborted;
    s.units.push_back(unit("C1", "FSN9", Outcome::aborted, Reason::aborted, "stopped"));
    const std::string coloured = station::app::render_summary(s, {"P", "xr90-na", "db"}, true);
    EXPECT_NE(coloured.find("\x1b[1;31mFAIL\x1b[0m"), std::string::npos);
    EXPECT_NE(strip_sgr(coloured).find("ABORTED 1"), std::string::npos);
    EXPECT_NE(coloured.find("--resume 7"), std::string::npos);
    EXPECT_EQ(coloured.find("\x1b[2J"), std::string::npos);

    station::workflows::RunSummary none;
    none.run = station::store::RunId{8};
    none.outcome = Outcome::error;
    none.empty_slots = {"A1"};
    const std::string text = station::app::render_summary(none, {"P", "xr90-na", "db"}, false);
    EXPECT_NE(text.find("Units to pull: none"), std::string::npos) << text;
    EXPECT_NE(text.find("PASS by data center: none"), std::string::npos) << text;
    EXPECT_NE(text.find("No unit was provisioned."), std::string::npos) << text;
}

}  // namespace
