// The live table at fixed terminal sizes (full table, compact grid, 128 slots in 80x24),
// hostile device strings, slot threads with the ticker; choosing a view; the terminal's size.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

#include <station/app/view_text.hpp>

#include "view_events.hpp"

namespace tests::app {
namespace {

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
    EXPECT_FALSE(frame.empty());
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
        // A finished unit's last column is its reason (the step it stopped at is in the store).
        for (const char* part : {"FSN2", "3.2s", "✘ FAIL", "sku_mismatch: unit says"}) {
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

TEST(LiveTable, RunningUnitsShowTheirStepFinishedOnesTheirReason) {
    std::ostringstream out;
    station::app::LiveTable table(out, fixed(80, 24), fixed_options());
    start_run(table);
    Event running = event(EventKind::unit_started, "A1", 1s);
    running.attempt = 1;
    table.on_event(running);
    Event step = event(EventKind::step_finished, "A1", 2s);
    step.step = "identify";
    step.attempt = 1;
    table.on_event(step);
    const std::string long_reason(200, 'x');
    table.on_event(finished("A2", "F2", Outcome::fail, Reason::sku_mismatch, long_reason));
    const auto frame = table.frame();
    ASSERT_EQ(frame.size(), 5U);
    expect_fits(frame, 80, 24);
    EXPECT_NE(strip_sgr(frame[2]).find("STEP / REASON"), std::string::npos) << frame[2];
    EXPECT_NE(strip_sgr(frame[3]).find("identify"), std::string::npos) << frame[3];
    const std::string a2 = strip_sgr(frame[4]);
    const auto reason = a2.find("sku_mismatch: xxx");
    ASSERT_NE(reason, std::string::npos) << a2;
    // The reason column gets what the others leave: at least half of an 80-column line.
    EXPECT_GE(station::app::view::display_width(a2.substr(reason)), 40U) << a2;
    EXPECT_NE(a2.find("…"), std::string::npos) << "cut, not wrapped: " << a2;
}

TEST(LiveTable, ShiftLineCountsEveryUnitOfAWatchRun) {
    std::ostringstream out;
    auto options = fixed_options(Glyphs::unicode, false);
    options.shift = true;
    station::app::LiveTable table(out, fixed(80, 24), options);
    start_run(table);
    const auto next_unit = [&](Outcome outcome, std::optional<Reason> reason) {
        Event started = event(EventKind::unit_started, "A1", 1s);
        started.attempt = 1;
        table.on_event(started);
        table.on_event(finished("A1", "F", outcome, reason));
    };
    next_unit(Outcome::pass, {});
    table.on_event(event(EventKind::unit_departed, "A1"));
    table.on_event(event(EventKind::slot_waiting, "A1"));
    next_unit(Outcome::fail, Reason::sku_mismatch);
    next_unit(Outcome::error, Reason::no_response);          // plugged in without a departure seen
    Event retry = event(EventKind::unit_started, "A1", 1s);  // a retry is the same unit
    retry.attempt = 2;
    table.on_event(retry);
    table.on_event(finished("A1", "F", Outcome::pass, {}));
    const auto frame = table.frame();
    ASSERT_GE(frame.size(), 3U);
    EXPECT_EQ(frame[2].rfind("Shift: 3 units  ✔ PASS 2  ✘ FAIL 1  ! ERROR 0", 0), 0U) << frame[2];
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
    const std::string rest = std::regex_replace(text, std::regex("\x1b\\[[0-9;]*[mAKJH]"), "");
    EXPECT_EQ(rest.find('\x1b'), std::string::npos);
}

// A terminal whose size the test changes between frames.
class ResizableSize final : public station::app::TerminalSize {
  public:
    explicit ResizableSize(std::shared_ptr<TermSize> size) : m_size(std::move(size)) {}
    TermSize size() const override { return *m_size; }

  private:
    std::shared_ptr<TermSize> m_size;
};

TEST(LiveTable, AfterAResizeTheFrameStartsAtTheTop) {
    auto size = std::make_shared<TermSize>(TermSize{80, 24});
    std::ostringstream out;
    station::app::LiveTable table(out, std::make_unique<ResizableSize>(size), fixed_options());
    start_run(table);
    table.on_event(event(EventKind::slot_waiting, "A1"));
    table.redraw();
    *size = TermSize{50, 10};
    out.str("");
    table.redraw();
    EXPECT_EQ(out.str().rfind("\x1b[H\x1b[J", 0), 0U);
    out.str("");
    table.redraw();
    EXPECT_EQ(out.str().rfind("\r\x1b[4A", 0), 0U);
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

}  // namespace
}  // namespace tests::app
