// The operator's view of a pallet run: event sinks for a terminal (a live table redrawn in
// place), for pipes and CI (one plain line per event), for other tools (one JSON object per
// event), and the final summary.
//
// Why it is built this way: slot threads only ever update the view's state under a mutex; on a
// terminal one ticker thread does the drawing, so a stalled terminal never holds up a slot.
// Every device string is sanitised before it is shown, and every status has a word or symbol
// as well as a colour, so the table reads from two metres and on a monochrome screen.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <station/workflows/events.hpp>
#include <station/workflows/provision.hpp>

namespace station::app {

enum class ViewMode { live, plain, json };

// Symbols the terminal can show: "✔ PASS" or "[PASS]".
enum class Glyphs { unicode, ascii };

// --json-events wins; otherwise the live table on a terminal and plain lines elsewhere.
ViewMode choose_view(bool json_events, bool stdout_is_tty);

// Unicode when the first set of LC_ALL, LC_CTYPE, LANG names UTF-8; ASCII otherwise.
Glyphs glyphs_for_locale(std::string_view lc_all, std::string_view lc_ctype, std::string_view lang);
Glyphs glyphs_from_environment();

struct TermSize {
    int columns = 80;
    int rows = 24;
};

// Where the live table learns the terminal's size (injectable so tests can fix it).
class TerminalSize {
  public:
    virtual ~TerminalSize() = default;
    virtual TermSize size() const = 0;
};

// ioctl(TIOCGWINSZ) on `fd`; 80x24 when the fd is not a terminal or reports zeros.
class FdTerminalSize final : public TerminalSize {
  public:
    explicit FdTerminalSize(int fd) : m_fd(fd) {}
    TermSize size() const override;

  private:
    int m_fd;
};

class FixedTerminalSize final : public TerminalSize {
  public:
    explicit FixedTerminalSize(TermSize size) : m_size(size) {}
    TermSize size() const override { return m_size; }

  private:
    TermSize m_size;
};

struct LiveTableOptions {
    Glyphs glyphs = Glyphs::unicode;
    bool colour = true;
    std::chrono::milliseconds min_interval{100};  // at most one frame per interval
    // A ticker thread redraws this often (elapsed times move); 0: no thread, frames are drawn
    // from on_event and refresh() instead.
    std::chrono::milliseconds tick{100};
    bool shift = false;  // --watch: a header line counts every unit of the shift so far
    std::function<workflows::TimePoint()> now = [] { return std::chrono::system_clock::now(); };
};

// One row per slot (slot, FSN, step, elapsed, status, reason: message), redrawn in place with
// cursor-up; when the terminal is too short, a grid of slots plus the slots that need a look.
class LiveTable final : public workflows::EventSink {
  public:
    LiveTable(std::ostream& out, std::unique_ptr<TerminalSize> size, LiveTableOptions options = {});
    ~LiveTable() override;  // stops the ticker and draws the final frame
    LiveTable(const LiveTable&) = delete;
    LiveTable& operator=(const LiveTable&) = delete;

    void on_event(const workflows::Event& event) override;
    // Draws a frame if something may have changed and min_interval has passed.
    void refresh();
    // Draws a frame now.
    void redraw();
    // The lines the next frame would show (with colour codes when colour is on).
    std::vector<std::string> frame() const;

  private:
    struct State;
    void draw_locked_out();
    void tick_loop(std::stop_token stop);

    std::ostream& m_out;
    std::unique_ptr<TerminalSize> m_size;
    LiveTableOptions m_options;
    std::unique_ptr<State> m_state;  // guarded by m_mutex
    mutable std::mutex m_mutex;
    std::mutex m_out_mutex;  // taken before m_mutex; guards m_out and the last frame's shape
    std::size_t m_last_lines = 0;
    TermSize m_last_size;
    std::condition_variable_any m_wake;
    std::jthread m_ticker;
};

// One line per event, no escape sequences:
// `2026-11-28T10:12:03Z A3 unit_finished FAIL sku_mismatch fsn=XR9G... attempt=2 ... message`.
class PlainEvents final : public workflows::EventSink {
  public:
    explicit PlainEvents(std::ostream& out) : m_out(out) {}
    void on_event(const workflows::Event& event) override;

  private:
    std::mutex m_mutex;
    std::ostream& m_out;
};

// One JSON object per line: kind, run, at, slot, step, fsn, attempt, outcome, reason,
// data_center, message, elapsed_ms (null where the event does not carry it). Strings are
// sanitised. The run's `run_finished` is held back until finish() adds the run's summary to it,
// so it is always the last line (also after the --push events that follow the run).
class JsonEvents final : public workflows::EventSink {
  public:
    explicit JsonEvents(std::ostream& out) : m_out(out) {}
    ~JsonEvents() override;  // writes a held-back run_finished that finish() did not
    JsonEvents(const JsonEvents&) = delete;
    JsonEvents& operator=(const JsonEvents&) = delete;
    void on_event(const workflows::Event& event) override;
    // Writes the held-back run_finished with `summary`: counts, PASS per data center, the units
    // to pull, empty/skipped/quarantined slots.
    void finish(const workflows::RunSummary& summary);

  private:
    std::mutex m_mutex;
    std::ostream& m_out;
    std::int64_t m_run = 0;                      // from the events that carry it
    std::optional<workflows::Event> m_finished;  // the run_finished held back
};

// The sink for a mode. Live: glyphs from the locale, colour unless NO_COLOR is set, the size of
// stdout's terminal unless `size` is given.
// `shift` (--watch): the live table also counts every unit of the shift.
std::unique_ptr<workflows::EventSink> make_event_sink(ViewMode mode, std::ostream& out,
                                                      std::unique_ptr<TerminalSize> size = nullptr,
                                                      bool shift = false);

// A run's units per outcome, and its PASS units per data center ("na", "eu", or "unknown").
struct UnitCounts {
    static constexpr std::string_view k_unknown = "unknown";
    std::map<core::Outcome, int> per_outcome;
    std::map<std::string, int> pass_by_data_center;

    int of(core::Outcome outcome) const {
        const auto found = per_outcome.find(outcome);
        return found == per_outcome.end() ? 0 : found->second;
    }
};
UnitCounts count_units(const workflows::RunSummary& summary);

// The units the operator pulls off the bench: every unit that did not PASS, in summary order.
std::vector<const workflows::UnitResult*> units_to_pull(const workflows::RunSummary& summary);

struct SummaryContext {
    std::string pallet;
    std::string profile;
    std::string db_path;
};

// The end-of-run summary: outcome and counts, PASS units per data center, every unit to pull
// with its reason, empty/skipped/quarantined slots, the run id and where the results are.
std::string render_summary(const workflows::RunSummary& summary, const SummaryContext& context,
                           bool colour);

}  // namespace station::app
