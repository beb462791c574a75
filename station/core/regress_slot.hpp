// The per-slot half of evaluate_night (core/regress.hpp): one slot's findings and summary line
// from tonight's iterations, its earlier nights and what the other slots saw. Internal to
// station_core; regress.cpp gathers the slots and the nights, this judges one slot.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <station/core/regress.hpp>

namespace station::core::regress_detail {

// Tonight's iterations of one slot, by iteration.
struct SlotTonight {
    std::string slot;
    const GoldenSlot* golden = nullptr;  // nullptr: the slot is not in the golden file
    std::vector<const SlotObservation*> runs;
};

// One slot's earlier nights, oldest first, one per night, all before tonight.
using History = std::vector<const NightSlot*>;

// Units (FSN in upper case) that passed tonight, and the slots they passed in.
using Passes = std::multimap<std::string, std::string>;

struct SlotResult {
    SlotSummary summary;
    std::vector<RegressFinding> findings;  // in RegressKind order
};

// The outcomes of tonight's iterations, in iteration order.
std::vector<Outcome> outcomes_of(const SlotTonight& slot);
// A night's result: its worst outcome; ERROR for a night with no iteration.
Outcome night_result(const std::vector<Outcome>& outcomes);
// True when some iteration read any part of an identity.
bool read_identity(const Identity& identity);

// Every sample (ms) of tonight's round trips of this slot, per command.
std::map<std::string, std::vector<double>> samples_ms(const SlotTonight& slot);

// The timings per command of tonight against the last baseline nights, and the `slower`
// findings among them.
std::vector<CommandTiming> command_timings(const SlotTonight& slot, const History& history,
                                           int baseline_nights);
std::vector<RegressFinding> slower_findings(const std::string& slot,
                                            const std::vector<CommandTiming>& timings,
                                            const SlowerThreshold& threshold);

// One slot's summary and findings.
SlotResult evaluate_slot(const SlotTonight& slot, const History& history, const Passes& passes,
                         const SlowerThreshold& threshold);

}  // namespace station::core::regress_detail
