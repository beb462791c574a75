// How an identify result is shown: one JSON object, or aligned text for a person.
// Every device string is sanitised (text) or JSON-escaped with invalid UTF-8 replaced.
#pragma once

#include <string>

#include <drivers/at/transcript.hpp>
#include <drivers/router/identifier.hpp>

namespace station::app {

struct IdentifyView {
    std::string port;
    std::string backend;  // serial backend that opened the port; empty when it did not open
    const drivers::router::IdentifyReport& report;
    const drivers::at::Transcript* transcript = nullptr;  // shown when set
};

std::string render_json(const IdentifyView& view);
std::string render_text(const IdentifyView& view);

}  // namespace station::app
