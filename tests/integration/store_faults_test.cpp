// Store faults under a running pallet (issue 18), through the built station on a real SQLite
// file: the disk fills up (RLIMIT_FSIZE on the station: writes past it fail EFBIG, SIGXFSZ
// ignored), the database file is removed or made read-only mid-run, a second writer holds the
// lock (BEGIN IMMEDIATE) longer than the busy timeout. Each: the run ends ERROR (exit 2) with
// the reason, every unit shown as stored is in the file afterwards, and the next run recovers
// (every unit PASS, one outbox row each, `db check` clean). Two fast units finish first; the
// fault comes while four slow ones are in flight.
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "fault_matrix_detail.hpp"
#include "json_lines.hpp"
#include "process.hpp"
#include "sim_bench.hpp"
#include "unit_numbers.hpp"

namespace {

namespace mx = tests::matrix;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::chrono::seconds k_bound{60};

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The unit_finished and run_finished lines, for failure messages.
std::string summary(const std::string& out) {
    std::string text;
    for (const auto& e : tests::json_lines(out)) {
        if (!e.is_object()) continue;
        const auto kind = e.value("kind", "");
        if (kind != "unit_finished" && kind != "run_finished") continue;
        const auto str = [&e](const char* key) {
            return e[key].is_string() ? e[key].get<std::string>() : std::string("-");
        };
        text += kind + " " + str("fsn") + " " + str("outcome") + " " + str("message") + "\n";
    }
    return text;
}

std::vector<json> finished(const std::string& out) {
    std::vector<json> all;
    for (const auto& e : tests::json_lines(out)) {
        if (e.is_object() && e.value("kind", "") == "unit_finished") all.push_back(e);
    }
    return all;
}

class StoreFaults : public testing::Test {
  protected:
    std::string db() const { return m_dir.path() + "/station.db"; }

    std::vector<std::string> provision() const {
        std::vector<std::string> a{
            tests::station_binary(),
            "provision",
            "--profile",
            "xr90-na",
            "--pallet",
            "P-STORE",
            "--db",
            db(),
            "--timeout-ms",
            "3000",
            "--wait-s",
            "0",
            "--json-events",
            "--manifest",
            tests::merge_manifests({&m_fast, &m_slow}, m_dir.path() + "/m.csv")};
        for (const auto* bench : {&m_fast, &m_slow}) {
            for (const auto& port : bench->ports()) {
                a.push_back("--port");
                a.push_back(port.path);
            }
        }
        return a;
    }

    // Runs the pallet; once the fast units are shown finished, `fault()`; waits for the end.
    // Returns the exit status (-1: still running after k_bound, then killed).
    int run_with(const std::function<void()>& fault, const std::vector<std::string>& prefix = {}) {
        auto a = provision();
        a.insert(a.begin(), prefix.begin(), prefix.end());
        tests::BackgroundProcess station(a, out());
        for (int i = 0; i < 1000 && finished(read_text(out())).size() < m_fast.ports().size(); ++i)
            std::this_thread::sleep_for(10ms);
        if (fault) fault();
        const auto status = station.wait(k_bound);
        return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
    }

    std::string out() const { return m_dir.path() + "/events.jsonl"; }

    // The units shown finished are stored with the outcome shown; the failed ones say why.
    void expect_shown_units_stored(const std::string& reason_words) const {
        const auto events = finished(read_text(out()));
        int store_errors = 0;
        for (const auto& e : events) {
            const auto outcome = e.value("outcome", "");
            if (outcome == "ERROR" && e["reason"] == "store_error") {
                ++store_errors;
                EXPECT_NE(e.value("message", "").find(reason_words), std::string::npos) << e.dump();
                continue;
            }
            const auto rows = mx::query(
                db(), "SELECT outcome FROM slot_results WHERE fsn = '" + e.value("fsn", "") +
                          "' AND attempt = " + std::to_string(e.value("attempt", 0)) +
                          " AND run_id = " + std::to_string(e.value("run", 0)));
            ASSERT_EQ(rows.size(), 1U) << "shown, not stored: " << e.dump();
            EXPECT_EQ(rows[0][0], outcome) << e.dump();
        }
        EXPECT_GE(store_errors, 1) << summary(read_text(out()));
    }

    // The next run, without the fault: every unit PASS, one outbox row each, db check clean.
    void expect_next_run_recovers() {
        const auto r = tests::run_process(provision(), k_bound);
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        const auto outbox = mx::count_by(db(), "SELECT fsn, count(*) FROM outbox GROUP BY fsn");
        for (const auto* bench : {&m_fast, &m_slow}) {
            for (const auto& port : bench->ports())
                EXPECT_EQ(outbox.count(port.fsn) ? outbox.at(port.fsn) : 0, 1) << port.fsn;
        }
        EXPECT_FALSE(mx::db_check(db())) << *mx::db_check(db());
    }

    tests::TempDir m_dir;
    tests::SimBench m_fast{{"xr90-na"}, {}, {"--count", "2", "--latency-ms", "0"}};
    // Other units of the same pallet (copies varied from another identity), slower.
    tests::SimBench m_slow{{"xr90-na"},
                           {},
                           {"--count", "4", "--latency-ms", "150", "--fsn", tests::serial_for(1),
                            "--imei", tests::imei_for(1), "--iccid", tests::iccid_for(1)}};
};

TEST_F(StoreFaults, DatabaseRemovedMidRunEndsErrorAndTheNextRunRecovers) {
    const int status = run_with([this] {
        for (const auto* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db() + suffix);
    });
    EXPECT_EQ(status, 2) << summary(read_text(out()));
    const auto events = finished(read_text(out()));
    int removed = 0;
    for (const auto& e : events)
        removed += e.value("message", "").find("was removed") != std::string::npos ? 1 : 0;
    EXPECT_GE(removed, 1) << "the units after the removal say so\n" << summary(read_text(out()));
    EXPECT_FALSE(std::filesystem::exists(db())) << "nothing wrote a new file under the old name";
    expect_next_run_recovers();
}

TEST_F(StoreFaults, DatabaseMadeReadOnlyMidRunEndsErrorAndTheNextRunRecovers) {
    const int status =
        run_with([this] { std::filesystem::permissions(db(), std::filesystem::perms(0444)); });
    EXPECT_EQ(status, 2) << summary(read_text(out()));
    expect_shown_units_stored("read-only");
    std::filesystem::permissions(db(), std::filesystem::perms(0644));
    expect_next_run_recovers();
}

TEST_F(StoreFaults, SecondWriterHoldingTheLockPastTheBusyTimeoutEndsErrorThenRecovers) {
    sqlite3* holder = nullptr;
    const int status = run_with([this, &holder] {
        ASSERT_EQ(sqlite3_open(db().c_str(), &holder), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    });
    // The lock is held until the station has given up and ended (its busy timeout: 5 s).
    sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(holder);
    EXPECT_EQ(status, 2) << summary(read_text(out()));
    expect_shown_units_stored("locked");
    expect_next_run_recovers();
}

TEST_F(StoreFaults, DiskFullEndsErrorAndTheNextRunRecovers) {
    // The file as the first units left it, plus room for a few commits: the limit on the
    // station's file size stands for a full disk (writes past it fail, EFBIG).
    ASSERT_EQ(run_with(nullptr), 0) << summary(read_text(out()));
    struct stat st {};
    ASSERT_EQ(::stat(db().c_str(), &st), 0);
    const auto limit = std::to_string(st.st_size + 32768);
    const int status = run_with(
        nullptr,
        {"/bin/sh", "-c", "trap '' XFSZ; exec prlimit --fsize=" + limit + " \"$@\"", "sh"});
    EXPECT_EQ(status, 2) << summary(read_text(out()));
    expect_shown_units_stored("file size limit");
    expect_next_run_recovers();
}

}  // namespace
