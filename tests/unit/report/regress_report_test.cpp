// The nightly regression's outputs (issue 17) over hand-built reports: JUnit against the
// shipped schema with its counts, the HTML page parsed by xmllint as XML and as HTML with its
// charts' data points counted, no external reference and no hostile string surviving raw,
// JSON round-tripping the counts, plain text lines.
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "junit_lint.hpp"

#include <process.hpp>
#include <regress_sample.hpp>
#include <station/report/regress.hpp>

namespace tests::report {
namespace {

namespace rp = station::report;
using station::core::RegressReport;

// xmllint's answer to an XPath expression over `xml` (as XML, or as HTML with --html).
std::string xpath(const std::string& xml, const std::string& expr, bool html = false) {
    tests::TempDir dir;
    const std::string file = dir.path() + "/doc.xml";
    std::ofstream(file) << xml;
    std::vector<std::string> argv{"/usr/bin/xmllint", "--xpath", expr, file};
    if (html) argv.insert(argv.begin() + 1, "--html");
    const auto result = tests::run_process(argv, std::chrono::seconds(30));
    EXPECT_EQ(result.exit_code, 0) << expr << "\n" << result.err;
    std::string out = result.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

int count(const std::string& xml, const std::string& expr, bool html = false) {
    return std::stoi(xpath(xml, "count(" + expr + ")", html));
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

struct Sample {
    const char* name;
    std::size_t slots;
    std::size_t nights;
    bool hostile;
};

const Sample k_samples[] = {
    {"plain", 4, 5, false},   {"hostile", 3, 2, true},    {"one night", 3, 1, false},
    {"no trend", 3, 0, true}, {"empty rig", 0, 0, false}, {"full", 24, 30, false},
};

// ---- JUnit ------------------------------------------------------------------------------

TEST(RegressJunit, ValidatesAgainstTheSchemaAndCountsMatch) {
    for (const auto& sample : k_samples) {
        SCOPED_TRACE(sample.name);
        const auto report = regress_sample(sample.slots, sample.nights, sample.hostile);
        const std::string xml = rp::regress_junit(report);
        const auto lint = lint_junit(xml);
        EXPECT_EQ(lint.exit_code, 0) << lint.err << xml;
        EXPECT_EQ(count(xml, "/testsuites/testsuite"), static_cast<int>(sample.slots));
        EXPECT_EQ(count(xml, "//testcase"), std::stoi(xpath(xml, "string(/testsuites/@tests)")));
        EXPECT_EQ(count(xml, "//failure"), std::stoi(xpath(xml, "string(/testsuites/@failures)")));
        EXPECT_EQ(count(xml, "//error"), std::stoi(xpath(xml, "string(/testsuites/@errors)")));
        EXPECT_EQ(count(xml, "//testsuite[@tests != count(testcase)]"), 0);
        EXPECT_EQ(count(xml, "//testsuite[@failures != count(testcase/failure)]"), 0);
        EXPECT_EQ(count(xml, "//testsuite[@errors != count(testcase/error)]"), 0);
        if (sample.slots == 0) continue;
        // identity drift + slower on A1 fail; flaky on A2 fails, fixed does not; A3's rig errs.
        EXPECT_EQ(count(xml, "//failure"), 3);
        EXPECT_EQ(count(xml, "//error[@type='rig_fault']"), 1);
        EXPECT_EQ(count(xml,
                        "//testsuite[@name='A1']/testcase[@name='identity']/"
                        "failure[@type='identity_drift']"),
                  1);
        EXPECT_EQ(count(xml,
                        "//testsuite[@name='A1']/testcase[@name='timing AT+CIMI']/"
                        "failure[@type='slower']"),
                  1);
        EXPECT_EQ(count(xml, "//testsuite[@name='A2']/testcase[@name='flaky']/failure"), 1);
        EXPECT_EQ(count(xml, "//testcase[@classname='regress.A1'][@name='verdict']"), 1);
        // The failure text holds the transcript tail; times are in seconds.
        EXPECT_NE(xpath(xml, "string(//testsuite[@name='A1']//failure)").find("310410123456789"),
                  std::string::npos);
        EXPECT_EQ(xpath(xml, "string(//testsuite[@name='A1']/@time)"), "4.560");
        EXPECT_EQ(
            xpath(xml, "string(//testsuite[@name='A1']/testcase[@name='timing AT+CIMI']/@time)"),
            "0.093");
    }
}

// ---- HTML -------------------------------------------------------------------------------

std::string svg(const std::string& path) {
    return "//*[local-name()='" + path + "']";
}

TEST(RegressHtml, ParsesAsXmlAndAsHtml) {
    for (const auto& sample : k_samples) {
        SCOPED_TRACE(sample.name);
        const std::string html =
            rp::regress_html(regress_sample(sample.slots, sample.nights, sample.hostile));
        tests::TempDir dir;
        const std::string file = dir.path() + "/report.html";
        std::ofstream(file) << html;
        const auto as_xml =
            tests::run_process({"/usr/bin/xmllint", "--noout", file}, std::chrono::seconds(30));
        EXPECT_EQ(as_xml.exit_code, 0) << as_xml.err;
        EXPECT_EQ(as_xml.err, "");
        const auto as_html = tests::run_process({"/usr/bin/xmllint", "--html", "--noout", file},
                                                std::chrono::seconds(30));
        EXPECT_EQ(as_html.exit_code, 0) << as_html.err;
        // libxml2's HTML 4 parser names HTML5 / SVG tags it does not know; nothing else.
        const std::regex unknown_tag(R"(HTML parser error : Tag \w+ invalid)");
        std::istringstream lines(as_html.err);
        for (std::string line; std::getline(lines, line);) {
            if (line.find("parser error") != std::string::npos) {
                EXPECT_TRUE(std::regex_search(line, unknown_tag)) << line;
            }
        }
        EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0U);
    }
}

TEST(RegressHtml, HasNoScriptAndNoExternalReference) {
    for (const auto& sample : k_samples) {
        SCOPED_TRACE(sample.name);
        const std::string html =
            rp::regress_html(regress_sample(sample.slots, sample.nights, sample.hostile));
        const std::regex script("<\\s*script", std::regex::icase);
        const std::regex external(
            R"((src|href|xlink:href|action)\s*=\s*["']?\s*[A-Za-z][A-Za-z0-9+.-]*:)",
            std::regex::icase);
        const std::regex any_reference(R"(\s(src|href|xlink:href)\s*=)", std::regex::icase);
        EXPECT_FALSE(std::regex_search(html, script));
        EXPECT_FALSE(std::regex_search(html, external));
        EXPECT_FALSE(std::regex_search(html, any_reference));
        EXPECT_EQ(html.find("url("), std::string::npos);
        EXPECT_EQ(html.find("@import"), std::string::npos);
        EXPECT_EQ(count(html, svg("script") + "|" + svg("link") + "|" + svg("img") + "|" +
                                  svg("iframe") + "|" + svg("object")),
                  0);
    }
}

TEST(RegressHtml, EveryChartHasItsDataPointsAndAxes) {
    for (const auto& sample : k_samples) {
        SCOPED_TRACE(sample.name);
        const auto report = regress_sample(sample.slots, sample.nights, sample.hostile);
        const std::string html = rp::regress_html(report);
        const int points = static_cast<int>(report.trend.size());
        EXPECT_EQ(count(html, svg("circle") + "[@data-series='pass_rate']"), points);
        EXPECT_EQ(count(html, svg("circle") + "[@data-series='p50']"), points);
        EXPECT_EQ(count(html, svg("circle") + "[@data-series='p95']"), points);
        // Each point carries its own tooltip: a <title> child (a path from the root inside the
        // predicate would ask whether the page has any title at all, and take O(n^2) to).
        EXPECT_EQ(count(html, svg("circle") + "[not(*[local-name()='title'])]"), 0);
        int flaky = 0;
        for (const auto& s : report.slots) flaky += s.flake_rate > 0 ? 1 : 0;
        EXPECT_EQ(count(html, svg("rect") + "[@data-flake-rate]"), flaky);
        // Every chart: axes with labels, and at least one data point.
        EXPECT_EQ(count(html, svg("svg") + "[not(.//*[@class='axes']/*[local-name()='text'])]"), 0);
        EXPECT_EQ(count(html, svg("svg") + "[not(.//*[local-name()='circle' or "
                                           "local-name()='rect'])]"),
                  0);
        // An empty trend says so instead of drawing empty charts.
        EXPECT_EQ(occurrences(html, "no earlier nights"), points == 0 ? 2U : 0U);
        EXPECT_EQ(count(html,
                        "//*[local-name()='table']//*[local-name()='tbody']/"
                        "*[local-name()='tr'][@data-slot]"),
                  static_cast<int>(report.slots.size()));
        EXPECT_EQ(count(html, "//*[local-name()='ul'][@class='findings']/*"),
                  static_cast<int>(report.findings.size()));
    }
}

TEST(RegressHtml, TitleNamesTheRigAndTheNight) {
    const std::string html = rp::regress_html(regress_sample(2, 3));
    EXPECT_EQ(xpath(html, "string(//*[local-name()='title'][1])"),
              "Nightly regression: rig rig-1, 2026-11-30");
}

// ---- hostile device strings ----------------------------------------------------------------

TEST(RegressOutputs, HostileDeviceStringsDoNotSurviveRaw) {
    const auto report = regress_sample(3, 2, true);
    struct Output {
        const char* name;
        std::string text;
        bool markup;  // XML / HTML: no markup or quote of a device survives either
    };
    const Output outputs[] = {{"junit", rp::regress_junit(report), true},
                              {"html", rp::regress_html(report), true},
                              {"text", rp::regress_text(report), false}};
    for (const auto& output : outputs) {
        SCOPED_TRACE(output.name);
        EXPECT_EQ(output.text.find(regress_hostile_text()), std::string::npos);
        if (output.markup) {
            EXPECT_EQ(output.text.find("<script>"), std::string::npos);
            EXPECT_EQ(output.text.find("\"q\"'a'"), std::string::npos);
        }
        EXPECT_EQ(output.text.find('\x1b'), std::string::npos);
        EXPECT_EQ(output.text.find('\r'), std::string::npos);
        EXPECT_EQ(output.text.find("\xe2\x80\xae"), std::string::npos);
        EXPECT_NE(output.text.find("\\x1b[31mred"), std::string::npos);  // visible instead
    }
}

// ---- JSON -----------------------------------------------------------------------------------

// exit_code is the night's: 0 nothing regressed, 1 a product regression, 2 a rig fault.
TEST(RegressJson, CarriesTheNightsExitCode) {
    using station::core::RegressKind;
    struct Case {
        std::vector<RegressKind> kinds;
        int exit_code;
    };
    for (const auto& c : std::vector<Case>{{{}, 0},
                                           {{RegressKind::fixed}, 0},
                                           {{RegressKind::slower}, 1},
                                           {{RegressKind::slower, RegressKind::rig_fault}, 2}}) {
        station::core::RegressReport report;
        report.rig = "R";
        report.iterations = 1;
        report.slots.push_back({"A1", "FSN1", station::core::Outcome::pass, 1, 1, "", 0, {}});
        for (const auto kind : c.kinds) report.findings.push_back({kind, "A1", "", "", "", ""});
        const auto j = nlohmann::json::parse(rp::regress_json(report));
        EXPECT_EQ(j.at("exit_code"), c.exit_code) << j.dump();
    }
}

TEST(RegressJson, ParsesAndRoundTripsTheCounts) {
    for (const auto& sample : k_samples) {
        SCOPED_TRACE(sample.name);
        const auto report = regress_sample(sample.slots, sample.nights, sample.hostile);
        const auto j = nlohmann::json::parse(rp::regress_json(report));
        EXPECT_EQ(j.at("rig"), report.rig);  // data, not sanitized
        EXPECT_EQ(j.at("golden"), report.golden);
        EXPECT_EQ(j.at("started"), "2026-11-30T00:53:20.000Z");
        EXPECT_EQ(j.at("run"), 42);
        EXPECT_EQ(j.at("iterations"), 3);
        ASSERT_EQ(j.at("slots").size(), report.slots.size());
        EXPECT_EQ(j.at("findings").size(), report.findings.size());
        EXPECT_EQ(j.at("trend").size(), report.trend.size());
        EXPECT_TRUE(j.at("exit_code").is_number_integer());
        for (std::size_t i = 0; i < report.slots.size(); ++i) {
            const auto& s = j["slots"][i];
            EXPECT_EQ(s.at("slot"), report.slots[i].slot);
            EXPECT_EQ(s.at("fsn"), report.slots[i].fsn);
            EXPECT_EQ(s.at("passes"), report.slots[i].passes);
            EXPECT_EQ(s.at("iterations"), report.slots[i].iterations);
            EXPECT_EQ(s.at("timings").size(), report.slots[i].timings.size());
        }
        if (report.findings.empty()) continue;
        EXPECT_EQ(j["findings"][0].at("kind"), "identity_drift");
        EXPECT_EQ(j["findings"][4].at("kind"), "rig_fault");
        EXPECT_TRUE(j["slots"][0]["timings"][1].at("baseline_p95_ms").is_null());
    }
}

// ---- text -----------------------------------------------------------------------------------

TEST(RegressText, OneLinePerSlotThenPerFinding) {
    const auto report = regress_sample(3, 2, true);
    const std::string text = rp::regress_text(report);
    EXPECT_EQ(occurrences(text, "\n"), report.slots.size() + report.findings.size());
    EXPECT_EQ(text.rfind("slot A1 ", 0), 0U);
    EXPECT_NE(text.find("slot A2 FSN1001 FAIL 2/3 passed, flaky"), std::string::npos);
    EXPECT_NE(text.find("slot A3 rig_fault: - -> ERROR: every unit errs in this slot\n"),
              std::string::npos);
    EXPECT_EQ(rp::regress_text(regress_sample(0, 0)), "no findings\n");
}

}  // namespace
}  // namespace tests::report
