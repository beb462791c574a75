// Shared helpers of the fuzz targets (tests/fuzz/*_fuzz.cpp): the input as text or lines, and
// the properties every target checks beyond "no crash": a broken one aborts with a message, so
// libFuzzer (and the replay driver) report it like a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/sanitize.hpp>

namespace fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Splits at '\n' (a '\r' stays in its line, as a device may send it); no trailing empty line.
inline std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    while (!text.empty()) {
        const auto end = text.find('\n');
        lines.emplace_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

[[noreturn]] inline void broken(std::string_view property, std::string_view detail) {
    std::fprintf(stderr, "fuzz property broken: %.*s: %s\n", static_cast<int>(property.size()),
                 property.data(), station::core::sanitize_for_display(detail, 400).c_str());
    std::abort();
}

inline void require(bool holds, std::string_view property, std::string_view detail = {}) {
    if (!holds) broken(property, detail);
}

// A message reaches terminals and logs: each of its lines must need no escaping (device and
// file bytes sanitised), and it must be bounded.
inline void check_message(std::string_view message, std::size_t max_bytes = 64 * 1024) {
    require(message.size() <= max_bytes, "message bounded", message.substr(0, 200));
    std::string_view rest = message;
    while (true) {
        const auto end = rest.find('\n');
        const auto line = rest.substr(0, end);
        require(station::core::is_display_safe(line), "message is display-safe", line);
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
    }
}

}  // namespace fuzz
