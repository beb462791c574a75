// The nightly regression as JSON for other tools: the report model of core/regress.hpp with its
// field names. Device strings stay data (the encoder escapes them; invalid UTF-8 is replaced).
// exit_code: core::regress_exit_code of the report.
#include <nlohmann/json.hpp>

#include <station/core/time_text.hpp>
#include <station/report/regress.hpp>
#include <station/report/regress_common.hpp>

namespace station::report {
namespace {

using nlohmann::json;
using namespace regress_detail;

json optional_ms(const std::optional<double>& value) {
    return value ? json(*value) : json(nullptr);
}

json timings_json(const std::vector<core::CommandTiming>& timings) {
    json out = json::array();
    for (const auto& t : timings) {
        out.push_back(json{{"command", t.command},
                           {"p50_ms", t.p50_ms},
                           {"p95_ms", t.p95_ms},
                           {"baseline_p50_ms", optional_ms(t.baseline_p50_ms)},
                           {"baseline_p95_ms", optional_ms(t.baseline_p95_ms)}});
    }
    return out;
}

json slots_json(const std::vector<core::SlotSummary>& slots) {
    json out = json::array();
    for (const auto& s : slots) {
        out.push_back(json{{"slot", s.slot},
                           {"fsn", s.fsn},
                           {"outcome", core::to_string(s.outcome)},
                           {"passes", s.passes},
                           {"iterations", s.iterations},
                           {"change", s.change},
                           {"flake_rate", s.flake_rate},
                           {"timings", timings_json(s.timings)}});
    }
    return out;
}

json findings_json(const std::vector<core::RegressFinding>& findings) {
    json out = json::array();
    for (const auto& f : findings) {
        out.push_back(json{{"kind", core::to_string(f.kind)},
                           {"slot", f.slot},
                           {"what", f.what},
                           {"before", f.before},
                           {"now", f.now},
                           {"detail", f.detail}});
    }
    return out;
}

json trend_json(const std::vector<core::TrendPoint>& trend) {
    json out = json::array();
    for (const auto& t : trend) {
        out.push_back(json{{"night", t.night},
                           {"slot", t.slot},
                           {"pass_rate", t.pass_rate},
                           {"p50_ms", t.p50_ms},
                           {"p95_ms", t.p95_ms}});
    }
    return out;
}

}  // namespace

std::string regress_json(const core::RegressReport& report) {
    const json out{{"rig", report.rig},
                   {"golden", report.golden},
                   {"started", core::iso_utc(report.started)},
                   {"run", report.run ? json(*report.run) : json(nullptr)},
                   {"iterations", report.iterations},
                   {"exit_code", core::regress_exit_code(report)},
                   {"slots", slots_json(report.slots)},
                   {"findings", findings_json(report.findings)},
                   {"trend", trend_json(report.trend)}};
    return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace station::report
