// station regress through the built binary (issue 17): a rig of routersim ptys written as a rig
// file, a golden file recorded from it, then nights against it with an injected start (--now)
// so that trends and baselines are tested without waiting days. Each case's finding and exit
// status; nothing ever queued for registration; the JUnit, HTML and JSON files; usage errors.
// Real SQLite, real ptys.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>

#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;
namespace st = station::store;

constexpr std::chrono::seconds k_bound{120};
const std::vector<std::string> k_fast{"--latency-ms", "0"};
const std::vector<std::string> k_slow{"--latency-ms", "400"};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct RigSlot {
    std::string label;
    std::string port;
};

class Regress : public testing::Test {
  protected:
    std::string path(const std::string& name) const { return m_dir.path() + "/" + name; }
    std::string db() const { return path("station.db"); }
    std::string rig() const { return path("rig.toml"); }
    std::string golden() const { return path("golden.toml"); }

    // The rig file of tonight: these slots on these ptys.
    void write_rig(const std::vector<RigSlot>& slots) const {
        std::ofstream out(rig(), std::ios::trunc);
        out << "name = \"night-rig\"\n";
        for (const auto& s : slots) {
            out << "[[slot]]\nlabel = \"" << s.label << "\"\nport = \"" << s.port << "\"\n";
        }
    }

    tests::ProcessResult station(std::vector<std::string> args) const {
        args.insert(args.begin(), tests::station_binary());
        auto r = tests::run_process(args, k_bound);
        EXPECT_FALSE(r.timed_out);
        return r;
    }

    tests::ProcessResult record() const {
        return station({"regress", "--rig", rig(), "--record-golden", golden(), "--db", db(),
                        "--timeout-ms", "500", "--force"});
    }

    // One night started at `now` (ISO 8601), with `extra` options.
    tests::ProcessResult night(const std::string& now, std::vector<std::string> extra = {}) const {
        std::vector<std::string> a{"regress", "--rig",  rig(), "--golden", golden(), "--db",
                                   db(),      "--now",  now,   "--timeout-ms", "500"};
        a.insert(a.end(), extra.begin(), extra.end());
        return station(a);
    }

    // The night's findings from its --json file, as "kind slot".
    std::vector<std::string> findings(const std::string& json_path) const {
        std::vector<std::string> out;
        const auto doc = json::parse(read_file(json_path), nullptr, false);
        EXPECT_FALSE(doc.is_discarded()) << json_path;
        if (doc.is_discarded() || !doc.contains("findings")) return out;
        for (const auto& f : doc.at("findings")) {
            out.push_back(f.at("kind").get<std::string>() + " " + f.at("slot").get<std::string>());
        }
        return out;
    }

    std::vector<st::OutboxRow> outbox() const {
        auto store = st::Store::open(db());
        EXPECT_TRUE(store);
        if (!store) return {};
        auto rows = store->list_outbox();
        EXPECT_TRUE(rows);
        return rows ? *rows : std::vector<st::OutboxRow>{};
    }

    static std::vector<RigSlot> slots_of(const tests::SimBench& bench) {
        std::vector<RigSlot> slots;
        for (const auto& p : bench.ports()) {
            slots.push_back({"A" + std::to_string(slots.size() + 1), p.path});
        }
        return slots;
    }

    tests::TempDir m_dir;
};

bool has(const std::vector<std::string>& all, const std::string& one) {
    return std::find(all.begin(), all.end(), one) != all.end();
}

// The minimal night: a golden file recorded from the rig, then a night against it passes, with
// every output written and nothing queued for ALMS.
TEST_F(Regress, RecordedGoldenThenACleanNightExitsZeroAndQueuesNothing) {
    const tests::SimBench bench({"xr90-na", "xr90-global"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 2U);
    write_rig(slots_of(bench));
    const auto recorded = record();
    ASSERT_EQ(recorded.exit_code, 0) << recorded.out << recorded.err;
    EXPECT_NE(recorded.out.find("must review"), std::string::npos) << recorded.out;
    const std::string text = read_file(golden());
    EXPECT_NE(text.find("XR9N2301280017"), std::string::npos) << text;
    EXPECT_NE(text.find("profile = \"xr90-na\""), std::string::npos) << text;

    const auto r = night("2026-11-01T02:00:00Z", {"--iterations", "2", "--junit", path("n.xml"),
                                                  "--html", path("n.html"), "--json",
                                                  path("n.json")});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    for (const auto* file : {"n.xml", "n.html", "n.json"}) {
        EXPECT_TRUE(std::filesystem::exists(path(file))) << file;
        EXPECT_NE(r.out.find(path(file)), std::string::npos) << "named in the output: " << file;
    }
    EXPECT_TRUE(findings(path("n.json")).empty()) << read_file(path("n.json"));
    EXPECT_NE(read_file(path("n.xml")).find("<testsuites"), std::string::npos);
    EXPECT_NE(read_file(path("n.html")).find("<svg"), std::string::npos);
    const auto doc = json::parse(read_file(path("n.json")), nullptr, false);
    ASSERT_FALSE(doc.is_discarded());
    EXPECT_EQ(doc.at("iterations"), 2);
    EXPECT_TRUE(outbox().empty()) << "a regression unit is never queued for registration";
    const auto status = station({"register", "status", "--db", db(), "--json"});
    EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
}

// --record-golden never overwrites a reviewed file unless told to.
TEST_F(Regress, RecordGoldenRefusesToOverwriteWithoutForce) {
    const tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 1U);
    write_rig(slots_of(bench));
    { std::ofstream(golden()) << "# reviewed\n"; }
    const auto r = station({"regress", "--rig", rig(), "--record-golden", golden(), "--db", db()});
    EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
    EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(golden()), "# reviewed\n");
}

struct UsageCase {
    std::vector<std::string> args;
    std::string named;  // the argument the message names
};

// Every bad argument exits 64 with a message naming it.
TEST_F(Regress, UsageErrorsExit64NamingTheArgument) {
    write_rig({{"A1", "/dev/null"}});
    { std::ofstream(golden()) << "[[slot]]\nslot = \"A1\"\n"; }
    const std::vector<UsageCase> cases{
        {{"--golden", golden()}, "--rig"},
        {{"--rig", rig()}, "--golden"},
        {{"--rig", rig(), "--golden", golden(), "--iterations", "0"}, "--iterations"},
        {{"--rig", rig(), "--golden", golden(), "--iterations", "x"}, "--iterations"},
        {{"--rig", rig(), "--golden", golden(), "--baseline-nights", "0"}, "--baseline-nights"},
        {{"--rig", rig(), "--golden", golden(), "--deadline-min", "0"}, "--deadline-min"},
        {{"--rig", rig(), "--golden", golden(), "--slower-percent", "-1"}, "--slower-percent"},
        {{"--rig", rig(), "--golden", golden(), "--slower-ms", "-5"}, "--slower-ms"},
        {{"--rig", rig(), "--golden", golden(), "--timeout-ms", "0"}, "--timeout-ms"},
        {{"--rig", rig(), "--golden", golden(), "--now", "yesterday"}, "--now"},
        {{"--rig", rig(), "--golden", golden(), "--junit", ""}, "--junit"},
        {{"--rig", rig(), "--golden", golden(), "--record-golden", path("g2")}, "--record-golden"},
        {{"--rig", rig(), "--force", "--golden", golden()}, "--force"},
        {{"--rig", path("none.toml"), "--golden", golden()}, "--rig"},
        {{"--rig", rig(), "--golden", path("none.toml")}, "--golden"},
        {{"--rig", rig(), "--golden", golden(), "--bogus"}, "--bogus"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> a{"regress", "--db", db()};
        a.insert(a.end(), c.args.begin(), c.args.end());
        const auto r = station(a);
        EXPECT_EQ(r.exit_code, 64) << c.named << ": " << r.out << r.err;
        EXPECT_NE(r.err.find(c.named), std::string::npos) << c.named << ": " << r.err;
    }
}

// Each night on a fresh routersim: its ptys written into the rig file, slot A1 first.
struct Night {
    std::string now;
    std::vector<std::string> routersim;  // extra routersim options of tonight
    int exit_code;
    std::vector<std::string> findings;     // expected among tonight's, as "kind slot"
    std::vector<std::string> not_findings;  // and not among them
    std::vector<std::string> extra{};        // extra station options
};

class RegressNights : public Regress {
  protected:
    void record_golden(const std::vector<std::string>& routersim) {
        const tests::SimBench bench({"xr90-na"}, {}, routersim);
        ASSERT_EQ(bench.ports().size(), 1U);
        write_rig(slots_of(bench));
        const auto r = record();
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    }
    void run(const std::vector<Night>& nights) {
        for (const auto& n : nights) {
            const tests::SimBench bench({"xr90-na"}, {}, n.routersim);
            ASSERT_EQ(bench.ports().size(), 1U) << n.now;
            write_rig(slots_of(bench));
            std::vector<std::string> extra{"--json", path("night.json")};
            extra.insert(extra.end(), n.extra.begin(), n.extra.end());
            const auto r = night(n.now, extra);
            EXPECT_EQ(r.exit_code, n.exit_code) << n.now << "\n" << r.out << r.err;
            const auto seen = findings(path("night.json"));
            for (const auto& f : n.findings) EXPECT_TRUE(has(seen, f)) << n.now << ": " << f << "\n" << r.out;
            for (const auto& f : n.not_findings) {
                EXPECT_FALSE(has(seen, f)) << n.now << ": " << f << "\n" << r.out;
            }
        }
        EXPECT_TRUE(outbox().empty());
    }
};


// A unit getting slower: three normal nights make the baseline, the fourth is slower than it.
TEST_F(RegressNights, ASlowerUnitAfterThreeNormalNightsIsSlower) {
    // A threshold of +200 ms: a busy machine (CI runs tests side by side) delays a fast
    // unit's answers by tens of milliseconds, never by the 400 ms the slow unit adds.
    const std::vector<std::string> threshold{"--slower-ms", "200"};
    record_golden(k_fast);
    run({{"2026-11-01T02:00:00Z", k_fast, 0, {}, {"slower A1"}, threshold},
         {"2026-11-02T02:00:00Z", k_fast, 0, {}, {"slower A1"}, threshold},
         {"2026-11-03T02:00:00Z", k_fast, 0, {}, {"slower A1"}, threshold},
         {"2026-11-04T02:00:00Z", k_slow, 1, {"slower A1"}, {}, threshold}});
}

// A unit failing on the first night (its ICCID broken) is fixed the next night; failing again
// after a good night it is a new failure; a flaky unit fails one iteration in three (its third
// port session).
TEST_F(RegressNights, FixedThenNewFailureThenFlaky) {
    record_golden(k_fast);
    const std::vector<std::string> broken{"--latency-ms", "0", "--fault", "invalid_iccid"};
    // Not a test of timings: a busy machine must not make a night `slower` (exit 1).
    const std::vector<std::string> untimed{"--slower-ms", "600000"};
    run({{"2026-11-01T02:00:00Z", broken, 1, {"verdict_changed A1"},
          {"new_failure A1", "fixed A1", "rig_fault A1"}, untimed},
         {"2026-11-02T02:00:00Z", k_fast, 0, {"fixed A1"}, {"flaky A1"}, untimed},
         {"2026-11-03T02:00:00Z", k_fast, 0, {}, {"fixed A1", "new_failure A1"}, untimed},
         {"2026-11-04T02:00:00Z", broken, 1, {"new_failure A1"}, {"fixed A1"}, untimed},
         {"2026-11-05T02:00:00Z", {"--latency-ms", "0", "--flaky-every", "3"}, 1, {"flaky A1"},
          {"rig_fault A1"}, {"--iterations", "3", "--slower-ms", "600000"}}});
}

// Identity drift: the unit's firmware changed since the golden file was recorded.
TEST_F(RegressNights, FirmwareChangedIsIdentityDrift) {
    record_golden(k_fast);
    run({{"2026-11-01T02:00:00Z", {"--latency-ms", "0", "--firmware", "01.14.30.00"}, 1,
          {"identity_drift A1"}, {"rig_fault A1"}}});
}

// A dead slot (its port never answers: routersim --fault silent) is the rig's fault, not the
// product's: exit 2, the slot quarantined as provision quarantines one.
TEST_F(Regress, ADeadSlotIsARigFaultAndQuarantined) {
    {
        const tests::SimBench bench({"xr90-na", "xr90-global"}, {}, k_fast);
        ASSERT_EQ(bench.ports().size(), 2U);
        write_rig(slots_of(bench));
        const auto r = record();
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    }
    const tests::SimBench good({"xr90-na"}, {}, k_fast);
    const tests::SimBench dead({"xr90-global"}, {"silent"}, k_fast);
    ASSERT_EQ(good.ports().size(), 1U);
    ASSERT_EQ(dead.ports().size(), 1U);
    write_rig({{"A1", good.ports()[0].path}, {"A2", dead.ports()[0].path}});
    const auto r = night("2026-11-01T02:00:00Z", {"--json", path("n.json")});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    const auto seen = findings(path("n.json"));
    EXPECT_TRUE(has(seen, "rig_fault A2")) << r.out;
    EXPECT_FALSE(has(seen, "rig_fault A1")) << r.out;
    const auto q = station({"rig", "quarantined", "--db", db()});
    EXPECT_NE(q.out.find("A2"), std::string::npos) << q.out << q.err;
    EXPECT_EQ(q.out.find("A1"), std::string::npos) << q.out;
}

// A unit moved between slots (the rig file's ports of A1 and A2 swapped): each slot reads the
// other's unit, an identity drift of both, not a rig fault.
TEST_F(Regress, AUnitMovedBetweenSlotsIsIdentityDriftOfBoth) {
    const tests::SimBench bench({"xr90-na", "xr90-global"}, {}, k_fast);
    ASSERT_EQ(bench.ports().size(), 2U);
    auto slots = slots_of(bench);
    write_rig(slots);
    ASSERT_EQ(record().exit_code, 0);
    const auto first = night("2026-11-01T02:00:00Z");
    EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
    std::swap(slots[0].port, slots[1].port);
    write_rig(slots);
    const auto r = night("2026-11-02T02:00:00Z", {"--json", path("n.json")});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const auto seen = findings(path("n.json"));
    for (const auto* f : {"identity_drift A1", "identity_drift A2"}) {
        EXPECT_TRUE(has(seen, f)) << f << "\n" << r.out;
    }
    EXPECT_FALSE(has(seen, "rig_fault A1") || has(seen, "rig_fault A2")) << r.out;
}

// Bounded: at --deadline-min no iteration starts and the running one is stopped, its units
// ABORTED; the night ends exit 2 and says so (the minutes may be a fraction).
TEST_F(Regress, TheDeadlineStopsTheNightExitTwo) {
    const tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "400"});
    ASSERT_EQ(bench.ports().size(), 1U);
    write_rig(slots_of(bench));
    { std::ofstream(golden()) << "[[slot]]\nslot = \"A1\"\n"; }
    const auto started = std::chrono::steady_clock::now();
    const auto r = station({"regress", "--rig", rig(), "--golden", golden(), "--db", db(),
                            "--iterations", "1000", "--deadline-min", "0.05"});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.out.find("Deadline"), std::string::npos) << r.out;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
}

}  // namespace
