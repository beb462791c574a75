#include <station/core/sanitize.hpp>

#include <algorithm>
#include <array>
#include <utility>

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

// Printable ASCII other than the backslash: shown as itself, one byte per character.
bool plain_ascii(char c) {
    const auto b = static_cast<unsigned char>(c);
    return b >= 0x20 && b < 0x7f && b != '\\';
}

// The output being built, bounded to `max_len` bytes. It remembers the sizes of the last three
// pieces written: at most three are taken back to make room for the "..." (each is at least a
// byte, and the output never exceeds max_len), so the cut falls between whole pieces.
class BoundedOut {
  public:
    BoundedOut(std::size_t max_len, std::size_t hint) : m_max(max_len) {
        m_out.reserve(std::min(hint, max_len));
    }
    std::size_t room() const { return m_max - m_out.size(); }
    // One character's piece: itself or its escape.
    void write_piece(std::string_view piece) {
        m_out.append(piece);
        remember(piece.size());
    }
    // A run of plain ASCII: a one-byte piece per character (only the last three are kept).
    void write_plain(std::string_view run) {
        m_out.append(run);
        for (std::size_t n = std::min<std::size_t>(run.size(), 3); n > 0; --n) remember(1);
    }
    // The next piece does not fit: drop whole pieces until "..." does, and end with it.
    std::string cut() && {
        while (m_kept > 0 && m_out.size() + 3 > m_max) {
            --m_kept;
            m_out.resize(m_out.size() - m_last[(m_next + 2) % 3]);
            m_next = (m_next + 2) % 3;
        }
        if (m_max >= 3) m_out += "...";
        return std::move(m_out);
    }
    std::string done() && { return std::move(m_out); }

  private:
    void remember(std::size_t size) {
        m_last[m_next] = size;
        m_next = (m_next + 1) % 3;
        m_kept = std::min<std::size_t>(m_kept + 1, 3);
    }
    std::string m_out;
    std::size_t m_max;
    std::array<std::size_t, 3> m_last{};
    std::size_t m_next = 0;  // where the next size goes; the newest is at m_next - 1
    std::size_t m_kept = 0;  // sizes remembered, at most 3
};

}  // namespace

std::string shown(std::string_view value) {
    return sanitize_for_display(value, 64);
}

std::string sanitize_for_display(std::string_view text, std::size_t max_len) {
    BoundedOut out(max_len, text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (plain_ascii(text[i])) {  // the common case: copy the whole run at once
            std::size_t end = i + 1;
            while (end < text.size() && plain_ascii(text[end])) ++end;
            const std::size_t fits = std::min(end - i, out.room());
            out.write_plain(text.substr(i, fits));
            if (i + fits < end) return std::move(out).cut();
            i = end;
            continue;
        }
        const Utf8Char c = decode_utf8(text, i);
        const std::string piece = piece_of(c, text.substr(i, c.size));
        if (piece.size() > out.room()) return std::move(out).cut();
        out.write_piece(piece);
        i += c.size;
    }
    return std::move(out).done();
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
