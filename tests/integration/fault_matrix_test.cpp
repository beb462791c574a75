// The fault matrix (issue 18): every routersim fault crossed with every workflow that touches
// units. Each cell's outcome and reason is pinned in the table below (a change of behaviour
// fails the test); every cell also must end within its deadline, be stored as shown, never be
// doubled, and leave `station db check` clean (fault_matrix_columns.cpp). The whole matrix is
// printed (rows faults, columns workflows, cells "outcome ms").
#include <filesystem>
#include <future>
#include <iostream>
#include <set>

#include <gtest/gtest.h>

#include <fixtures/routersim/faults.hpp>

#include "fault_matrix.hpp"

namespace {

namespace mx = tests::matrix;
using Clock = std::chrono::steady_clock;

// A fault row and what each workflow makes of it, in column order: identify, scan --identify,
// provision, register push (after provision), provision --push, retest, regress. "a|b": either.
struct Expected {
    mx::FaultRow row;
    std::vector<std::string> cells;
};

constexpr const char* k_one = "1 system";
constexpr const char* k_none = "0 systems";
constexpr const char* k_lost = "ERROR/port_lost|ERROR/port_unavailable";

const std::vector<Expected>& expectations() {
    static const std::vector<Expected> table{
        // fault, latency: identify | scan --identify | provision | register push |
        //                 provision --push | retest | regress
        {{"", "0"}, {"PASS", "PASS", "PASS", k_one, "PASS+alms", "PASS", "PASS"}},
        {{"no_sim", "0"},
         {"FAIL/sim_not_inserted", "FAIL/sim_not_inserted", "FAIL/sim_not_inserted", k_none,
          "FAIL/sim_not_inserted", "FAIL/sim_not_inserted", "FAIL/verdict_changed"}},
        {{"pin_locked", "0"},
         {"FAIL/sim_pin_required", "FAIL/sim_pin_required", "FAIL/sim_pin_required", k_none,
          "FAIL/sim_pin_required", "FAIL/sim_pin_required", "FAIL/verdict_changed"}},
        // A unit that never answers: ERROR after its retry; a slot that errs is the rig's.
        {{"silent", "0"},
         {"ERROR/no_response", "ERROR/no_response", "ERROR/no_response", k_none,
          "ERROR/no_response", "ERROR/no_response", "ERROR/rig_fault"}},
        // Late answers: the regression's next iteration opens the port right after the unit's
        // last attempt (per-slot pipeline), and the answers still on their way may give it a
        // partial identity: then the ERROR follows the unit (verdict_changed), else the slot's.
        {{"late=1500", "0"},
         {"ERROR/no_response", "ERROR/no_response", "ERROR/no_response", k_none,
          "ERROR/no_response", "ERROR/no_response", "ERROR/rig_fault|ERROR/verdict_changed"}},
        // Noise the framing skips: the unit passes everywhere.
        {{"garbage_before", "0"}, {"PASS", "PASS", "PASS", k_one, "PASS+alms", "PASS", "PASS"}},
        {{"garbage_inside", "0"}, {"PASS", "PASS", "PASS", k_one, "PASS+alms", "PASS", "PASS"}},
        {{"urc_storm", "0"}, {"PASS", "PASS", "PASS", k_one, "PASS+alms", "PASS", "PASS"}},
        {{"endless", "0"},
         {"ERROR/response_too_large", "ERROR/response_too_large", "ERROR/response_too_large",
          k_none, "ERROR/response_too_large", "ERROR/response_too_large", "ERROR/rig_fault"}},
        {{"invalid_iccid", "0"},
         {"FAIL/iccid_invalid", "FAIL/iccid_invalid", "FAIL/iccid_invalid", k_none,
          "FAIL/iccid_invalid", "FAIL/iccid_invalid", "FAIL/verdict_changed"}},
        // At 100 ms per command the stale OK (50 ms after each answer) always comes before the
        // next answer (see provision_test.cpp). An ERROR that follows the unit is the unit's.
        {{"stale_ok", "100"},
         {"ERROR/protocol_error", "ERROR/protocol_error", "ERROR/protocol_error", k_none,
          "ERROR/protocol_error", "ERROR/protocol_error", "ERROR/verdict_changed"}},
        // The unit hangs up: its retry may find the port already gone.
        {{"drop_after=1", "0"},
         {"ERROR/port_lost", "ERROR/port_lost", k_lost, k_none, k_lost, k_lost,
          "ERROR/verdict_changed"}},
        // Every 2nd session broken: the first of each workflow passes; a night of two
        // iterations sees it flip.
        {{"flaky_every=2", "0"},
         {"PASS", "PASS", "PASS", k_one, "PASS+alms", "PASS", "FAIL/verdict_changed+flaky"}},
    };
    return table;
}

bool matches(const std::string& expected, const std::string& observed) {
    std::size_t begin = 0;
    while (begin <= expected.size()) {
        const auto end = std::min(expected.find('|', begin), expected.size());
        if (expected.substr(begin, end - begin) == observed) return true;
        begin = end + 1;
    }
    return false;
}

std::string fault_name(const std::string& spec) {
    return spec.substr(0, spec.find('='));
}

TEST(FaultMatrix, TheTableCoversEveryRoutersimFault) {
    std::set<std::string> rows;
    for (const auto& e : expectations()) rows.insert(fault_name(e.row.fault));
    for (const auto name : fixtures::routersim::fault_names())
        EXPECT_EQ(rows.count(std::string(name)), 1U) << "no matrix row for fault " << name;
}

TEST(FaultMatrix, EveryFaultAcrossEveryWorkflow) {
    std::vector<mx::FaultRow> rows;
    for (const auto& e : expectations()) rows.push_back(e.row);
    tests::TempDir dir;
    for (const auto* sub : {"/identify", "/scan", "/provision", "/push", "/retest", "/regress"})
        std::filesystem::create_directory(dir.path() + sub);
    // Every router of every column is up before any station runs: a pty a unit hangs up frees
    // its number, and a router started later in this test could take it.
    const int n = static_cast<int>(rows.size());
    const mx::SimRows identify(rows, 100, false), scan(rows, 200, false),
        provision(rows, 300, false), push(rows, 400, false), retest_clean(rows, 500, true),
        retest(rows, 500, false), regress(rows, 600, false);
    for (const auto* sims : {&identify, &scan, &provision, &push, &retest, &regress})
        for (int i = 0; i < n; ++i)
            ASSERT_NE(sims->port(static_cast<std::size_t>(i)), "/nonexistent");
    const tests::AlmsStandin alms_register, alms_push, alms_retest;
    const auto start = Clock::now();
    const auto d = dir.path();
    auto a = std::async(std::launch::async,
                        [&] { return mx::identify_column(identify, d + "/identify"); });
    auto b = std::async(std::launch::async, [&] { return mx::scan_column(scan, d + "/scan"); });
    auto c = std::async(std::launch::async, [&] {
        return mx::provision_columns(provision, d + "/provision", alms_register);
    });
    auto p = std::async(std::launch::async,
                        [&] { return mx::provision_push_column(push, d + "/push", alms_push); });
    auto r = std::async(std::launch::async, [&] {
        return mx::retest_column(retest_clean, retest, d + "/retest", alms_retest);
    });
    auto g =
        std::async(std::launch::async, [&] { return mx::regress_column(regress, d + "/regress"); });
    std::vector<mx::Column> columns{a.get(), b.get()};
    for (auto& col : c.get()) columns.push_back(col);
    columns.push_back(p.get());
    columns.push_back(r.get());
    columns.push_back(g.get());
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    std::cout << mx::table(rows, columns) << "matrix: " << elapsed.count() << " ms\n";
    for (std::size_t col = 0; col < columns.size(); ++col) {
        const auto& column = columns[col];
        for (const auto& problem : column.problems) ADD_FAILURE() << column.name << ": " << problem;
        ASSERT_EQ(column.cells.size(), rows.size()) << column.name;
        for (std::size_t row = 0; row < rows.size(); ++row) {
            const auto& cell = column.cells[row];
            const auto what =
                column.name + " x " + (rows[row].fault.empty() ? "none" : rows[row].fault);
            for (const auto& problem : cell.problems) ADD_FAILURE() << what << ": " << problem;
            EXPECT_PRED2(matches, expectations()[row].cells[col], cell.outcome) << what;
        }
    }
}

}  // namespace
