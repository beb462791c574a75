// An identity plan: the ordered commands that read a router's identity, and how each
// answer maps to identity fields. Plans are data: the default one below, later one per
// SKU profile (profiles/), so a bench engineer can change commands without a rebuild.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace drivers::router {

// Which parser reads a step's answer, and so which identity fields it fills.
enum class Reader { none, ati, imei, cpin, iccid, imsi, priid, impref };

// Whether the identity is incomplete without the step (required) or only richer with it.
enum class Need { required, optional };

std::string_view to_string(Reader reader);
std::optional<Reader> reader_from_string(std::string_view text);

// One step: alternative command forms tried in order until one yields a usable value
// (an ERROR answer moves to the next form; a CME SIM error stops the plan).
struct PlanStep {
    std::vector<std::string> commands;
    Reader reader = Reader::none;
    Need need = Need::optional;
    std::optional<std::chrono::milliseconds> timeout;  // per command; plan default when unset
};

struct IdentityPlan {
    std::string name;
    std::vector<PlanStep> steps;
};

// The ICCID command forms, in the order the default plan tries them (DOMAIN.md).
const std::vector<std::string>& default_iccid_commands();

// The plan used when no profile is given: echo off, numeric CME errors, ATI, IMEI, SIM
// state, ICCID (every form), IMSI, carrier images.
IdentityPlan default_plan();

}  // namespace drivers::router
