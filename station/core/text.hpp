// The one home of small text helpers (comparisons, trimming, case, joining, integers), shared
// by the AT parsers, the ALMS client, the config readers and the views. Before writing one of
// these locally, use these.
#pragma once

#include <charconv>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

namespace station::core {

// Equal ignoring ASCII letter case ("OK" == "ok").
bool iequals(std::string_view a, std::string_view b);
// `text` begins with `prefix`, ignoring ASCII letter case.
bool istarts_with(std::string_view text, std::string_view prefix);
// Blanks: space and tab. ASCII white space: also CR, LF, VT and FF (isspace in the C locale).
inline constexpr std::string_view k_blanks = " \t";
inline constexpr std::string_view k_ascii_space = " \t\r\n\v\f";

// `text` without the bytes of `chars` around it.
std::string_view trim(std::string_view text, std::string_view chars);
// `text` without the spaces and tabs around it.
inline std::string_view trim_blanks(std::string_view text) {
    return trim(text, k_blanks);
}
// `text` without the ASCII white space around it (line ends included).
inline std::string_view trim_space(std::string_view text) {
    return trim(text, k_ascii_space);
}
// `text` with ASCII letters upper-cased (other bytes as they are).
std::string ascii_upper(std::string_view text);
// The items with `separator` between them ("" for none).
std::string join(std::span<const std::string> items, std::string_view separator = ", ");

// The whole of `text` as an integer in `base`: digits only (a '-' first for a signed type), no
// blanks, no '+'. nullopt when empty, when anything else is there, or out of Int's range.
template <class Int>
std::optional<Int> parse_integer(std::string_view text, int base = 10) {
    Int value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

}  // namespace station::core
