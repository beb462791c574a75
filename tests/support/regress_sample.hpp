// A nightly regression's report built by hand (issue 17), for the report writers' tests, the
// Chromium render test and the HTML benchmark: `slots` slots over `nights` nights (tonight
// last), every kind of finding, and device strings that try to break out of XML, HTML and a
// terminal when `hostile`.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include <station/core/regress.hpp>

namespace tests {

inline std::string regress_slot_name(std::size_t i) {
    return std::string(1, static_cast<char>('A' + i / 8)) + std::to_string(i % 8 + 1);
}

inline std::string regress_night(std::size_t i) {  // 2026-10-01 + i, i < 61
    char buf[48];
    const std::size_t month = i < 31 ? 10 : 11;
    std::snprintf(buf, sizeof buf, "2026-%02zu-%02zu", month, i < 31 ? i + 1 : i - 30);
    return buf;
}

// Hostile device text: a terminal escape, markup, an entity, quotes, a newline, a bidi override.
inline const char* regress_hostile_text() {
    return "<script>x</script>&amp;\"q\"'a'\x1b[31mred\r\nline\xe2\x80\xae";
}

inline void add_regress_findings(station::core::RegressReport& r, bool hostile) {
    using station::core::RegressKind;
    const std::string a = regress_slot_name(0);
    const std::string b = r.slots.size() > 1 ? regress_slot_name(1) : a;
    const std::string c = r.slots.size() > 2 ? regress_slot_name(2) : a;
    r.findings = {
        {RegressKind::identity_drift, a, "firmware", "4.9.5",
         hostile ? regress_hostile_text() : "4.9.6", "firmware differs from golden"},
        {RegressKind::slower, a, "AT+CIMI", "40.2", "61.0",
         "p95 61.0 ms vs baseline 40.2 ms (+52 %)"},
        {RegressKind::flaky, b, "", "", "", "failed 1 of 3 iterations"},
        {RegressKind::fixed, b, "", "FAIL", "PASS", "passes again"},
        {RegressKind::rig_fault, c, "", "", "ERROR", "every unit errs in this slot"},
    };
}

inline station::core::RegressReport regress_sample(std::size_t slots, std::size_t nights,
                                                   bool hostile = false) {
    using namespace station::core;
    RegressReport r;
    r.rig = hostile ? std::string("rig-1 ") + regress_hostile_text() : "rig-1";
    r.golden = "/etc/station/golden.toml";
    r.started = Clock::time_point(std::chrono::seconds(1'796'000'000));
    r.run = 42;
    r.iterations = 3;
    for (std::size_t i = 0; i < slots; ++i) {
        SlotSummary s;
        s.slot = regress_slot_name(i);
        s.fsn = hostile && i == 0 ? regress_hostile_text() : "FSN" + std::to_string(1000 + i);
        s.outcome = i == 2 ? Outcome::error : i == 1 ? Outcome::fail : Outcome::pass;
        s.iterations = 3;
        s.passes = i == 2 ? 0 : i == 1 ? 2 : 3;
        s.change = i == 1 ? "flaky" : i == 2 ? "new failure" : "";
        s.flake_rate = i % 5 == 1 ? 0.1 * static_cast<double>(i % 7 + 1) : 0.0;
        s.timings = {{"AT+CIMI", 30, 61, 28, 40.2},
                     {"ATI;+CGSN", 45, 52, std::nullopt, std::nullopt}};
        r.slots.push_back(s);
        for (int it = 1; it <= 3; ++it) {
            SlotObservation o;
            o.slot = s.slot;
            o.iteration = it;
            o.outcome = s.outcome;
            o.took = std::chrono::milliseconds(1500 + 10 * it);
            o.round_trips = {{"AT+CIMI", std::chrono::microseconds(31'000)},
                             {"ATI;+CGSN", std::chrono::microseconds(45'500)}};
            o.transcript_tail = "> AT+CIMI\n< 310410123456789\n< OK\n" +
                                std::string(hostile ? regress_hostile_text() : "< tail end");
            r.observations.push_back(o);
        }
        for (std::size_t n = 0; n < nights; ++n) {
            r.trend.push_back({regress_night(n), s.slot, (n + i) % 9 == 0 ? 2.0 / 3.0 : 1.0,
                               30.0 + static_cast<double>((n * 7 + i * 3) % 20),
                               50.0 + static_cast<double>((n * 11 + i * 5) % 40)});
        }
    }
    if (slots > 0) add_regress_findings(r, hostile);
    return r;
}

}  // namespace tests
