#include <station/report/report.hpp>

namespace station::report {

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
