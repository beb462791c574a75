// Final result codes and unsolicited lines (V.250, 3GPP 27.007; DOMAIN.md "AT commands").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace drivers::at {

enum class FinalKind { ok, error, cme_error, cms_error, no_carrier, busy, no_answer, no_dialtone };

// A final result line, decoded. For CME/CMS errors `code` holds the numeric code when the
// module sent one (or a known verbose text maps to one) and `text` the verbose text if any.
struct FinalResult {
    FinalKind kind = FinalKind::error;
    std::optional<int> code;
    std::string text;
};

// Recognises a final result line: "OK", "ERROR", "+CME ERROR: 10", "+cme error:SIM not
// inserted", "+CMS ERROR: 500", "NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE".
// Case-insensitive, surrounding spaces and the space after the colon optional.
std::optional<FinalResult> parse_final_result(std::string_view line);

// Human text of a final result, e.g. "+CME ERROR: 10 (SIM not inserted)".
std::string describe(const FinalResult& result);

// True when `line` is a known unsolicited result code (+CREG:, +CEREG:, RING, ^SYSSTART, ...)
// that is not the response prefix of `command` (so "+CPIN: READY" is a response to AT+CPIN?
// but unsolicited during AT+CGSN). For a concatenated line every ';'-separated command counts.
bool is_unsolicited(std::string_view line, std::string_view command);

}  // namespace drivers::at
