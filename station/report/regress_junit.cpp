// The nightly regression as JUnit XML (Jenkins, GitLab): one <testsuite> per slot, one
// <testcase> per check of the slot (identity against golden, verdict, the change since last
// night, flakiness, the rig, each command's timing). A product regression is a <failure> whose
// text holds the findings and the slot's transcript tail; a rig fault is an <error>. Every
// device string is sanitized, then escaped.
#include <station/core/time_text.hpp>
#include <station/report/regress.hpp>
#include <station/report/regress_common.hpp>

namespace station::report {
namespace {

using namespace regress_detail;
using core::RegressKind;

// A check of one slot and the findings it owns.
struct Check {
    std::string name;
    std::vector<const core::RegressFinding*> findings;
    double seconds = 0;
};

struct Counts {
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::size_t errors = 0;
    double time = 0;

    std::string attributes() const {
        return "tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
               "\" errors=\"" + std::to_string(errors) + "\" skipped=\"0\" time=\"" +
               number(time, 3) + "\"";
    }
};

// The checks every slot has, with the kinds each owns; timing checks follow, per command.
struct CheckKind {
    const char* name;
    RegressKind first;
    RegressKind second;
};
constexpr CheckKind k_checks[] = {
    {"identity", RegressKind::identity_drift, RegressKind::identity_drift},
    {"verdict", RegressKind::verdict_changed, RegressKind::verdict_changed},
    {"since last night", RegressKind::new_failure, RegressKind::fixed},
    {"flaky", RegressKind::flaky, RegressKind::flaky},
    {"rig", RegressKind::rig_fault, RegressKind::rig_fault},
};

double seconds_of(std::chrono::microseconds took) {
    return static_cast<double>(took.count()) / 1e6;
}

// Tonight's time spent on `command` in `slot` (every iteration), and the slot's total.
double command_seconds(const core::RegressReport& report, const std::string& slot,
                       const std::string& command) {
    double total = 0;
    for (const auto& observation : report.observations) {
        if (observation.slot != slot) continue;
        for (const auto& trip : observation.round_trips) {
            if (trip.command == command) total += seconds_of(trip.took);
        }
    }
    return total;
}

double slot_seconds(const core::RegressReport& report, const std::string& slot) {
    double total = 0;
    for (const auto& observation : report.observations) {
        if (observation.slot == slot) total += seconds_of(observation.took);
    }
    return total;
}

Check& timing_check(std::vector<Check>& checks, const std::string& command) {
    const std::string name = "timing " + command;
    for (auto& check : checks) {
        if (check.name == name) return check;
    }
    checks.push_back({name, {}, 0});
    return checks.back();
}

std::vector<Check> checks_of(const core::RegressReport& report, const std::string& slot) {
    std::vector<Check> checks;
    const auto found = findings_of(report, slot);
    for (const auto& kind : k_checks) {
        Check check{kind.name, {}, 0};
        for (const auto* f : found) {
            if (f->kind == kind.first || f->kind == kind.second) check.findings.push_back(f);
        }
        if (check.name == "verdict") check.seconds = slot_seconds(report, slot);
        checks.push_back(std::move(check));
    }
    for (const auto& summary : report.slots) {
        if (summary.slot != slot) continue;
        for (const auto& timing : summary.timings) timing_check(checks, timing.command);
    }
    for (const auto* f : found) {
        if (f->kind == RegressKind::slower) timing_check(checks, f->what).findings.push_back(f);
    }
    for (auto& check : checks) {
        if (check.name.rfind("timing ", 0) == 0) {
            check.seconds = command_seconds(report, slot, check.name.substr(7));
        }
    }
    return checks;
}

// <failure> / <error> for the check's failing findings, <system-out> for the rest ("fixed").
std::string check_children(const Check& check, const std::string& tail) {
    std::string failing;
    std::string notes;
    const core::RegressFinding* first = nullptr;
    bool rig = false;
    for (const auto* f : check.findings) {
        auto& text = kind_fails(f->kind) ? failing : notes;
        text += safe(finding_line(*f)) + "\n";
        if (kind_fails(f->kind) && first == nullptr) first = f;
        rig = rig || f->kind == RegressKind::rig_fault;
    }
    std::string out;
    if (first != nullptr) {
        const std::string element = rig ? "error" : "failure";
        if (!tail.empty()) failing += "transcript tail:\n" + safe_lines(tail, 1024) + "\n";
        out += "      <" + element + " message=\"" + safe(finding_line(*first)) + "\" type=\"" +
               std::string(kind_name(first->kind)) + "\">" + failing + "</" + element + ">\n";
    }
    if (!notes.empty()) out += "      <system-out>" + notes + "</system-out>\n";
    return out;
}

std::string property(std::string_view name, std::string_view value) {
    return "      <property name=\"" + safe(name) + "\" value=\"" + safe(value) + "\"/>\n";
}

std::string properties(const core::RegressReport& report, const std::string& slot) {
    std::string out =
        "    <properties>\n" + property("rig", report.rig) + property("golden", report.golden);
    if (report.run) out += property("run", std::to_string(*report.run));
    for (const auto& s : report.slots) {
        if (s.slot != slot) continue;
        out += property("fsn", s.fsn) + property("outcome", core::to_string(s.outcome)) +
               property("passes", std::to_string(s.passes) + "/" + std::to_string(s.iterations)) +
               property("change", s.change) + property("flake_rate", number(s.flake_rate, 3));
    }
    return out + "    </properties>\n";
}

std::string suite(const core::RegressReport& report, const std::string& slot, std::size_t id,
                  Counts& total) {
    Counts counts;
    counts.time = slot_seconds(report, slot);
    std::string cases;
    const std::string tail = transcript_tail(report, slot);
    for (const auto& check : checks_of(report, slot)) {
        const std::string children = check_children(check, tail);
        ++counts.tests;
        if (children.find("      <failure ") == 0) ++counts.failures;
        if (children.find("      <error ") == 0) ++counts.errors;
        cases += "    <testcase classname=\"regress." + safe(slot) + "\" name=\"" +
                 safe(check.name) + "\" time=\"" + number(check.seconds, 3) + "\"" +
                 (children.empty() ? "/>\n" : ">\n" + children + "    </testcase>\n");
    }
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.errors += counts.errors;
    total.time += counts.time;
    const std::string timestamp = core::iso_utc(report.started, false).substr(0, 19);
    return "  <testsuite name=\"" + safe(slot) + "\" id=\"" + std::to_string(id) +
           "\" package=\"regress\" " + counts.attributes() + " timestamp=\"" + timestamp + "\">\n" +
           properties(report, slot) + cases +
           "    <system-out/>\n    <system-err/>\n  </testsuite>\n";
}

}  // namespace

std::string regress_junit(const core::RegressReport& report) {
    Counts total;
    std::string suites;
    std::size_t id = 0;
    for (const auto& slot : slot_names(report)) suites += suite(report, slot, id++, total);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" +
           safe("station regress " + report.rig) + "\" " + total.attributes() + ">\n" + suites +
           "</testsuites>\n";
}

}  // namespace station::report
