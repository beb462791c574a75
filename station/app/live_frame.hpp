// The live table's state (what each slot shows, folded from events) and the pure function that
// lays it out for a terminal of a given size.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <station/app/pallet_view.hpp>
#include <station/app/view_text.hpp>

namespace station::app::view {

struct NaturalLess {
    bool operator()(const std::string& a, const std::string& b) const { return natural_less(a, b); }
};

// One slot's row; every string is already sanitised.
struct SlotRow {
    std::string slot;
    std::string fsn;
    std::string step;
    int attempt = 0;
    Status status = Status::waiting;
    std::string reason;
    std::string message;
    std::optional<workflows::TimePoint> since;         // running: when the unit started
    std::optional<std::chrono::milliseconds> elapsed;  // finished: how long it took
};

struct LiveModel {
    std::string title;  // the run_started message
    std::optional<workflows::TimePoint> run_started;
    std::optional<core::Outcome> run_outcome;
    std::chrono::milliseconds run_elapsed{};
    std::map<std::string, SlotRow, NaturalLess> rows;  // by raw slot label, in natural order
    bool shift = false;             // --watch: a header line counts every unit of the shift so far
    std::map<Status, int> settled;  // results of units that have left their slot (shift counts)

    void apply(const workflows::Event& event);
    // Units finished so far per outcome: those that left their slot and those still shown.
    std::map<Status, int> unit_counts() const;
    // Whether a frame drawn later shows other times (a run or a unit is in progress).
    bool ticking() const;
};

struct FrameStyle {
    TermSize size;
    Glyphs glyphs = Glyphs::unicode;
    bool colour = true;
    workflows::TimePoint now;
};

// At most size.rows - 1 lines, each at most size.columns - 1 columns wide: two header lines,
// then one row per slot, or (when that is too tall) a grid of slots and the slots to look at.
std::vector<std::string> render_frame(const LiveModel& model, const FrameStyle& style);

}  // namespace station::app::view
