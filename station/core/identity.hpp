// What the station learns about one router, and the verdict on it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <station/core/reason.hpp>

namespace station::core {

// SIM state as reported by +CPIN? (or inferred from a CME SIM error).
enum class SimStatus {
    unknown,
    ready,
    not_inserted,
    pin_required,
    puk_required,
    failure,
    busy,
    other
};

std::string_view to_string(SimStatus status);

// One router's identity. Strings are raw device data: sanitize before display.
struct Identity {
    std::string manufacturer;
    std::string model;
    std::string firmware;
    std::string fsn;
    std::string imei;
    std::string imsi;
    std::string iccid;
    std::string iccid_command;  // which command form gave the ICCID, e.g. "AT!ICCID?"
    SimStatus sim_status = SimStatus::unknown;
    std::string sim_status_text;  // as the module said it, e.g. "SIM PIN"
    std::vector<std::string> carrier_images;
};

// The result of identifying one unit: PASS with no reason, otherwise a reason and a sentence.
struct IdentifyVerdict {
    Outcome outcome = Outcome::error;
    std::optional<Reason> reason;
    std::string message;
};

}  // namespace station::core
