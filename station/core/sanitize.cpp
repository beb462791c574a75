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

// What one input character becomes: itself, or its escape.
std::string piece_of(const Utf8Char& c, std::string_view source) {
    if (!c.valid) return byte_escape(c.code_point);
    switch (c.code_point) {
        case U'\\':
            return "\\\\";
        case U'\r':
            return "\\r";
        case U'\n':
            return "\\n";
        case U'\t':
            return "\\t";
        default:
            break;
    }
    if (c.code_point < 0x80 && must_escape(c.code_point)) return byte_escape(c.code_point);
    if (must_escape(c.code_point)) return code_point_escape(c.code_point);
    return std::string(source);
}

}  // namespace

std::string shown(std::string_view value) {
    return sanitize_for_display(value, 64);
}

std::string sanitize_for_display(std::string_view text, std::size_t max_len) {
    std::string out;
    out.reserve(std::min(text.size(), max_len));
    std::vector<std::size_t> piece_sizes;  // bytes of each piece written, for the cut
    for (std::size_t i = 0; i < text.size();) {
        const Utf8Char c = decode_utf8(text, i);
        const std::string piece = piece_of(c, text.substr(i, c.size));
        i += c.size;
        if (out.size() + piece.size() > max_len) {
            // Make room for the "..." by dropping whole pieces, so no escape or character is
            // cut in half.
            while (!piece_sizes.empty() && out.size() + 3 > max_len) {
                out.resize(out.size() - piece_sizes.back());
                piece_sizes.pop_back();
            }
            if (max_len >= 3) out += "...";
            break;
        }
        out += piece;
        piece_sizes.push_back(piece.size());
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
