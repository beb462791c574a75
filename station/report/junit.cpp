// JUnit XML in the shape CI servers read (Jenkins, GitLab, Azure): testsuites > testsuite (one
// per run) > testcase (one per slot result). Only sanitized text reaches the file (valid UTF-8
// without controls or noncharacters), so no character that XML 1.0 forbids can appear; every
// value is escaped.
#include <array>
#include <cstdio>
#include <map>
#include <utility>

#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/report/report.hpp>

namespace station::report {
namespace {

std::string attr(std::string_view raw, std::size_t max = 512) {
    return xml_escape(core::sanitize_for_display(raw, max));
}

std::string seconds(double value) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.3f", value);
    return buf.data();
}

double duration_s(const store::SlotRecord& slot) {
    if (!slot.ended) return 0.0;
    const auto ms = store::to_ms(*slot.ended) - store::to_ms(slot.start.started);
    return ms > 0 ? static_cast<double>(ms) / 1000.0 : 0.0;
}

struct Counts {
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::size_t errors = 0;
    std::size_t skipped = 0;
    double time = 0.0;

    void add(const store::SlotRecord& slot) {
        ++tests;
        time += duration_s(slot);
        if (!slot.outcome) {
            ++skipped;
            return;
        }
        switch (*slot.outcome) {
            case core::Outcome::pass:
                break;
            case core::Outcome::fail:
                ++failures;
                break;
            case core::Outcome::error:
                ++errors;
                break;
            case core::Outcome::aborted:
                ++skipped;
                break;
        }
    }
    std::string attributes() const {
        return "tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
               "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) +
               "\" time=\"" + seconds(time) + "\"";
    }
};

// "PAL-7/run-3", and for a central row its station after '@' ("PAL-7/run-3@bench-a").
std::string suite_name(const store::RunRecord& run) {
    return run.info.lot + "/run-" + std::to_string(run.id.value) +
           (run.station.empty() ? "" : "@" + run.station);
}

// The outcome's child element ("" for PASS).
std::string outcome_element(const store::SlotRecord& slot) {
    const std::string reason = slot.reason ? std::string(core::to_string(*slot.reason)) : "";
    const std::string message = attr(reason.empty() ? slot.message : reason + ": " + slot.message);
    const std::string body = attr(slot.message, 4096);
    if (!slot.outcome) return "      <skipped message=\"still running\"/>\n";
    switch (*slot.outcome) {
        case core::Outcome::pass:
            return "";
        case core::Outcome::fail:
            return "      <failure message=\"" + message + "\" type=\"" + attr(reason) + "\">" +
                   body + "</failure>\n";
        case core::Outcome::error:
            return "      <error message=\"" + message + "\" type=\"" + attr(reason) + "\">" +
                   body + "</error>\n";
        case core::Outcome::aborted:
            return "      <skipped message=\"" + message + "\"/>\n";
    }
    return "";
}

// A retested unit's RMA, findings and action, one line each (sanitized each on its own).
std::string retest_lines(const store::SlotRecord& slot, const RetestFindings* retests) {
    if (retests == nullptr) return "";
    const auto found = retests->find(slot.id.value);
    if (found == retests->end()) return "";
    std::string text = attr("rma: " + found->second.rma) + "\n";
    for (const auto& f : found->second.findings) text += attr("finding " + finding_text(f)) + "\n";
    return text +
           attr("action: " +
                std::string(core::to_string(core::action_for(found->second.findings)))) +
           "\n";
}

// The SKU decision as the testcase's output: profile, basis and one line per signal; then a
// retested unit's findings.
std::string decision_output(const store::SlotRecord& slot, const RetestFindings* retests) {
    std::string text;
    if (!slot.profile.empty() || slot.sku_basis || !slot.signals.empty()) {
        // Each line sanitized on its own (a device's newline cannot start a line of its own).
        text = attr("profile: " + (slot.profile.empty() ? "-" : slot.profile)) + "\n" +
               attr("sku_basis: " + slot.sku_basis.value_or("-")) + "\n";
        for (const auto& s : slot.signals) {
            text += attr("signal " + s.source + "=" + s.value + " votes " +
                         std::string(vote_text(s.vote)) + ": " + s.basis) +
                    "\n";
        }
    }
    text += retest_lines(slot, retests);
    if (text.empty()) return "";
    return "      <system-out>" + text + "</system-out>\n";
}

std::string testcase(const store::ResultRow& row, const RetestFindings* retests) {
    const auto& slot = row.slot;
    std::string name = "slot " + slot.start.slot + " " +
                       (slot.identity.fsn.empty() ? "(no FSN)" : slot.identity.fsn);
    if (slot.start.attempt > 1) name += " attempt " + std::to_string(slot.start.attempt);
    const std::string out = "    <testcase classname=\"" + attr(suite_name(row.run)) +
                            "\" name=\"" + attr(name) + "\" time=\"" + seconds(duration_s(slot)) +
                            "\"";
    const std::string children = outcome_element(slot) + decision_output(slot, retests);
    if (children.empty()) return out + "/>\n";
    return out + ">\n" + children + "    </testcase>\n";
}

std::string property(std::string_view name, std::string_view value) {
    return "      <property name=\"" + attr(name) + "\" value=\"" + attr(value) + "\"/>\n";
}

}  // namespace

std::string to_junit(const Subject& subject, const std::vector<store::ResultRow>& rows,
                     const RetestFindings* retests) {
    // Group by run, keeping the order in which runs first appear.
    // A run is named by its station (central rows) and id.
    using RunKey = std::pair<std::string, std::int64_t>;
    std::vector<RunKey> order;
    std::map<RunKey, std::vector<const store::ResultRow*>> by_run;
    Counts total;
    for (const auto& row : rows) {
        const RunKey key{row.run.station, row.run.id.value};
        auto& list = by_run[key];
        if (list.empty()) order.push_back(key);
        list.push_back(&row);
        total.add(row.slot);
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" +
                      attr("station " + subject.kind + " " + subject.id) + "\" " +
                      total.attributes() + ">\n";
    std::size_t index = 0;
    for (const auto& run_key : order) {
        const auto& list = by_run[run_key];
        const auto& run = list.front()->run;
        Counts counts;
        for (const auto* row : list) counts.add(row->slot);
        std::string timestamp = core::iso_utc(run.info.started);
        timestamp = timestamp.substr(0, 19);  // xs:dateTime without zone, as Jenkins' schema wants
        out += "  <testsuite name=\"" + attr(suite_name(run)) + "\" id=\"" +
               std::to_string(index++) + "\" package=\"station." +
               std::string(store::to_string(run.info.mode)) + "\" " + counts.attributes() +
               " timestamp=\"" + timestamp + "\" hostname=\"" +
               attr(run.hostname.empty() ? "unknown" : run.hostname) + "\">\n";
        out += "    <properties>\n";
        out += property("mode", store::to_string(run.info.mode));
        out += property("lot", run.info.lot);
        out += property("operator", run.info.operator_name);
        if (!run.station.empty()) out += property("station", run.station);
        out += property("profile", run.info.profile);
        out += property("run_outcome", run.outcome ? core::to_string(*run.outcome) : "RUNNING");
        out += property("interrupted", run.interrupted ? "true" : "false");
        out += "    </properties>\n";
        for (const auto* row : list) out += testcase(*row, retests);
        out += "    <system-out/>\n    <system-err/>\n  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

}  // namespace station::report
