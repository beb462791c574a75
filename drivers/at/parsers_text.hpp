// Line helpers shared by the AT response parsers (parsers*.cpp). Internal to drivers/at: the
// parsers' contract is parsers.hpp; nothing outside this folder includes this header.
//
// Every parser walks its lines through usable_line() first, so the same rules apply everywhere:
// over-long lines, lines with control or non-ASCII bytes, echoes, final result codes and
// unsolicited lines are skipped before any field is looked at. Work per line is bounded by
// k_max_line_bytes, and error messages quote at most k_max_quote_bytes of the response.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <drivers/at/parsers.hpp>
#include <station/core/text.hpp>

namespace drivers::at::detail {

// No answer line we read is near this long; longer lines are noise and are skipped unread.
inline constexpr std::size_t k_max_line_bytes = 1024;
// Bound on how much of a response an error message quotes.
inline constexpr std::size_t k_max_quote_bytes = 160;

using station::core::iequals;
using station::core::trim_space;
using station::core::istarts_with;
bool all_digits(std::string_view text);  // false for an empty string
bool is_letter(char c);

// Trims, then strips one pair of surrounding double quotes and trims again.
std::string_view unquote(std::string_view text);

// Lowercase with runs of spaces/tabs collapsed to one space: "IMEI  SV" -> "imei sv".
std::string fold(std::string_view text);

// The trimmed text of `raw` if a parser should look at it; nullopt for a blank line, one longer
// than k_max_line_bytes, one holding bytes outside printable ASCII and tab, a command echo
// ("AT+CGSN"), a final result code, or an unsolicited line that does not answer `command`.
std::optional<std::string_view> usable_line(std::string_view raw, std::string_view command);

// "Label: value" split at the first ':'. `label` is folded; `value` trimmed. nullopt when the
// text before the colon is not label-shaped (a letter or one of + ! # ^ $ first, then letters,
// digits, spaces, '_' or '-', at most 32 bytes), so "2016/10/25 02:20:11" is not a label.
struct Labelled {
    std::string label;
    std::string_view value;
};
std::optional<Labelled> split_label(std::string_view line);

// The response for an error message: lines joined by '\n', sanitised and bounded, in quotes,
// e.g. "\"ABC\"". "no lines" when the response is empty.
std::string quote_response(Lines lines);
std::string quote_line(std::string_view line);

// Values found by a parser that accepts exactly one distinct answer (IMEI, IMSI, ICCID, PIN
// state). A value seen again is not a conflict; a different one is.
class Candidates {
  public:
    void add(std::string value, std::string_view line);
    // The single value, or protocol_error "<command>: no <what> in response (...)" /
    // "<command>: two different <what> values in response (\"a\", \"b\")".
    [[nodiscard]] Result<std::string> single(std::string_view command, std::string_view what,
                                             Lines lines) const;

  private:
    struct Entry {
        std::string value;
        std::string line;
    };
    std::vector<Entry> m_entries;  // distinct values, first seen first; at most two kept
};

}  // namespace drivers::at::detail
