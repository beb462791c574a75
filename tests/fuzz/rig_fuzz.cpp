// Fuzz target: rig files (fixtures/rig/rig.cpp) and routersim ports files. Beyond no crash:
// error messages are display-safe, and a rig that parses is rendered to text that parses back
// to the same slots (render_rig's contract).
#include <cstdint>

#include <fixtures/rig/rig.hpp>

#include "fuzz_support.hpp"

namespace {

using fixtures::rig::Rig;

bool same_slots(const Rig& a, const Rig& b) {
    if (a.name != b.name || a.slots.size() != b.slots.size()) return false;
    for (std::size_t i = 0; i < a.slots.size(); ++i) {
        const auto& x = a.slots[i];
        const auto& y = b.slots[i];
        if (x.label != y.label || x.kind != y.kind || x.usb != y.usb || x.port != y.port ||
            x.sim != y.sim || x.faults != y.faults) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    const auto rig = fixtures::rig::parse_rig(text, "fuzz-rig.toml");
    if (rig) {
        const std::string rendered = fixtures::rig::render_rig(*rig);
        const auto again = fixtures::rig::parse_rig(rendered, "rendered.toml");
        fuzz::require(again.has_value(), "a rendered rig parses",
                      again ? rendered : again.error().message);
        fuzz::require(same_slots(*rig, *again), "a rendered rig parses to the same slots",
                      rendered);
        (void)fixtures::rig::sim_groups(*rig);
    } else {
        fuzz::check_message(rig.error().message);
    }
    const auto ports = fixtures::rig::parse_sim_ports(text, "ports.txt");
    if (!ports) fuzz::check_message(ports.error().message);
    return 0;
}
