// Runs an identity plan over an AT channel and judges the result.
//
// The plan is walked in order; a step whose fields are known already is skipped (recorded
// "skipped" with the reason), setup steps run only when an answer calls for them (When), and
// the joinable steps are first asked on one concatenated line when the module takes it
// (concat.hpp): what that line does not answer confidently is asked one command per line,
// exactly as without it. A line failure (timeout, port lost, overflow) stops with
// ERROR. A CME SIM error (10..15) stops with the matching reason. An ERROR answer moves to
// the step's next command form. Values are validated (IMEI and ICCID: length and Luhn) and
// cross-checked (ATI's IMEI against AT+CGSN's); PASS needs a ready SIM, a valid IMEI and a
// valid ICCID, never a guess. An IMEI or ICCID that was read but fails validation (check
// digit, length, hex digits) stays in the identity with FAIL imei_invalid / iccid_invalid:
// what the unit said is reported, not dropped.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include <drivers/at/channel.hpp>
#include <drivers/router/concat.hpp>
#include <drivers/router/identity_plan.hpp>
#include <station/core/identity.hpp>

namespace drivers::router {

// What one command of the plan did, for the report and the store.
struct StepRecord {
    std::string command;
    std::string result;  // "OK", "ERROR", "+CME ERROR: 10", or the line failure reason
    std::string note;    // what the station made of it
};

struct IdentifyReport {
    station::core::Identity identity;
    station::core::IdentifyVerdict verdict;
    std::vector<StepRecord> steps;
};

struct IdentifyOptions {
    std::chrono::milliseconds command_timeout{2000};
    // Checked before every command: when it reads true the plan stops with ABORTED (reason
    // aborted), so an operator's Ctrl-C waits at most one command's deadline.
    const std::atomic<bool>* stop = nullptr;
    // Try the plan's joinable steps as one command line (false: --no-concat, one per line).
    bool concat = true;
    // What the run learnt per (model, firmware), shared by its slots; null: this call alone.
    ConcatMemory* concat_memory = nullptr;
};

// Synchronises the line, runs `plan` and returns the identity with its verdict. Never
// throws; every failure ends in a verdict with a reason and a sentence naming port and command.
IdentifyReport identify(at::AtChannel& channel, const IdentityPlan& plan,
                        const IdentifyOptions& options);

}  // namespace drivers::router
