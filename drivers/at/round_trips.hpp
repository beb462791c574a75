// The round trips of an AT session, measured from its transcript (issue 17: the regression rig
// stores per slot and command how long the module took to answer). Pure: the transcript's
// offsets in, one RoundTrip per answered command out.
#pragma once

#include <vector>

#include <drivers/at/transcript.hpp>
#include <station/core/regress.hpp>

namespace drivers::at {

// At most this many round trips per transcript (a runaway session cannot grow a night's data).
inline constexpr std::size_t k_max_round_trips = 256;

// Each tx entry that is a command line (starts with "AT", any letter case) starts a round trip;
// it ends at the rx entry that completes (with its line terminator) a line parse_final_result
// accepts: OK, ERROR, +CME ERROR: ..., +CMS ERROR: ..., NO CARRIER, BUSY, NO ANSWER, NO DIALTONE
// (the channel's own set; numeric ATV0 codes are not, as the channel does not read them).
// `command` is the line sent, without its CR; `took` runs from the tx entry's offset to that rx
// entry's. The echo of the command is never the answer; URCs and information lines are passed
// over. A command with no final result before the next tx entry (any tx: a resync's AT, a
// retry) or the end is left out. Lines are framed as the channel frames them (CR or LF ends a
// line, blanks around it trimmed); a line over 1024 bytes is not an answer.
std::vector<station::core::RoundTrip> round_trips(const Transcript& transcript);

}  // namespace drivers::at
