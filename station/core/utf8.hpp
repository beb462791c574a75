// UTF-8 as the station shows it: strict decoding (no overlong forms, no surrogates, nothing above
// U+10FFFF), which code points are safe on a terminal, and how many columns text takes there.
//
// Why here: names in any language (operators, pallets, device strings) pass through the
// sanitizer, the tables and the command line; one decoder keeps them agreeing on what is text.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace station::core {

// One decoded character: `size` bytes from the position asked; `valid` false for a malformed
// or truncated sequence (then `size` is 1 and `code_point` the lone byte).
struct Utf8Char {
    char32_t code_point = 0;
    std::size_t size = 1;
    bool valid = true;
};

// Decodes the character starting at byte `pos` (< text.size()).
Utf8Char decode_utf8(std::string_view text, std::size_t pos);

// Offset of the first byte that is not part of valid UTF-8, or nullopt when all of it is.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);
inline bool is_valid_utf8(std::string_view text) {
    return !invalid_utf8_at(text).has_value();
}

// Code points never shown as themselves: C0 controls, DEL, C1 controls (U+0080..U+009F), the
// line/paragraph separators, bidirectional overrides and isolates (they reorder what follows
// on a terminal), and the noncharacters U+FFFE / U+FFFF.
bool must_escape(char32_t code_point);

// Terminal columns of one printable code point: 0 for combining marks, 2 for East Asian wide
// and fullwidth characters and emoji, 1 otherwise (a simplified wcwidth, no locale).
std::size_t column_width(char32_t code_point);
// Characters (code points) in UTF-8 text; a malformed byte counts as one.
std::size_t code_point_count(std::string_view text);
// Terminal columns of UTF-8 text; a malformed byte counts as one column.
std::size_t display_width(std::string_view text);

}  // namespace station::core
