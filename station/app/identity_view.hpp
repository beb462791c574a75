// How an identify result is shown: one JSON object, or aligned text for a person.
// Every device string is sanitised (text) or JSON-escaped with invalid UTF-8 replaced.
#pragma once

#include <optional>
#include <string>

#include <drivers/at/transcript.hpp>
#include <drivers/router/identifier.hpp>
#include <station/core/sku_decision.hpp>

namespace station::app {

// The SKU part, shown when a profile was named. The profile shown is the decided one (the
// unit's own, null/"undecided" while its signals do not agree); `plan` only says whose
// command plan read the unit, which is the operator's choice, not the unit's SKU.
struct SkuView {
    std::string plan;                             // whose identity plan ran
    std::string expected;                         // the pallet's profile; empty when none
    const core::SkuDecision* decision = nullptr;  // null when identify itself did not pass
};

struct IdentifyView {
    std::string port;
    std::string backend;  // serial backend that opened the port; empty when it did not open
    const drivers::router::IdentifyReport& report;
    const drivers::at::Transcript* transcript = nullptr;  // shown when set
    std::optional<SkuView> sku;
};

std::string render_json(const IdentifyView& view);
std::string render_text(const IdentifyView& view);

}  // namespace station::app
