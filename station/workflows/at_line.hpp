// A unit's AT line: its serial port, opened through an injected opener, and the AT channel over
// it. The one open -> channel -> identify wiring, shared by a pallet's unit steps and by scan's
// rows, so both run the same over real ports and over tests' fake ones.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <drivers/at/channel.hpp>
#include <drivers/router/identifier.hpp>
#include <drivers/serial/port_opener.hpp>
#include <station/core/result.hpp>

namespace station::workflows {

struct LineOptions {
    drivers::serial::Settings settings;
    std::chrono::milliseconds sync_timeout{2000};  // the channel's bound on a resync
    const std::atomic<bool>* stop = nullptr;       // the operator's stop (may be null)
};

struct AtLine {
    std::unique_ptr<drivers::serial::SerialPort> port;
    std::optional<drivers::at::Channel> channel;  // over *port once open

    // Closes the channel, then the port; idempotent.
    void close() {
        channel.reset();
        port.reset();
    }
};

// Opens `path` through `open` into `line` and puts an AT channel over it. Fails as the opener
// does (port_unavailable naming the path); `line` is then left closed.
core::Result<void> open_line(AtLine& line, const drivers::serial::PortOpener& open,
                             const std::string& path, const LineOptions& options);

// Opens `path` and runs `plan` on it. Never throws: a port that does not open is the report's
// verdict (its reason and message).
drivers::router::IdentifyReport identify_at(const drivers::serial::PortOpener& open,
                                            const std::string& path,
                                            const drivers::router::IdentityPlan& plan,
                                            const LineOptions& line,
                                            const drivers::router::IdentifyOptions& options);

}  // namespace station::workflows
