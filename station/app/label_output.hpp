// Where a unit's ZPL label goes: a file per unit in a folder (--label-out DIR), a device path
// (--printer /dev/usb/lp0), or a network printer's raw port (--printer HOST:PORT, usually 9100).
// Sending never throws; a failure is a message naming the target, so a unit never fails on it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <station/core/result.hpp>

namespace station::app {

struct LabelTarget {
    enum class Kind { dir, device, network };
    Kind kind = Kind::dir;
    std::string path;  // dir, device
    std::string host;  // network
    int port = 0;

    // "dir:PATH", "device:PATH", "net:HOST:PORT": how the label queue stores it.
    std::string stored() const;
    // "printer HOST:PORT", "device PATH", "folder PATH" (sanitized) for messages.
    std::string shown() const;
};

// --printer: a path starting with '/' is a device; else HOST:PORT (port 1..65535; an IPv6
// address in brackets). Fails (bad_usage) naming the value.
core::Result<LabelTarget> parse_printer(std::string_view text);
LabelTarget label_dir(std::string_view dir);
// From LabelTarget::stored(); fails on anything else.
core::Result<LabelTarget> parse_stored_target(std::string_view stored);

// The file name of a unit's label in a folder: the FSN with anything but [A-Za-z0-9._-]
// replaced by '_' (at most 64 bytes), then ".zpl".
std::string label_file_name(std::string_view fsn);

// Sends `zpl`. Network: connect and each read/write bounded by `timeout`; after the label the
// station half-closes and waits (within `timeout`) for the printer to close: a reset there is
// a failure (the printer dropped the job), a printer that keeps the connection open is not.
core::Result<void> send_label(const LabelTarget& target, std::string_view fsn, std::string_view zpl,
                              std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace station::app
