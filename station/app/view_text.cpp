#include <station/app/view_text.hpp>

#include <cstdio>

#include <station/core/utf8.hpp>

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
    return core::display_width(text);
}

std::string fit(std::string_view text, std::size_t width, Glyphs glyphs) {
    const std::size_t have = display_width(text);
    if (have <= width) return std::string(text) + std::string(width - have, ' ');
    if (width == 0) return {};
    const std::string_view marker = glyphs == Glyphs::unicode ? "…" : "~";
    std::string out;
    std::size_t used = 0;
    for (std::size_t i = 0; i < text.size();) {
        const core::Utf8Char c = core::decode_utf8(text, i);
        const std::size_t w = c.valid ? core::column_width(c.code_point) : 1;
        if (used + w > width - 1) break;
        out.append(text.substr(i, c.size));
        i += c.size;
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
