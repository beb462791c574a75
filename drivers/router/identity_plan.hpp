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

// The identity fields a step yields: a step whose fields are all known already is skipped
// (recorded "skipped" with the reason), e.g. AT+CGSN after ATI gave a valid labelled IMEI.
enum class Field { model, firmware, fsn, imei, sim_status, iccid, imsi, carrier_images };

// When a step is sent. Setup steps (reader none) need not run on every unit: the channel copes
// with echo and numeric errors, so they run only when an answer shows they matter.
enum class When {
    always,       // in plan order
    plain_error,  // once, when a step read by one of `on_error_of` answers a plain ERROR
                  // (a CME code would say more); that command is then asked again
    unparsed,     // once, when an answer could not be understood, before its retry
};

std::string_view to_string(Reader reader);
std::optional<Reader> reader_from_string(std::string_view text);
std::string_view to_string(Field field);
std::optional<Field> field_from_string(std::string_view text);
std::optional<When> when_from_string(std::string_view text);
// What a reader fills: ati -> model, firmware, fsn; imei -> imei; ... (none -> nothing).
std::vector<Field> default_yields(Reader reader);

// One step: alternative command forms tried in order until one yields a usable value
// (an ERROR answer moves to the next form; a CME SIM error stops the plan).
struct PlanStep {
    std::vector<std::string> commands;
    Reader reader = Reader::none;
    Need need = Need::optional;
    std::optional<std::chrono::milliseconds> timeout;  // per command; plan default when unset
    std::vector<Field> yields{};  // skipped when all are known; empty: never skipped
    When when = When::always;
    std::vector<Reader> on_error_of{};  // When::plain_error: whose plain ERROR triggers it
    // May be sent with the other joinable steps on one command line (V.250 concatenation),
    // its first command form only; see concat.hpp.
    bool join = false;
};

struct IdentityPlan {
    std::string name;
    std::vector<PlanStep> steps;
};

// The ICCID command forms, in the order the default plan tries them (DOMAIN.md).
const std::vector<std::string>& default_iccid_commands();

// The plan used when no profile is given: ATI, IMEI (skipped when ATI gave a valid one), SIM
// state, ICCID (every form), IMSI, carrier images (AT!IMPREF? only when AT!PRIID? gave none);
// SIM state, first ICCID form, IMSI and AT!PRIID? joinable; AT+CMEE=1 when a SIM query answers
// a plain ERROR, ATE0 before the retry of an answer not understood.
IdentityPlan default_plan();

}  // namespace drivers::router
