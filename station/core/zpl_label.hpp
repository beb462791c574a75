// A unit's ZPL label (Zebra Programming Language): FSN, IMEI and ICCID as text and Code 128
// barcodes, data center, pallet and date. Pure text, no I/O; the app sends it somewhere.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace station::core {

struct LabelFields {
    std::string fsn;          // raw device strings: render_zpl sanitizes them
    std::string imei;
    std::string iccid;
    std::string data_center;  // "na" | "eu"
    std::string pallet;
    std::string date;         // "2026-12-01" (UTC)
};

// A field's text as ZPL can carry it inside ^FD...^FS: printable ASCII only, with the ZPL
// command prefixes '^' and '~' (and anything else outside 0x20..0x7e) replaced by '?', at most
// `max_len` bytes; "-" when empty. A device-reported value can so never start a ZPL command.
std::string zpl_field(std::string_view raw, std::size_t max_len = 64);

// The label: 4 x 2 inch at 203 dpi (812 x 406 dots), ^CI0, one ^XA...^XZ format.
std::string render_zpl(const LabelFields& fields);

}  // namespace station::core
