// How scan rows are shown: an aligned table for a person, or one JSON object.
// Device strings are sanitised (text) or JSON-escaped with invalid UTF-8 replaced.
#pragma once

#include <string>
#include <vector>

#include <station/workflows/scan_rows.hpp>

namespace station::app {

// The rows come from the scan workflow; the app only draws them.
using workflows::ScanRow;
using workflows::SlotState;

struct ScanView {
    std::string rig;  // rig name or file; empty without a rig
    const std::vector<ScanRow>& rows;
    bool identify = false;
    std::vector<std::string> warnings;
    bool sku = false;  // rows carry SKU decisions: show the SKU -> DC column
};

std::string render_scan_text(const ScanView& view);
std::string render_scan_json(const ScanView& view);

}  // namespace station::app
