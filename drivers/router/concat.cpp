#include <drivers/router/concat.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <span>

#include <station/core/text.hpp>

namespace drivers::router {
namespace {

bool istarts(std::string_view line, std::string_view prefix) {
    return line.size() >= prefix.size() &&
           station::core::iequals(line.substr(0, prefix.size()), prefix);
}

bool is_extended(std::string_view body) {
    const auto c = static_cast<unsigned char>(body.front());
    return std::isalnum(c) == 0 && body.front() != '&';
}

std::string_view unquoted(std::string_view line) {
    if (line.size() >= 2 && line.front() == '"' && line.back() == '"') {
        line.remove_prefix(1);
        line.remove_suffix(1);
    }
    return line;
}

bool digit_line(std::string_view line, std::size_t min, std::size_t max) {
    line = unquoted(line);
    while (!line.empty() && (line.back() == 'F' || line.back() == 'f')) line.remove_suffix(1);
    return line.size() >= min && line.size() <= max &&
           std::all_of(line.begin(), line.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

constexpr std::array<std::string_view, 9> k_iccid_labels{
    "ICCID:", "!ICCID:", "+ICCID:", "+CCID:", "CCID:", "+QCCID:", "#CCID:", "^ICCID:", "+CRSM:"};

bool any_prefix(std::string_view line, std::span<const std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [line](std::string_view p) { return istarts(line, p); });
}

}  // namespace

std::string join_commands(const std::vector<std::string>& commands) {
    std::string line = "AT";
    bool previous_extended = false;
    for (const auto& command : commands) {
        if (command.size() <= 2 || !istarts(command, "AT")) return {};
        const std::string_view body = std::string_view(command).substr(2);
        if (previous_extended) line += ';';
        line += body;
        previous_extended = is_extended(body);
    }
    return line;
}

bool starts_answer_of(Reader reader, std::string_view line) {
    static constexpr std::array<std::string_view, 3> k_imei{"+CGSN:", "+GSN:", "IMEI:"};
    static constexpr std::array<std::string_view, 2> k_impref{"!IMPREF:", "preferred fw"};
    switch (reader) {
        case Reader::ati:
            return istarts(line, "Manufacturer:");
        case Reader::imei:
            return any_prefix(line, k_imei) || digit_line(line, 14, 17);
        case Reader::cpin:
            return istarts(line, "+CPIN:");
        case Reader::iccid:
            return any_prefix(line, k_iccid_labels) || digit_line(line, 18, 22);
        case Reader::imsi:
            return istarts(line, "+CIMI:") || digit_line(line, 6, 15);
        case Reader::priid:
            return istarts(line, "PRI Part Number:");
        case Reader::impref:
            return any_prefix(line, k_impref);
        case Reader::none:
            break;
    }
    return false;
}

std::vector<std::vector<std::string>> split_answer(const std::vector<std::string>& lines,
                                                   const std::vector<Reader>& readers) {
    std::vector<std::vector<std::string>> segments(readers.size());
    std::size_t pos = 0;
    for (std::size_t k = 0; k < readers.size(); ++k) {
        if (pos >= lines.size() || !starts_answer_of(readers[k], lines[pos])) continue;
        std::size_t end = pos + 1;
        const auto starts_later = [&](const std::string& line) {
            for (std::size_t m = k + 1; m < readers.size(); ++m) {
                if (starts_answer_of(readers[m], line)) return true;
            }
            return false;
        };
        while (end < lines.size() && !starts_later(lines[end])) ++end;
        segments[k].assign(lines.begin() + static_cast<std::ptrdiff_t>(pos),
                           lines.begin() + static_cast<std::ptrdiff_t>(end));
        pos = end;
    }
    return segments;
}

ConcatMemory::Plan ConcatMemory::begin(const std::string& model,
                                       const std::string& firmware) const {
    const std::lock_guard lock(m_mutex);
    const auto it = m_learnt.find(model + '\t' + firmware);
    // Nothing learnt yet (also while racing units' lines are in flight): try it too rather than
    // wait or give up the saving.
    return it == m_learnt.end() ? Plan::probe : it->second;
}

// A refusal is kept: once any unit of the (model, firmware) was refused, later ones go one
// command per line even if a racing unit's line was answered.
void ConcatMemory::learn(const std::string& model, const std::string& firmware, bool joined_works) {
    const std::lock_guard lock(m_mutex);
    Plan& learnt = m_learnt[model + '\t' + firmware];
    if (learnt != Plan::single) learnt = joined_works ? Plan::joined : Plan::single;
}

}  // namespace drivers::router
