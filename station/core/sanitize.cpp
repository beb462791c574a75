#include <station/core/sanitize.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace station::core {

std::string sanitize_for_display(std::string_view text, std::size_t max_len) {
    static constexpr std::array<char, 16> k_hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    std::string out;
    out.reserve(std::min(text.size(), max_len));
    std::vector<unsigned char> piece_sizes;  // bytes each input character became
    piece_sizes.reserve(std::min(text.size(), max_len));
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        std::string piece;
        if (c == '\\') {
            piece = "\\\\";
        } else if (c >= 0x20 && c < 0x7f) {
            piece.assign(1, ch);
        } else if (c == '\r') {
            piece = "\\r";
        } else if (c == '\n') {
            piece = "\\n";
        } else if (c == '\t') {
            piece = "\\t";
        } else {
            piece = {'\\', 'x', k_hex[c >> 4U], k_hex[c & 0x0fU]};
        }
        if (out.size() + piece.size() > max_len) {
            // Make room for the "..." by dropping whole pieces, so no escape is cut in half.
            while (!piece_sizes.empty() && out.size() + 3 > max_len) {
                out.resize(out.size() - piece_sizes.back());
                piece_sizes.pop_back();
            }
            if (max_len >= 3) out += "...";
            break;
        }
        out += piece;
        piece_sizes.push_back(static_cast<unsigned char>(piece.size()));
    }
    return out;
}

}  // namespace station::core
