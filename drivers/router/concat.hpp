// Concatenated command lines (V.250 5.4.1): several commands on one line after one "AT",
// basic commands appended directly, an extended one (+ ! # ^ $ % *) ended by ';' when another
// follows, e.g. "AT+CPIN?;!ICCID?;+CIMI;!PRIID?". The module answers each in order, so the
// information lines are cut into one segment per command by recognising each reader's first
// line; a segment counts only when its parser accepts it (the identifier decides that).
//
// Which form a module takes is learnt per (model, firmware) within a run, in a ConcatMemory
// shared by every slot of the run.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <drivers/router/identity_plan.hpp>

namespace drivers::router {

// "AT+CPIN?" + "AT!ICCID?" + "ATI" -> "AT+CPIN?;!ICCID?;I". Empty when a command does not
// start with AT or has nothing after it.
std::string join_commands(const std::vector<std::string>& commands);

// True when `line` can be the first information line of `reader`'s answer ("+CPIN:", an
// ICCID label or an 18..22-digit line, a 6..15-digit IMSI, "PRI Part Number:" ...).
bool starts_answer_of(Reader reader, std::string_view line);

// The information lines of one combined answer cut per reader, in order: segment k starts at
// the first unread line when that line starts reader k's answer (else it is empty: the module
// did not answer that command) and runs up to the next line that starts a later reader's.
std::vector<std::vector<std::string>> split_answer(const std::vector<std::string>& lines,
                                                   const std::vector<Reader>& readers);

// What the run learnt about combined lines per (model, firmware). Thread-safe.
//
// Slots racing on the first units of a model all try the combined line until one answer is
// learnt (waiting for the first unit's answer would cost every other unit a round trip, asking
// one command per line three); after that every unit uses what was learnt, so a pallet of one
// model tries the line at most once per slot of its first wave and once in all after that. A
// refusal is kept over a racing unit's accepted line. A probe that ends in a unit's own failure
// (a CME error, a lost line) teaches nothing: the next unit probes again.
class ConcatMemory {
  public:
    enum class Plan { probe, joined, single };

    // What to do for this unit: probe (try the line) until an answer was learnt.
    Plan begin(const std::string& model, const std::string& firmware) const;
    void learn(const std::string& model, const std::string& firmware, bool joined_works);

  private:
    mutable std::mutex m_mutex;
    std::map<std::string, Plan> m_learnt;  // key: model + '\t' + firmware; joined or single
};

}  // namespace drivers::router
