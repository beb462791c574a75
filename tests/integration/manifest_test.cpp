// `station provision --manifest` as a warehouse runs it: the built binary against routersim
// units whose packing list routersim writes, a real database file. A complete pallet, a unit
// missing from the manifest, a line with no unit, FSN and IMEI on different lines, a Global unit
// on an NA manifest, a SIM not as shipped, the manifest's PO and company on the outbox row,
// --require-complete, and a profile that needs a manifest.
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <station/store/store.hpp>

#include "json_lines.hpp"
#include "process.hpp"
#include "sim_bench.hpp"

namespace {

using nlohmann::json;
using tests::json_lines;

constexpr std::chrono::seconds k_bound{120};

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The CSV lines of a manifest, header first.
std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    std::string field;
    while (std::getline(in, field, ',')) out.push_back(field);
    return out;
}

class Manifest : public testing::Test {
  protected:
    std::string db() const { return m_dir.path() + "/station.db"; }
    std::string file(const std::string& name) const { return m_dir.path() + "/" + name; }

    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(file(name)) << text;
        return file(name);
    }

    tests::ProcessResult provision(const tests::SimBench& bench, const std::string& profile,
                                   std::vector<std::string> extra) const {
        std::vector<std::string> a{tests::station_binary(),
                                   "provision",
                                   "--profile",
                                   profile,
                                   "--pallet",
                                   "P-M",
                                   "--db",
                                   db(),
                                   "--timeout-ms",
                                   "1000",
                                   "--json-events"};
        for (const auto& port : bench.ports()) {
            a.push_back("--port");
            a.push_back(port.path);
        }
        a.insert(a.end(), extra.begin(), extra.end());
        return tests::run_process(a, k_bound);
    }

    static std::map<std::string, json> finished_by_slot(const std::vector<json>& events) {
        std::map<std::string, json> out;
        for (const auto& e : events) {
            if (e.value("kind", "") == "unit_finished") out[e["slot"]] = e;
        }
        return out;
    }

    static json last(const std::vector<json>& events) {
        return events.empty() ? json() : events.back();
    }

    tests::TempDir m_dir;
};

TEST_F(Manifest, ACompletePalletPassesByItsManifestAndNothingIsMissing) {
    tests::SimBench bench({"xr90-na"}, {}, {"--count", "3", "--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 3U);
    ASSERT_EQ(lines_of(read_file(bench.manifest())).size(), 4U) << read_file(bench.manifest());
    const auto r =
        provision(bench, "xr90-na", {"--manifest", bench.manifest(), "--require-complete"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto events = json_lines(r.out);
    const auto finished = finished_by_slot(events);
    ASSERT_EQ(finished.size(), 3U) << r.out;
    for (const auto& [slot, e] : finished) {
        EXPECT_EQ(e["outcome"], "PASS") << e.dump();
        EXPECT_EQ(e["profile"], "xr90-na") << e.dump();
        EXPECT_EQ(e["sku_basis"], "manifest") << e.dump();
        ASSERT_TRUE(e["signals"].is_array() && !e["signals"].empty()) << e.dump();
        EXPECT_EQ(e["signals"][0]["source"], "manifest");
        EXPECT_EQ(e["signals"][0]["votes"], "na");
    }
    const auto summary = last(events);
    EXPECT_EQ(summary["kind"], "run_finished");
    EXPECT_EQ(summary["missing_from_pallet"], json::array());
    EXPECT_EQ(summary["manifest_incomplete"], false);

    // The store keeps the decision's votes with each unit.
    auto store = station::store::Store::open(db());
    ASSERT_TRUE(store);
    const auto rows = store->results_for_run(station::store::RunId{summary["run"].get<int>()});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 3U);
    for (const auto& row : *rows) {
        EXPECT_EQ(row.slot.profile, "xr90-na");
        EXPECT_EQ(row.slot.sku_basis, std::optional<std::string>("manifest"));
        ASSERT_FALSE(row.slot.signals.empty());
        EXPECT_EQ(row.slot.signals.front().source, "manifest");
    }
    ASSERT_TRUE(rows->front().run.info.manifest);
    EXPECT_EQ(rows->front().run.info.manifest->lines, 3);
    EXPECT_EQ(rows->front().run.info.manifest->sha256.size(), 64U);
}

TEST_F(Manifest, UnitsAndLinesThatDoNotMatchAreEachNamed) {
    tests::SimBench bench({"xr90-na", "xr90-global", "xr99-unknown", "xr90-na-old-firmware"}, {},
                          {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 4U);
    auto lines = lines_of(read_file(bench.manifest()));
    ASSERT_EQ(lines.size(), 4U) << "header, xr90-na, xr90-global, old firmware (xr99: no part)";
    // xr90-na's FSN with the old-firmware unit's IMEI, and the reverse: neither unit matches
    // one line. Plus a line for a unit that is not on the pallet.
    auto na = fields(lines[1]);
    auto old = fields(lines[3]);
    std::swap(na[1], old[1]);
    std::string text = lines[0] + "\n";
    for (const auto& row : {na, fields(lines[2]), old}) {
        std::string line;
        for (const auto& f : row) line += (line.empty() ? "" : ",") + f;
        text += line + "\n";
    }
    text += "XR9N2399999999,490154203237518,1104513,\n";
    const auto r = provision(bench, "xr90-na", {"--manifest", write("m.csv", text)});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    auto done = finished_by_slot(json_lines(r.out));
    EXPECT_EQ(done[bench.port_of("xr90-na")]["reason"], "manifest_mismatch");
    EXPECT_EQ(done[bench.port_of("xr90-na-old-firmware")]["reason"], "manifest_mismatch");
    EXPECT_NE(done[bench.port_of("xr90-na")]["message"].get<std::string>().find(old[1]),
              std::string::npos)
        << done[bench.port_of("xr90-na")];
    EXPECT_EQ(done[bench.port_of("xr90-global")]["reason"], "sku_mismatch");
    EXPECT_EQ(done[bench.port_of("xr99-unknown")]["reason"], "not_on_manifest");
    // The mixed-up lines were shown by units (their FSN, their IMEI): only the line of the unit
    // that is not on the pallet is missing from it.
    const auto summary = json_lines(r.out).back();
    ASSERT_EQ(summary["missing_from_pallet"].size(), 1U) << summary.dump();
    EXPECT_EQ(summary["missing_from_pallet"][0]["serial"], "XR9N2399999999");
    EXPECT_EQ(summary["missing_from_pallet"][0]["line"], 5);

    // The text summary says it too.
    const auto plain = tests::run_process(
        {tests::station_binary(), "provision", "--profile", "xr90-na", "--pallet", "P-M2", "--db",
         db(), "--port", bench.port_of("xr90-global"), "--manifest", file("m.csv")},
        k_bound);
    EXPECT_NE(
        plain.out.find(
            "Missing from the pallet: 3 (manifest lines whose serial and IMEI no unit showed)"),
        std::string::npos)
        << plain.out;
    EXPECT_NE(plain.out.find("line 5  XR9N2399999999  IMEI 490154203237518  part 1104513"),
              std::string::npos)
        << plain.out;
}

TEST_F(Manifest, RequireCompleteMakesAMissingLineAnErrorRun) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    const std::string text =
        read_file(bench.manifest()) + "XR9N2399999999,490154203237518,1104513,\n";
    const auto r =
        provision(bench, "xr90-na", {"--manifest", write("m.csv", text), "--require-complete"});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    const auto summary = json_lines(r.out).back();
    EXPECT_EQ(summary["outcome"], "ERROR");
    EXPECT_EQ(summary["manifest_incomplete"], true);
    EXPECT_EQ(summary["missing_from_pallet"].size(), 1U);
}

TEST_F(Manifest, AGlobalUnitOnAnNaManifestIsVetoedByItsSim) {
    tests::SimBench bench({"xr90-global-eu-sim"}, {}, {"--latency-ms", "0"});
    auto lines = lines_of(read_file(bench.manifest()));
    ASSERT_EQ(lines.size(), 2U);
    auto row = fields(lines[1]);
    ASSERT_EQ(row[2], "1104514");
    const std::string text = lines[0] + "\n" + row[0] + "," + row[1] + ",1104513," + row[3] + "\n";
    const auto r = provision(bench, "xr90-na", {"--manifest", write("m.csv", text)});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const auto e = finished_by_slot(json_lines(r.out)).begin()->second;
    EXPECT_EQ(e["reason"], "sku_conflicting_signals") << e.dump();
    EXPECT_NE(e["message"].get<std::string>().find("manifest 1104513 says NA, but imsi"),
              std::string::npos)
        << e.dump();
    // On its own manifest the same unit is Global, and its SIM agrees.
    const auto own = provision(bench, "xr90-global", {"--manifest", bench.manifest()});
    EXPECT_EQ(own.exit_code, 0) << own.out << own.err;
}

TEST_F(Manifest, ASimNotAsShippedFails) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    auto lines = lines_of(read_file(bench.manifest()));
    auto row = fields(lines[1]);
    const std::string text = "serial;imei;part_number;iccid\n" + row[0] + ";" + row[1] + ";" +
                             row[2] + ";89014104273001549172\n";
    const auto r = provision(bench, "xr90-na", {"--manifest", write("m.csv", text)});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const auto e = finished_by_slot(json_lines(r.out)).begin()->second;
    EXPECT_EQ(e["reason"], "sim_not_as_shipped") << e.dump();
    EXPECT_EQ(json_lines(r.out).back()["missing_from_pallet"], json::array())
        << "the unit's line was matched";
}

TEST_F(Manifest, TheLinesPoAndCompanyGoOntoTheOutboxRow) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    auto row = fields(lines_of(read_file(bench.manifest()))[1]);
    const std::string text = "{\"serial\":\"" + row[0] + "\",\"imei\":\"" + row[1] +
                             "\",\"part_number\":\"" + row[2] +
                             "\",\"po\":\"PO-77\",\"company\":\"c-uid-9\"}\n";
    const auto r =
        provision(bench, "xr90-na", {"--manifest", write("m.jsonl", text), "--po", "PO-cli"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    auto store = station::store::Store::open(db());
    ASSERT_TRUE(store);
    const auto rows = store->list_outbox(std::nullopt, std::nullopt);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1U);
    EXPECT_EQ(rows->front().registration.po, "PO-77");
    EXPECT_EQ(rows->front().registration.company, "c-uid-9");
}

TEST_F(Manifest, AProfileThatNeedsAManifestRefusesAPalletWithoutOne) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    const auto refused = provision(bench, "xr90-na", {});
    EXPECT_EQ(refused.exit_code, 64) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("profile xr90-na needs the pallet's manifest (--manifest FILE)"),
              std::string::npos)
        << refused.err;
    const auto both =
        provision(bench, "xr90-na", {"--manifest", bench.manifest(), "--no-manifest"});
    EXPECT_EQ(both.exit_code, 64) << both.err;
    const auto waived = provision(bench, "xr90-na", {"--no-manifest"});
    EXPECT_EQ(waived.exit_code, 0) << waived.out << waived.err;
    const auto events = json_lines(waived.out);
    EXPECT_EQ(events.back()["no_manifest"], true);
    EXPECT_EQ(finished_by_slot(events).begin()->second["sku_basis"], "unit_signals");
    const auto text = tests::run_process(
        {tests::station_binary(), "provision", "--profile", "xr90-na", "--pallet", "P-T", "--db",
         db(), "--port", bench.ports()[0].path, "--no-manifest"},
        k_bound);
    EXPECT_NE(text.out.find("decided on the units' word alone"), std::string::npos) << text.out;
}

TEST_F(Manifest, ABrokenManifestStopsBeforeAnyUnitWithEveryMistake) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    const std::string path = write("bad.csv",
                                   "serial,imei,part_number\n"
                                   "XR9N1,354125080012766,1104513\n"
                                   "XR9N2,354125080012765,9999\n");
    const auto r = provision(bench, "xr90-na", {"--manifest", path});
    EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
    EXPECT_NE(r.err.find(path + ":2:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(path + ":3:"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("unit_started"), std::string::npos) << "no unit was touched";
    auto store = station::store::Store::open(db());
    ASSERT_TRUE(store);
    EXPECT_TRUE(store->list_runs()->empty());
}

}  // namespace
