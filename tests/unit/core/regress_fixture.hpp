// Builders for the nightly regression's unit tests: golden slots, tonight's iterations and
// earlier nights of a few known units, so each table row states only what differs.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <station/core/regress.hpp>
#include <station/core/time_text.hpp>

namespace regress_fixture {

using namespace station::core;

constexpr Outcome P = Outcome::pass;
constexpr Outcome F = Outcome::fail;
constexpr Outcome E = Outcome::error;

// Tonight: 2026-12-01, 02:00 UTC.
inline Clock::time_point started() {
    return *parse_utc_date("2026-12-01T02:00:00Z");
}

// A unit's IMEI from its FSN's last digit (valid Luhn numbers not needed here).
inline std::string imei_of(const std::string& fsn) {
    return "35327009000001" + fsn.substr(fsn.size() - 1);
}

inline GoldenSlot golden_slot(std::string slot, std::string fsn, Outcome verdict = P) {
    GoldenSlot golden;
    golden.slot = std::move(slot);
    golden.imei = imei_of(fsn);
    golden.fsn = std::move(fsn);
    golden.model = "XR90";
    golden.firmware = "SWI9X50C_01.14.22.00";
    golden.profile = "xr90-na";
    golden.region = Region::na;
    golden.data_center = DataCenter::na;
    golden.verdict = verdict;
    return golden;
}

inline Golden golden_of(std::vector<GoldenSlot> slots) {
    return Golden{"rig.golden.toml", std::move(slots)};
}

// One iteration; an empty FSN reads no identity at all (the port never answered).
inline SlotObservation seen(std::string slot, int iteration, std::string fsn, Outcome outcome,
                            std::vector<RoundTrip> trips = {}) {
    SlotObservation run;
    run.slot = std::move(slot);
    run.iteration = iteration;
    run.outcome = outcome;
    if (outcome == Outcome::error) run.reason = Reason::no_response;
    if (outcome == Outcome::fail) run.reason = Reason::sim_not_inserted;
    run.round_trips = std::move(trips);
    if (fsn.empty()) return run;
    run.identity.imei = imei_of(fsn);
    run.identity.fsn = std::move(fsn);
    run.identity.model = "XR90";
    run.identity.firmware = "SWI9X50C_01.14.22.00";
    run.profile = "xr90-na";
    run.region = Region::na;
    run.data_center = DataCenter::na;
    return run;
}

template <class Edit>
SlotObservation seen_with(SlotObservation run, Edit edit) {
    edit(run);
    return run;
}

// A round trip of `ms` milliseconds.
inline RoundTrip trip(std::string command, double ms) {
    return RoundTrip{std::move(command),
                     std::chrono::microseconds(static_cast<long long>(ms * 1000.0))};
}

inline NightSlot night(std::string date, std::string slot, std::string fsn,
                       std::vector<Outcome> outcomes,
                       std::map<std::string, std::vector<double>> ms = {}, std::int64_t run = 1) {
    return NightSlot{std::move(date),     run,          std::move(slot), std::move(fsn),
                     std::move(outcomes), std::move(ms)};
}

// "2026-11-DD" for day 1..30.
inline std::string november(int day) {
    return std::string("2026-11-") + (day < 10 ? "0" : "") + std::to_string(day);
}

}  // namespace regress_fixture
