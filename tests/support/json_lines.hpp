// Event streams as tests read them: one JSON value per non-empty line (a line that does not
// parse becomes a discarded value, so `is_object()` checks catch it).
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tests {

inline std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) out.push_back(nlohmann::json::parse(line, nullptr, false));
    }
    return out;
}

}  // namespace tests
