// Events for the view tests: one unit's event sequence, many slots fed from many threads, and
// helpers to read what a view printed.
#pragma once

#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <station/app/pallet_view.hpp>

namespace tests::app {

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

inline const TimePoint k_t0 =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + 10h + 12min + 3s;
inline const std::string k_hostile = "XR\x1b[2J\x1b]0;pwned\a";

inline Event event(EventKind kind, std::string slot, std::chrono::milliseconds at = 0ms) {
    Event e;
    e.kind = kind;
    e.at = k_t0 + at;
    e.slot = std::move(slot);
    return e;
}

inline Event finished(std::string slot, std::string fsn, Outcome outcome,
                      std::optional<Reason> reason, std::string message = "") {
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
inline std::vector<Event> unit_events(const std::string& slot, const std::string& fsn,
                                      Outcome outcome, std::optional<Reason> reason) {
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
inline std::size_t feed_concurrently(station::workflows::EventSink& sink, int slots, int threads) {
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

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

inline std::string strip_sgr(const std::string& text) {
    return std::regex_replace(text, std::regex("\x1b\\[[0-9;]*m"), "");
}

}  // namespace tests::app
