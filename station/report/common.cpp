#include <array>
#include <ctime>

#include <station/report/report.hpp>

namespace station::report {

std::string iso_time(store::TimePoint time) {
    const std::int64_t ms = store::to_ms(time);
    const std::int64_t seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    const auto millis = static_cast<int>(ms - seconds * 1000);
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    if (gmtime_r(&t, &tm) == nullptr) return "?";
    std::array<char, 40> buf{};
    const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
    std::array<char, 8> frac{};
    std::snprintf(frac.data(), frac.size(), ".%03dZ", millis);
    return std::string(buf.data(), n) + frac.data();
}

std::string_view outcome_text(const store::SlotRecord& slot) {
    return slot.outcome ? core::to_string(*slot.outcome) : std::string_view("RUNNING");
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace station::report
