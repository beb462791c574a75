// `station rig check`: what is plugged in now against a rig file. The rules live here; the app
// parses the options and prints the result.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <fixtures/rig/rig.hpp>
#include <station/core/result.hpp>
#include <station/workflows/scan_rows.hpp>

namespace station::workflows {

struct RigCheck {
    std::vector<std::string> problems;  // one sentence each, in row order
    std::size_t slots = 0;              // the rig's
    std::size_t devices = 0;            // USB devices listed
    std::size_t simulated = 0;          // sim slots (not checked)
};

// Lists the USB devices plugged in now (list_usb_devices() in the station).
using DeviceLister = std::function<core::Result<std::vector<drivers::usb::UsbDevice>>()>;

// Problems in `rows`: empty slots, missing ttys, devices the rig does not list, and two devices
// with the same USB serial.
std::vector<std::string> check_problems(const std::vector<ScanRow>& rows);

// Checks `rig` against the devices `list` gives (asked only when a slot is USB). Fails with
// the lister's error, its message prefixed "cannot list USB devices: ".
core::Result<RigCheck> check_rig(const fixtures::rig::Rig& rig, const DeviceLister& list);

}  // namespace station::workflows
