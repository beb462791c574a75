#include <drivers/at/parsers_text.hpp>

#include <algorithm>
#include <cctype>

#include <drivers/at/result_code.hpp>
#include <station/core/sanitize.hpp>

namespace drivers::at::detail {
namespace {

using station::core::fail;
using station::core::Reason;
using station::core::sanitize_for_display;

constexpr std::size_t k_max_label_bytes = 32;
// Symbols that start vendor labels: "+CGSN", "!ICCID", "#CCID", "^ICCID", "$QCSIMSTAT".
constexpr std::string_view k_label_leaders = "+!#^$";
// What may follow "AT" in an echoed command line: "AT+CGSN", "AT!PRIID?", "ATI", "AT#CCID".
constexpr std::string_view k_echo_markers = "+!#^$&%";

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

bool is_printable(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return c == '\t' || (byte >= 0x20 && byte < 0x7f);
}

bool is_label_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || is_space(c) || c == '_' || c == '-';
}

bool looks_like_echo(std::string_view line) {
    if (!istarts_with(line, "AT")) return false;
    const std::string_view rest = line.substr(2);
    if (rest.empty() || k_echo_markers.find(rest.front()) != std::string_view::npos) return true;
    // Basic commands echoed as typed: "ATI", "ATI0", "ATE0".
    const bool basic =
        rest.front() == 'I' || rest.front() == 'i' || rest.front() == 'E' || rest.front() == 'e';
    return basic && (rest.size() == 1 || (rest.size() == 2 && all_digits(rest.substr(1))));
}

bool is_label(std::string_view label) {
    if (label.empty() || label.size() > k_max_label_bytes) return false;
    const bool leader = k_label_leaders.find(label.front()) != std::string_view::npos;
    const std::string_view body = leader ? label.substr(1) : label;
    return !body.empty() && is_letter(body.front()) &&
           std::all_of(body.begin(), body.end(), is_label_char);
}

}  // namespace

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_letter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::string_view unquote(std::string_view text) {
    text = trim_space(text);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
        text = trim_space(text.substr(1, text.size() - 2));
    }
    return text;
}

std::string fold(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : trim_space(text)) {
        if (is_space(c)) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

std::optional<std::string_view> usable_line(std::string_view raw, std::string_view command) {
    if (raw.size() > k_max_line_bytes) return std::nullopt;
    const std::string_view line = trim_space(raw);
    if (line.empty() || !std::all_of(line.begin(), line.end(), is_printable)) return std::nullopt;
    if (looks_like_echo(line) || parse_final_result(line)) return std::nullopt;
    if (is_unsolicited(line, command)) return std::nullopt;
    return line;
}

std::optional<Labelled> split_label(std::string_view line) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view label = trim_space(line.substr(0, colon));
    if (!is_label(label)) return std::nullopt;
    return Labelled{fold(label), trim_space(line.substr(colon + 1))};
}

std::string quote_response(Lines lines) {
    std::string joined;
    for (const std::string& line : lines) {
        const std::string_view text = trim_space(line);
        if (text.empty()) continue;
        if (!joined.empty()) joined += '\n';
        // Copy no more than the quote can show, however long the line.
        const std::size_t room = k_max_quote_bytes - std::min(joined.size(), k_max_quote_bytes);
        joined.append(text.substr(0, room + 1));
        if (joined.size() > k_max_quote_bytes) break;
    }
    if (joined.empty()) return "no lines";
    return quote_line(joined);
}

std::string quote_line(std::string_view line) {
    return "\"" + sanitize_for_display(line, k_max_quote_bytes) + "\"";
}

void Candidates::add(std::string value, std::string_view line) {
    const std::string key = fold(value);
    const bool known = std::any_of(m_entries.begin(), m_entries.end(),
                                   [&](const Entry& entry) { return fold(entry.value) == key; });
    if (known || m_entries.size() >= 2) return;
    m_entries.push_back(Entry{std::move(value), std::string(line)});
}

Result<std::string> Candidates::single(std::string_view command, std::string_view what,
                                       Lines lines) const {
    const std::string where(command);
    if (m_entries.empty()) {
        return fail(Reason::protocol_error, where + ": no " + std::string(what) + " in response (" +
                                                quote_response(lines) + ")");
    }
    if (m_entries.size() > 1) {
        return fail(Reason::protocol_error,
                    where + ": two different " + std::string(what) + " values in response (" +
                        quote_line(m_entries[0].line) + ", " + quote_line(m_entries[1].line) + ")");
    }
    return m_entries.front().value;
}

}  // namespace drivers::at::detail
