// The rows of `station scan` and `station rig check`: one per rig slot (or per device when
// there is no rig), with the device found there, its AT port and, when asked, its identity.
//
// Built in two passes so the first stays pure: build_rows() matches a rig against an
// enumeration; resolve_rows() then probes AT ports and identifies units, one thread per row
// (bounded), every wait bounded by the options. Ports are opened through the options' opener
// and identified with the unit steps' wiring (at_line.hpp).
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <drivers/router/identifier.hpp>
#include <drivers/serial/port_opener.hpp>
#include <drivers/usb/at_port_finder.hpp>
#include <drivers/usb/usb_device.hpp>
#include <fixtures/rig/rig.hpp>
#include <station/core/result.hpp>
#include <station/core/sku_decision.hpp>

namespace station::workflows {

enum class SlotState {
    ready,       // an AT port is known (found, pinned, or the slot's own tty)
    pending,     // a device is there; its AT port is not looked for yet
    empty,       // no device at the slot's port chain
    missing,     // the slot's tty path does not exist
    no_at_port,  // a device is there but no AT port was found (see problem)
    unknown,     // a device the rig does not list
    simulated,   // a sim slot that nobody bound to a routersim pty
};

std::string_view to_string(SlotState state);

struct ScanRow {
    std::string slot;  // label; empty for a device without a rig slot
    std::string port_chain;
    std::optional<drivers::usb::UsbDevice> device;
    std::string at_port;
    std::optional<int> at_interface;
    SlotState state = SlotState::empty;
    std::optional<core::Error> problem;  // why there is no AT port
    std::optional<drivers::router::IdentifyReport> identify;
    std::optional<core::SkuDecision> sku;  // with --sku / --expect, for an identified unit
};

// A device as the operator reads it: "1199:9071 serial LF1" (the serial sanitised).
std::string device_text(const drivers::usb::UsbDevice& device);

// The USB devices `filter` matches, listed once through libusb (no hotplug). Fails with
// port_unavailable when the bus cannot be read.
core::Result<std::vector<drivers::usb::UsbDevice>> list_usb_devices(
    const std::vector<drivers::usb::UsbMatch>& filter = drivers::usb::default_filter());

// Rows for `rig` (nullptr: one per device) against `devices`: rig slots in file order, then
// devices the rig does not list (state unknown). Port slots are `ready` when their path
// exists, `missing` otherwise.
std::vector<ScanRow> build_rows(const fixtures::rig::Rig* rig,
                                const std::vector<drivers::usb::UsbDevice>& devices);

// What an identified unit's SKU is decided against: every profile, the shared tables, the
// pallet's profile name (`expect`, may be empty) and its manifest (may be absent).
struct SkuRules {
    std::vector<core::SkuProfile> skus;
    std::string expect;
    core::SignalTables tables;
    std::optional<core::Manifest> manifest;
};

struct ResolveOptions {
    drivers::usb::AtPortRule at_rule;
    drivers::usb::ProbeOptions probe;
    bool identify = false;
    std::chrono::milliseconds command_timeout{2000};
    bool concat = true;  // false: --no-concat
    // Shared by every row: what each (model, firmware) takes (null: each row learns alone).
    drivers::router::ConcatMemory* concat_memory = nullptr;
    std::size_t max_parallel = 32;
    // skus non-empty: decide every identified unit's SKU (see SkuRules).
    SkuRules sku;
    // How ports are opened (the ttys probed for the AT port and the AT port identified).
    drivers::serial::PortOpener open = drivers::serial::system_ports();
};

// Finds the AT port of every pending row and, with `identify`, runs the identity plan on
// every ready row that has a device or a tty; rows run in parallel, at most max_parallel.
void resolve_rows(std::vector<ScanRow>& rows, const ResolveOptions& options);

// Puts an identify result on its row; with `rules` (and profiles in it), a unit that identified
// cleanly also gets its SKU decision (family, region, data center), which then is its verdict.
void record_identity(ScanRow& row, drivers::router::IdentifyReport report,
                     const SkuRules* rules = nullptr);

}  // namespace station::workflows
