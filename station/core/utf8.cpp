#include <station/core/utf8.hpp>

#include <algorithm>
#include <array>
#include <iterator>

namespace station::core {
namespace {

struct Range {
    char32_t first;
    char32_t last;
};

// Combining marks and zero-width joiners/selectors: they draw on the previous character.
constexpr std::array k_zero_width{
    Range{0x0300, 0x036F}, Range{0x0483, 0x0489},   Range{0x0591, 0x05BD}, Range{0x05BF, 0x05BF},
    Range{0x05C1, 0x05C2}, Range{0x05C4, 0x05C5},   Range{0x05C7, 0x05C7}, Range{0x0610, 0x061A},
    Range{0x064B, 0x065F}, Range{0x0670, 0x0670},   Range{0x06D6, 0x06DC}, Range{0x06DF, 0x06E4},
    Range{0x06E7, 0x06E8}, Range{0x06EA, 0x06ED},   Range{0x1AB0, 0x1AFF}, Range{0x1DC0, 0x1DFF},
    Range{0x200B, 0x200D}, Range{0x20D0, 0x20FF},   Range{0x3099, 0x309A}, Range{0xFE00, 0xFE0F},
    Range{0xFE20, 0xFE2F}, Range{0xE0100, 0xE01EF},
};

// East Asian Wide (W) and Fullwidth (F) blocks, and the emoji shown two columns wide.
constexpr std::array k_wide{
    Range{0x1100, 0x115F},   Range{0x231A, 0x231B},   Range{0x2329, 0x232A},
    Range{0x23E9, 0x23EC},   Range{0x23F0, 0x23F0},   Range{0x23F3, 0x23F3},
    Range{0x25FD, 0x25FE},   Range{0x2614, 0x2615},   Range{0x2648, 0x2653},
    Range{0x267F, 0x267F},   Range{0x2693, 0x2693},   Range{0x26A1, 0x26A1},
    Range{0x26AA, 0x26AB},   Range{0x26BD, 0x26BE},   Range{0x26C4, 0x26C5},
    Range{0x26CE, 0x26CE},   Range{0x26D4, 0x26D4},   Range{0x26EA, 0x26EA},
    Range{0x26F2, 0x26F3},   Range{0x26F5, 0x26F5},   Range{0x26FA, 0x26FA},
    Range{0x26FD, 0x26FD},   Range{0x2705, 0x2705},   Range{0x270A, 0x270B},
    Range{0x2728, 0x2728},   Range{0x274C, 0x274C},   Range{0x274E, 0x274E},
    Range{0x2753, 0x2755},   Range{0x2757, 0x2757},   Range{0x2795, 0x2797},
    Range{0x27B0, 0x27B0},   Range{0x27BF, 0x27BF},   Range{0x2B1B, 0x2B1C},
    Range{0x2B50, 0x2B50},   Range{0x2B55, 0x2B55},   Range{0x2E80, 0x303E},
    Range{0x3041, 0x33FF},   Range{0x3400, 0x4DBF},   Range{0x4E00, 0x9FFF},
    Range{0xA000, 0xA4CF},   Range{0xA960, 0xA97F},   Range{0xAC00, 0xD7A3},
    Range{0xF900, 0xFAFF},   Range{0xFE10, 0xFE19},   Range{0xFE30, 0xFE6F},
    Range{0xFF00, 0xFF60},   Range{0xFFE0, 0xFFE6},   Range{0x16FE0, 0x16FE4},
    Range{0x17000, 0x18CFF}, Range{0x1B000, 0x1B2FF}, Range{0x1F004, 0x1F004},
    Range{0x1F0CF, 0x1F0CF}, Range{0x1F18E, 0x1F18E}, Range{0x1F191, 0x1F19A},
    Range{0x1F200, 0x1F251}, Range{0x1F300, 0x1F64F}, Range{0x1F680, 0x1F6FF},
    Range{0x1F7E0, 0x1F7EB}, Range{0x1F900, 0x1F9FF}, Range{0x1FA70, 0x1FAFF},
    Range{0x20000, 0x2FFFD}, Range{0x30000, 0x3FFFD},
};

template <std::size_t N>
bool in(const std::array<Range, N>& ranges, char32_t cp) {
    const auto it =
        std::upper_bound(ranges.begin(), ranges.end(), cp,
                         [](char32_t value, const Range& r) { return value < r.first; });
    return it != ranges.begin() && cp <= std::prev(it)->last;
}

unsigned byte_at(std::string_view text, std::size_t pos) {
    return static_cast<unsigned char>(text[pos]);
}

}  // namespace

Utf8Char decode_utf8(std::string_view text, std::size_t pos) {
    const unsigned lead = byte_at(text, pos);
    const Utf8Char invalid{lead, 1, false};
    if (lead < 0x80U) return {lead, 1, true};
    std::size_t size = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (lead >= 0xC2U && lead <= 0xDFU) {
        size = 2;
        cp = lead & 0x1FU;
        min = 0x80;
    } else if (lead >= 0xE0U && lead <= 0xEFU) {
        size = 3;
        cp = lead & 0x0FU;
        min = 0x800;
    } else if (lead >= 0xF0U && lead <= 0xF4U) {
        size = 4;
        cp = lead & 0x07U;
        min = 0x10000;
    } else {
        return invalid;  // a continuation byte, C0/C1 (always overlong) or F5..FF
    }
    if (pos + size > text.size()) return invalid;
    for (std::size_t i = 1; i < size; ++i) {
        const unsigned c = byte_at(text, pos + i);
        if ((c & 0xC0U) != 0x80U) return invalid;
        cp = (cp << 6U) | (c & 0x3FU);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return invalid;
    return {cp, size, true};
}

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const Utf8Char c = decode_utf8(text, i);
        if (!c.valid) return i;
        i += c.size;
    }
    return std::nullopt;
}

bool must_escape(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

std::size_t column_width(char32_t cp) {
    if (in(k_zero_width, cp)) return 0;
    return in(k_wide, cp) ? 2 : 1;
}

std::size_t code_point_count(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) i += decode_utf8(text, i).size;
    return count;
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const Utf8Char c = decode_utf8(text, i);
        width += c.valid ? column_width(c.code_point) : 1;
        i += c.size;
    }
    return width;
}

}  // namespace station::core
