#include <station/config/toml_text.hpp>

#include <cstdio>

#include <station/core/utf8.hpp>

namespace station::config {
namespace {

std::string escaped(char32_t code_point) {
    switch (code_point) {
        case U'"':
            return "\\\"";
        case U'\\':
            return "\\\\";
        case U'\b':
            return "\\b";
        case U'\t':
            return "\\t";
        case U'\n':
            return "\\n";
        case U'\f':
            return "\\f";
        case U'\r':
            return "\\r";
        default:
            break;
    }
    char text[16];
    if (code_point <= 0xFFFF) {
        std::snprintf(text, sizeof text, "\\u%04X", static_cast<unsigned>(code_point));
    } else {
        std::snprintf(text, sizeof text, "\\U%08X", static_cast<unsigned>(code_point));
    }
    return text;
}

}  // namespace

std::string toml_quoted(std::string_view text) {
    std::string out = "\"";
    for (std::size_t pos = 0; pos < text.size();) {
        const core::Utf8Char c = core::decode_utf8(text, pos);
        if (!c.valid) {
            out += "\\uFFFD";
        } else if (c.code_point == U'"' || c.code_point == U'\\' ||
                   core::must_escape(c.code_point)) {
            out += escaped(c.code_point);
        } else {
            out.append(text.substr(pos, c.size));
        }
        pos += c.size;
    }
    return out + "\"";
}

}  // namespace station::config
