// provision --label and station label reprint through the built binaries: a label file per
// PASS unit (golden ZPL), a local TCP listener on 127.0.0.1 standing in for the printer, one
// that refuses and one that accepts then drops the job (the unit still passes, the label is
// queued), and the reprint that prints it again, recorded.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "alms_standin.hpp"
#include "process.hpp"
#include "sim_bench.hpp"

namespace {

namespace fs = std::filesystem;
constexpr auto k_bound = std::chrono::seconds(60);
constexpr const char* k_fsn = "XR9N2301280017";  // the xr90-na personality's unit

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string today_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

// The golden label of the xr90-na unit on pallet P-LABEL, dated `date`.
std::string golden_for(const std::string& date) {
    std::string text = read_file(std::string(STATION_SOURCE_DIR) + "/tests/data/label/xr90-na.zpl");
    const auto at = text.find("DATE 2026-12-01");
    if (at != std::string::npos) text.replace(at + 5, 10, date);
    return text;
}

// A raw-port printer on 127.0.0.1: `good` reads each job to the end and closes; `drop` accepts,
// waits for the job's first bytes and closes without reading them (the kernel resets).
class PrinterStandin {
  public:
    enum class Mode { good, drop };
    explicit PrinterStandin(Mode mode) : m_mode(mode) {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(m_fd, 8) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            throw std::runtime_error("printer stand-in: cannot listen");
        }
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { loop(); });
    }
    ~PrinterStandin() {
        m_stop = true;
        m_thread.join();
        ::close(m_fd);
    }
    PrinterStandin(const PrinterStandin&) = delete;
    PrinterStandin& operator=(const PrinterStandin&) = delete;

    int port() const { return m_port; }
    void set_mode(Mode mode) { m_mode = mode; }
    std::vector<std::string> jobs() const {
        std::lock_guard lock(m_mutex);
        return m_jobs;
    }

  private:
    void loop() {
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int client = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) continue;
            if (m_mode == Mode::drop) {
                pollfd c{client, POLLIN, 0};
                ::poll(&c, 1, 5000);
                ::close(client);  // unread bytes: the close resets the connection
                continue;
            }
            std::string job;
            char buf[4096];
            ssize_t n = 0;
            while ((n = ::read(client, buf, sizeof buf)) > 0) job.append(buf, static_cast<std::size_t>(n));
            ::close(client);
            std::lock_guard lock(m_mutex);
            m_jobs.push_back(job);
        }
    }

    int m_fd = -1;
    int m_port = 0;
    std::atomic<Mode> m_mode;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::vector<std::string> m_jobs;
    std::thread m_thread;
};

class Labels : public ::testing::Test {
  protected:
    std::string db() const { return m_dir.path() + "/station.db"; }
    std::string out_dir() const { return m_dir.path() + "/labels"; }

    tests::ProcessResult provision(const tests::SimBench& bench, std::vector<std::string> extra) {
        std::vector<std::string> a{tests::station_binary(), "provision", "--profile", "xr90-na",
                                   "--pallet", "P-LABEL", "--operator", "tester", "--db", db(),
                                   "--timeout-ms", "500", "--manifest", bench.manifest()};
        for (const auto& port : bench.ports()) a.insert(a.end(), {"--port", port.path});
        a.insert(a.end(), extra.begin(), extra.end());
        auto r = tests::run_process(a, k_bound);
        EXPECT_FALSE(r.timed_out);
        return r;
    }

    tests::ProcessResult station(std::vector<std::string> args) {
        args.insert(args.begin(), tests::station_binary());
        return tests::run_process(args, k_bound);
    }

    // state and attempts of the unit's newest label row ("" when none).
    std::pair<std::string, int> label_row(const std::string& fsn) const {
        sqlite3* raw = nullptr;
        sqlite3_open_v2(db().c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(raw, "SELECT state, attempts FROM labels WHERE fsn = ? ORDER BY id DESC",
                           -1, &stmt, nullptr);
        sqlite3_bind_text(stmt, 1, fsn.c_str(), -1, SQLITE_TRANSIENT);
        std::pair<std::string, int> row{"", 0};
        if (sqlite3_step(stmt) == SQLITE_ROW) {
            row = {reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                   sqlite3_column_int(stmt, 1)};
        }
        sqlite3_finalize(stmt);
        sqlite3_close(raw);
        return row;
    }

    void expect_golden(const std::string& got) const {
        const std::string before = today_utc();
        EXPECT_TRUE(got == golden_for(before) || got == golden_for(today_utc())) << got;
    }

    tests::TempDir m_dir;
};

TEST_F(Labels, LabelOutWritesTheGoldenLabelOfEachPassUnitOnly) {
    tests::SimBench bench({"xr90-na", "xr90-global"}, {}, {"--latency-ms", "0"});
    ASSERT_EQ(bench.ports().size(), 2U);
    fs::create_directories(out_dir());
    const auto r = provision(bench, {"--label", "--label-out", out_dir()});
    EXPECT_EQ(r.exit_code, 1) << "the Global unit fails sku_mismatch\n" << r.out << r.err;
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(out_dir())) files.push_back(e.path().filename());
    ASSERT_EQ(files, std::vector<std::string>{std::string(k_fsn) + ".zpl"}) << r.out << r.err;
    expect_golden(read_file(out_dir() + "/" + k_fsn + ".zpl"));
    EXPECT_NE(r.out.find("labels: 1 printed to folder " + out_dir()), std::string::npos) << r.out;
    EXPECT_EQ(label_row(k_fsn), (std::pair<std::string, int>{"printed", 1}));
}

TEST_F(Labels, NetworkPrinterOnLoopbackGetsTheLabel) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    PrinterStandin printer(PrinterStandin::Mode::good);
    const std::string target = "127.0.0.1:" + std::to_string(printer.port());
    const auto r = provision(bench, {"--label", "--printer", target});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto jobs = printer.jobs();
    ASSERT_EQ(jobs.size(), 1U) << r.err;
    expect_golden(jobs.front());
    EXPECT_EQ(label_row(k_fsn), (std::pair<std::string, int>{"printed", 1}));
}

TEST_F(Labels, RefusedOrDroppedJobsAreQueuedThenReprinted) {
    struct Case {
        const char* what;
        bool refuse;  // connection refused, else accepted then dropped
    };
    for (const Case c : {Case{"refused", true}, Case{"dropped", false}}) {
        SCOPED_TRACE(c.what);
        fs::remove(db());
        tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
        PrinterStandin printer(PrinterStandin::Mode::drop);
        const int port = c.refuse ? tests::closed_loopback_port() : printer.port();
        const auto r = provision(bench, {"--label", "--printer", "127.0.0.1:" + std::to_string(port)});
        EXPECT_EQ(r.exit_code, 0) << "a printer error never fails the unit\n" << r.out << r.err;
        EXPECT_NE(r.err.find(std::string("station: warning: label of ") + k_fsn + " not printed"),
                  std::string::npos)
            << r.err;
        EXPECT_NE(r.out.find("1 queued"), std::string::npos) << r.out;
        EXPECT_EQ(label_row(k_fsn), (std::pair<std::string, int>{"queued", 1}));
        // Reprint: to the stored printer (now good) for the dropped job, to another for the
        // refused one; the attempt is recorded.
        printer.set_mode(PrinterStandin::Mode::good);
        std::vector<std::string> args{"label", "reprint", "--fsn", "xr9n2301280017", "--db", db()};
        if (c.refuse) args.insert(args.end(), {"--printer", "127.0.0.1:" + std::to_string(printer.port())});
        const auto again = station(args);
        EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
        ASSERT_EQ(printer.jobs().size(), 1U);
        expect_golden(printer.jobs().front());
        EXPECT_EQ(label_row(k_fsn), (std::pair<std::string, int>{"printed", 2}));
    }
}

TEST_F(Labels, ReprintThatFailsStaysQueuedAndSaysSo) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    fs::create_directories(out_dir());
    ASSERT_EQ(provision(bench, {"--label", "--label-out", out_dir()}).exit_code, 0);
    const std::string down = "127.0.0.1:" + std::to_string(tests::closed_loopback_port());
    const auto r = station({"label", "reprint", "--fsn", k_fsn, "--db", db(), "--printer", down});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("station: label reprint: error: label of XR9N2301280017 not printed"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(label_row(k_fsn), (std::pair<std::string, int>{"queued", 2}));
    const auto none = station({"label", "reprint", "--fsn", "NOPE", "--db", db()});
    EXPECT_EQ(none.exit_code, 1) << none.err;
    EXPECT_NE(none.err.find("no label recorded for fsn NOPE"), std::string::npos) << none.err;
}

TEST_F(Labels, BadLabelOptionsAreUsageErrorsBeforeAnyUnit) {
    tests::SimBench bench({"xr90-na"}, {}, {"--latency-ms", "0"});
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"--label"}, "--label needs one of --label-out DIR or --printer TARGET"},
        {{"--label-out", m_dir.path()}, "--label-out and --printer need --label"},
        {{"--label", "--label-out", m_dir.path() + "/none"}, "not a folder"},
        {{"--label", "--printer", "printer"}, "give HOST:PORT or a device path"},
        {{"--label", "--printer", "127.0.0.1:99999"}, "port must be 1..65535"},
        {{"--label", "--printer", "127.0.0.1:9100", "--label-out", m_dir.path()},
         "one of --label-out DIR or --printer TARGET"},
    };
    for (const auto& [extra, message] : cases) {
        const auto r = provision(bench, extra);
        EXPECT_EQ(r.exit_code, 64) << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    }
    EXPECT_FALSE(fs::exists(db())) << "no run was started";
}

}  // namespace
