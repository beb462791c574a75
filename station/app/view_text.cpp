#include <station/app/view_text.hpp>

#include <cstdio>

namespace station::app::view {
namespace {

struct StatusRow {
    Status status;
    std::string_view unicode_label;
    std::string_view ascii_label;
    std::string_view unicode_symbol;
    std::string_view ascii_symbol;
    std::string_view sgr;  // colour, bold where it must stand out
};

constexpr std::array k_rows{
    StatusRow{Status::pass, "✔ PASS", "[PASS]", "✔", "ok", "1;32"},
    StatusRow{Status::fail, "✘ FAIL", "[FAIL]", "✘", "FAIL", "1;31"},
    StatusRow{Status::error, "! ERROR", "[ERROR]", "!", "ERR", "1;33"},
    StatusRow{Status::aborted, "■ ABORTED", "[ABORTED]", "■", "ABRT", "1;35"},
    StatusRow{Status::quarantined, "⛔ QUARANTINED", "[QUARANTINED]", "⛔", "QUAR", "1;41;97"},
    StatusRow{Status::running, "… running", "[running]", "…", "run", "36"},
    StatusRow{Status::waiting, "⌛ waiting", "[waiting]", "⌛", "wait", "2"},
    StatusRow{Status::empty, "∅ empty", "[empty]", "∅", "--", "2"},
    StatusRow{Status::skipped, "» skipped", "[skipped]", "»", "skip", "2"},
};

const StatusRow& row_of(Status status) {
    for (const auto& row : k_rows) {
        if (row.status == status) return row;
    }
    return k_rows[2];
}

// Decodes one UTF-8 code point at `i` (advancing it); malformed bytes count as one each.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(text[i++]);
    int extra = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
    char32_t cp = extra == 3 ? lead & 0x07U : extra == 2 ? lead & 0x0fU : lead & 0x1fU;
    if (extra == 0) return lead;
    for (; extra > 0 && i < text.size(); --extra) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c & 0xc0U) != 0x80U) break;
        cp = (cp << 6U) | (c & 0x3fU);
        ++i;
    }
    return cp;
}

std::size_t width_of(char32_t cp) {
    return cp == U'\u231b' || cp == U'\u26d4' ? 2 : 1;
}

}  // namespace

Status status_of(core::Outcome outcome) {
    switch (outcome) {
        case core::Outcome::pass:
            return Status::pass;
        case core::Outcome::fail:
            return Status::fail;
        case core::Outcome::error:
            return Status::error;
        case core::Outcome::aborted:
            return Status::aborted;
    }
    return Status::error;
}

std::string_view label(Status status, Glyphs glyphs) {
    const auto& row = row_of(status);
    return glyphs == Glyphs::unicode ? row.unicode_label : row.ascii_label;
}

std::string_view symbol(Status status, Glyphs glyphs) {
    const auto& row = row_of(status);
    return glyphs == Glyphs::unicode ? row.unicode_symbol : row.ascii_symbol;
}

std::string paint(std::string_view text, Status status, bool colour) {
    if (!colour) return std::string(text);
    return "\x1b[" + std::string(row_of(status).sgr) + "m" + std::string(text) + "\x1b[0m";
}

std::string format_elapsed(std::chrono::milliseconds elapsed) {
    const long long ms = std::max<long long>(0, elapsed.count());
    char buf[32];
    if (ms < 1000) {
        std::snprintf(buf, sizeof buf, "%lldms", ms);
    } else if (ms < 60000) {
        std::snprintf(buf, sizeof buf, "%lld.%llds", ms / 1000, ms % 1000 / 100);
    } else if (ms < 3600000) {
        std::snprintf(buf, sizeof buf, "%lldm%02llds", ms / 60000, ms % 60000 / 1000);
    } else {
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", ms / 3600000, ms % 3600000 / 60000);
    }
    return buf;
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) width += width_of(next_code_point(text, i));
    return width;
}

std::string fit(std::string_view text, std::size_t width, Glyphs glyphs) {
    const std::size_t have = display_width(text);
    if (have <= width) return std::string(text) + std::string(width - have, ' ');
    if (width == 0) return {};
    const std::string_view marker = glyphs == Glyphs::unicode ? "…" : "~";
    std::string out;
    std::size_t used = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const std::size_t w = width_of(next_code_point(text, i));
        if (used + w > width - 1) break;
        out.append(text.substr(start, i - start));
        used += w;
    }
    out += marker;
    return out + std::string(width - used - 1, ' ');
}

bool natural_less(std::string_view a, std::string_view b) {
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            std::size_t ei = i;
            std::size_t ej = j;
            while (ei < a.size() && digit(a[ei])) ++ei;
            while (ej < b.size() && digit(b[ej])) ++ej;
            std::string_view na = a.substr(i, ei - i);
            std::string_view nb = b.substr(j, ej - j);
            while (na.size() > 1 && na.front() == '0') na.remove_prefix(1);
            while (nb.size() > 1 && nb.front() == '0') nb.remove_prefix(1);
            if (na.size() != nb.size()) return na.size() < nb.size();
            if (na != nb) return na < nb;
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
    return a < b;  // "A01" vs "A1": any strict order
}

}  // namespace station::app::view
