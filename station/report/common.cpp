#include <station/report/report.hpp>

namespace station::report {

std::string_view outcome_text(const store::SlotRecord& slot) {
    return slot.outcome ? core::to_string(*slot.outcome) : std::string_view("RUNNING");
}

std::string_view vote_text(const std::optional<core::Region>& vote) {
    return vote ? core::to_string(*vote) : std::string_view("none");
}

std::string signals_text(const std::vector<store::StoredSignal>& signals) {
    std::string out;
    for (const auto& signal : signals) {
        if (!out.empty()) out += "; ";
        out += signal.source + "=" + signal.value + ":" + std::string(vote_text(signal.vote));
    }
    return out;
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

std::string station_of(const store::RunRecord& run) {
    return run.station.empty() ? run.hostname : run.station;
}

}  // namespace station::report
