// `station rig learn`: a rig file learnt by plugging one router into each slot in label order.
// The rules live here (routers already plugged in are not new, each new port chain takes the
// next label, a chain learnt already is said again, the run ends when every label is learnt,
// on a stop or at the deadline); the app parses the options, says what happens and saves.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <drivers/usb/usb_bus.hpp>
#include <fixtures/rig/rig.hpp>
#include <station/core/result.hpp>

namespace station::workflows {

enum class LearnEnd { done, stopped, timed_out };

// What learning tells the operator, as it happens.
struct LearnEvent {
    enum class Kind {
        ignoring,  // `count` routers were plugged in before learning began
        prompt,    // plug a router into slot `next` (once, at the start)
        learned,   // slot `label` is `device`; `next` is the slot to plug next ("" when done)
        again,     // `device` is slot `label` already; `next` is the slot to plug
    };
    Kind kind = Kind::prompt;
    std::size_t count = 0;
    std::string label;
    std::string next;
    drivers::usb::UsbDevice device;
};

struct LearnOptions {
    std::vector<std::string> labels;  // in plugging order, at least one
    std::chrono::milliseconds settle{2000};
    std::chrono::steady_clock::time_point deadline;
    std::function<bool()> stop = [] { return false; };  // checked between waits
    std::function<void(const LearnEvent&)> on_event = [](const LearnEvent&) {};
};

struct Learnt {
    fixtures::rig::Rig rig;  // the slots learnt, in label order (may be fewer than the labels)
    LearnEnd end = LearnEnd::done;
};

// Watches `bus` until every label has a router or the run stops or times out. Fails only when
// the bus cannot be read (its error).
core::Result<Learnt> learn_rig(drivers::usb::UsbBus& bus, const LearnOptions& options);

}  // namespace station::workflows
