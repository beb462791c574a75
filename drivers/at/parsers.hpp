// Pure parsers for AT command responses: text in, fields out, no I/O.
//
// Each takes the information lines of one response (echo, URCs and the final result code
// already removed by the channel, blank lines dropped, each line without CR/LF) and is named
// after the command form it reads, as in ModemManager's mm-modem-helpers. Vendor quirks sit
// beside the parser with a comment naming the module and firmware, and a captured reply in
// tests/unit/captures/.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/identity.hpp>
#include <station/core/result.hpp>

namespace drivers::at {

using station::core::Result;
using Lines = std::span<const std::string>;

// ATI: labelled form (Sierra: "Manufacturer: ...", "Model: ...", "Revision: ...", "MEID: ...",
// "IMEI: ...", "IMEI SV: ...", "FSN: ...", "+GCAP: ...") and the unlabelled form (first lines are
// manufacturer, model, revision in that order, e.g. "Sierra Wireless, Incorporated" / "EM7455" /
// "SWI9X30C_02.24.05.06"). Missing fields stay empty. Fails (protocol_error) on no lines.
struct AtiInfo {
    std::string manufacturer;
    std::string model;
    std::string revision;
    std::string imei;
    std::string imei_sv;
    std::string meid;
    std::string fsn;
    std::string gcap;
};
Result<AtiInfo> parse_ati_response(Lines lines);

// AT+CGSN / AT+GSN: the IMEI as bare digits, quoted, or after "+CGSN:"/"+GSN:". Returns the
// digits unvalidated (length and Luhn are checked by the caller). Never takes an "IMEI SV:",
// "SVN:", "FSN:" or serial-number line. Fails (protocol_error) when no line is an IMEI answer
// or two lines give different values.
Result<std::string> parse_cgsn_response(Lines lines);

// AT+CIMI: the IMSI (6..15 digits, bare, quoted or after "+CIMI:"). Fails (protocol_error)
// when absent or ambiguous.
Result<std::string> parse_cimi_response(Lines lines);

// AT+CPIN?: "+CPIN: READY" -> ready, "SIM PIN" -> pin_required, "SIM PUK" -> puk_required,
// "NOT INSERTED"/"NO SIM" -> not_inserted, other PIN states -> other. Case-insensitive, space
// after the colon optional. `text` keeps the state as the module wrote it.
struct CpinState {
    station::core::SimStatus status = station::core::SimStatus::unknown;
    std::string text;
};
Result<CpinState> parse_cpin_read_response(Lines lines);

// Every ICCID form in DOMAIN.md: "!ICCID:", "+ICCID:", "ICCID:", "+CCID:" (quoted or not,
// optionally followed by ",<eid>"), "+QCCID:", "#CCID:", a bare digit line, Huawei
// "^ICCID: "<swapped hex>"" (nibble-swapped, quoted, F-padded; plain digits starting "89" are
// also taken) and "+CRSM: <sw1>,<sw2>,"<hex>"" (EF_ICCID read; each byte's two digits swapped;
// sw1 must be 144/0x90 or 145/0x91). Returns the value with quotes and trailing F/f padding
// removed, unvalidated: hex digits A-F after the six-digit issuer number are kept (upper-cased)
// for check_iccid to judge. Fails (protocol_error) when no line has an ICCID or the CRSM
// status is an error.
Result<std::string> parse_iccid_response(Lines lines);

// Decodes an EF_ICCID hex string (swapped nibbles, trailing F padding dropped) into its
// digits, hex letters upper-cased; empty on an odd length, a non-hex character or > 32 chars.
std::string decode_swapped_bcd(std::string_view hex);

// AT!PRIID?: "PRI Part Number:", "Revision:", "Customer:" and one or more "Carrier PRI:" lines.
// `carriers` holds the carrier name taken from each Carrier PRI value (e.g. "GENERIC", "ATT",
// "VZW" from "9999999_9904780_SWI9X30C_02.24.05.06_00_VZW_002.027_000"), in order, no
// duplicates. Fails (protocol_error) when there is no recognisable line at all.
struct PriInfo {
    std::string part_number;
    std::string revision;
    std::string customer;
    std::vector<std::string> carrier_pris;  // full values
    std::vector<std::string> carriers;      // carrier names
};
Result<PriInfo> parse_priid_read_response(Lines lines);

// AT!IMPREF?: "preferred fw version:", "preferred carrier name:", "preferred config name:",
// "current fw version:", "current carrier name:", "current config name:" (labels case-insensitive,
// any whitespace, a leading "!IMPREF:" line ignored). Fails (protocol_error) when neither
// carrier name is present.
struct ImprefInfo {
    std::string preferred_fw;
    std::string preferred_carrier;
    std::string preferred_config;
    std::string current_fw;
    std::string current_carrier;
    std::string current_config;
};
Result<ImprefInfo> parse_impref_read_response(Lines lines);

}  // namespace drivers::at
