#include <station/core/sanitize.hpp>

#include <algorithm>
#include <array>
#include <vector>

#include <station/core/utf8.hpp>

namespace station::core {
namespace {

constexpr std::array<char, 16> k_hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                     '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

std::string byte_escape(unsigned c) {
    return {'\\', 'x', k_hex[(c >> 4U) & 0x0fU], k_hex[c & 0x0fU]};
}

// "\u0085", "\u202e": the escaped code points are all in the BMP.
std::string code_point_escape(char32_t cp) {
    std::string out = "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += k_hex[(cp >> shift) & 0x0fU];
    return out;
}

// What one input character becomes, and how many columns it counts for the bound.
struct Piece {
    std::string text;
    std::size_t columns = 0;
};

Piece piece_of(const Utf8Char& c, std::string_view source) {
    if (!c.valid) return {byte_escape(c.code_point), 4};
    switch (c.code_point) {
        case U'\\':
            return {"\\\\", 2};
        case U'\r':
            return {"\\r", 2};
        case U'\n':
            return {"\\n", 2};
        case U'\t':
            return {"\\t", 2};
        default:
            break;
    }
    if (c.code_point < 0x80 && must_escape(c.code_point)) return {byte_escape(c.code_point), 4};
    if (must_escape(c.code_point)) return {code_point_escape(c.code_point), 6};
    return {std::string(source), std::max<std::size_t>(1, column_width(c.code_point))};
}

}  // namespace

std::string sanitize_for_display(std::string_view text, std::size_t max_len) {
    std::string out;
    out.reserve(std::min(text.size(), max_len));
    std::size_t used = 0;  // columns so far
    struct Kept {
        std::size_t bytes;
        std::size_t columns;
    };
    std::vector<Kept> kept;  // each piece written so far, for the cut
    for (std::size_t i = 0; i < text.size();) {
        const Utf8Char c = decode_utf8(text, i);
        Piece piece = piece_of(c, text.substr(i, c.size));
        i += c.size;
        if (used + piece.columns > max_len) {
            // Make room for the "..." by dropping whole pieces, so no escape or character is
            // cut in half.
            while (!kept.empty() && used + 3 > max_len) {
                out.resize(out.size() - kept.back().bytes);
                used -= kept.back().columns;
                kept.pop_back();
            }
            if (max_len >= 3) out += "...";
            break;
        }
        out += piece.text;
        used += piece.columns;
        kept.push_back({piece.text.size(), piece.columns});
    }
    return out;
}

bool is_display_safe(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const Utf8Char c = decode_utf8(text, i);
        if (!c.valid || must_escape(c.code_point)) return false;
        i += c.size;
    }
    return true;
}

}  // namespace station::core
