// `station provision --rig` with USB slots on an emulated bench (umockdev): routers arrive
// after the run started, one re-enumerates while it boots, one is unplugged mid-test and
// another unit is plugged into its slot. Each emulated AT tty is bound to a routersim router
// by a byte relay between the tty's pty master (the testbed's) and the router's pty.
// Runs under umockdev-wrapper; the station child gets the ioctl shim preloaded (as in
// tests/unit/usb/usb_station_test.cpp) so libserialport opens the emulated ttys.
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "json_lines.hpp"
#include "process.hpp"
#include "sim_bench.hpp"
#include "usb_testbed.hpp"

namespace {

using nlohmann::json;
using usb_test::RouterSpec;
using usb_test::UsbTestbed;
using namespace std::chrono_literals;

constexpr auto k_bound = 30s;

// Copies bytes both ways between an emulated tty's master and a routersim pty until
// destroyed, or until the tty hangs up (unplugged).
class TtyRelay {
  public:
    TtyRelay(int tty_master, const std::string& router_pty)
        : m_tty(tty_master), m_router(::open(router_pty.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC)) {
        if (m_tty >= 0 && m_router >= 0) m_thread = std::thread([this] { run(); });
    }
    ~TtyRelay() {
        m_stop = true;
        if (m_thread.joinable()) m_thread.join();
        if (m_router >= 0) ::close(m_router);
    }
    TtyRelay(const TtyRelay&) = delete;
    TtyRelay& operator=(const TtyRelay&) = delete;

    bool ok() const { return m_thread.joinable(); }

  private:
    void run() {
        std::array<pollfd, 2> fds{pollfd{m_tty, POLLIN, 0}, pollfd{m_router, POLLIN, 0}};
        while (!m_stop) {
            if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
            if (!pass(fds[0], m_router) || !pass(fds[1], m_tty)) return;  // unplugged
            // A master whose slave nobody holds open reports POLLHUP: wait for the station.
            if ((fds[0].revents & POLLIN) == 0 && (fds[0].revents & POLLHUP) != 0) {
                ::poll(nullptr, 0, 10);
            }
        }
    }
    // False once `from` reads end-of-file: a hung-up tty's master is /dev/null (hang_up()).
    static bool pass(const pollfd& from, int to) {
        if ((from.revents & POLLIN) == 0) return true;
        std::array<char, 512> buf{};
        const ssize_t got = ::read(from.fd, buf.data(), buf.size());
        if (got < 0) return true;  // EIO while the station has the port closed
        if (got == 0) return false;
        return ::write(to, buf.data(), static_cast<std::size_t>(got)) == got;
    }

    int m_tty;
    int m_router;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

RouterSpec router(int hub_port, int address, std::vector<usb_test::TtySpec> ttys) {
    RouterSpec spec;
    spec.hub_port = hub_port;
    spec.address = address;
    spec.serial = "LF000" + std::to_string(address);
    spec.ttys = std::move(ttys);
    return spec;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class ProvisionOnUsbBench : public testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(m_bed.ok()) << m_bed.error();
        // Four copies of one module (each its own FSN, IMEI, ICCID), 200 ms per answer so a
        // unit is still being identified when the test pulls it.
        m_sim = std::make_unique<tests::SimBench>(
            std::vector<std::string>{"em7455-att"}, std::vector<std::string>{},
            std::vector<std::string>{"--count", "4", "--latency-ms", "200"});
        ASSERT_EQ(m_sim->ports().size(), 4U);
        m_shim = std::make_unique<usb_test::PreloadFirst>(USB_TEST_IOCTL_SHIM);
        std::ofstream(m_rig) << "name = \"usb-bench\"\nslot = [\n"
                                "  { label = \"A1\", usb = \"1-1.2\" },\n"
                                "  { label = \"A2\", usb = \"1-1.3\" },\n"
                                "  { label = \"A3\", usb = \"1-1.4\" },\n]\n";
    }
    void TearDown() override { m_shim.reset(); }

    // Plugs a router and binds its AT tty (interface 3) to routersim router `sim_index`.
    void plug(const RouterSpec& spec, const std::string& at_tty, std::size_t sim_index) {
        ASSERT_TRUE(m_bed.add_router(spec)) << m_bed.error();
        m_relays.push_back(
            std::make_unique<TtyRelay>(m_bed.master(at_tty), m_sim->ports()[sim_index].path));
        ASSERT_TRUE(m_relays.back()->ok()) << at_tty;
    }

    std::vector<std::string> argv() const {
        return {tests::station_binary(), "provision", "--rig", m_rig, "--profile", "em7455",
                "--pallet", "P-USB", "--operator", "tester", "--db", m_dir.path() + "/st.db",
                "--no-manifest", "--json-events", "--settle-ms", "300", "--wait-s", "20",
                "--timeout-ms", "3000"};
    }

    UsbTestbed m_bed;
    tests::TempDir m_dir;
    std::string m_rig = m_dir.path() + "/rig.toml";
    std::string m_events = m_dir.path() + "/events.jsonl";
    std::unique_ptr<tests::SimBench> m_sim;
    std::vector<std::unique_ptr<TtyRelay>> m_relays;
    std::unique_ptr<usb_test::PreloadFirst> m_shim;
};

std::vector<json> of_slot(const std::vector<json>& events, const std::string& kind,
                          const std::string& slot) {
    std::vector<json> out;
    for (const auto& e : events) {
        if (e.value("kind", "") == kind && e.value("slot", "") == slot) out.push_back(e);
    }
    return out;
}

// Waits until the events file has a complete line with this kind, slot and (when given) step
// or reason.
bool wait_for_event(const std::string& path, const std::string& kind, const std::string& slot,
                    const std::string& field, const std::string& value) {
    const auto give_up = std::chrono::steady_clock::now() + k_bound;
    while (std::chrono::steady_clock::now() < give_up) {
        auto text = read_file(path);
        const auto end = text.find_last_of('\n');
        text.resize(end == std::string::npos ? 0 : end + 1);  // complete lines only
        for (const auto& e : tests::json_lines(text)) {
            if (e.is_object() && e.value("kind", "") == kind && e.value("slot", "") == slot &&
                e.value(field, "") == value) {
                return true;
            }
        }
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

TEST_F(ProvisionOnUsbBench, UnitsArriveReEnumerateAndLeaveMidRun) {
    plug(router(2, 10, {{0, "ttyUSB0"}, {3, "ttyUSB1"}}), "ttyUSB1", 0);  // there from the start
    tests::BackgroundProcess station(argv(), m_events);
    ASSERT_TRUE(tests::wait_for_line(m_events, "\"run_started\"", k_bound)) << read_file(m_events);

    // A2 boots: first only its diagnostics tty, then it re-enumerates with every interface.
    ASSERT_TRUE(m_bed.add_router(router(3, 11, {{0, "ttyUSB2"}})));
    m_bed.remove_router(3);
    plug(router(3, 12, {{0, "ttyUSB3"}, {3, "ttyUSB4"}}), "ttyUSB4", 1);

    // A3 is pulled while it is being identified; another unit goes into the slot.
    plug(router(4, 13, {{3, "ttyUSB5"}}), "ttyUSB5", 2);
    ASSERT_TRUE(wait_for_event(m_events, "step_finished", "A3", "step", "open_port"))
        << read_file(m_events);
    m_bed.hang_up("ttyUSB5");
    m_bed.remove_router(4);
    ASSERT_TRUE(wait_for_event(m_events, "unit_finished", "A3", "reason", "port_lost"))
        << read_file(m_events);
    plug(router(4, 14, {{3, "ttyUSB6"}}), "ttyUSB6", 3);

    const auto status = station.wait(k_bound);
    ASSERT_TRUE(status.has_value()) << read_file(m_events);
    const auto events = tests::json_lines(read_file(m_events));
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 0) << read_file(m_events);

    for (const std::string slot : {"A1", "A2"}) {
        const auto finished = of_slot(events, "unit_finished", slot);
        ASSERT_EQ(finished.size(), 1U) << slot << "\n" << read_file(m_events);
        EXPECT_EQ(finished[0]["outcome"], "PASS") << finished[0].dump();
        EXPECT_EQ(finished[0]["attempt"], 1) << finished[0].dump();  // A2 tested once, settled
    }
    const auto a3 = of_slot(events, "unit_finished", "A3");
    ASSERT_EQ(a3.size(), 2U) << read_file(m_events);
    EXPECT_EQ(a3[0]["outcome"], "ERROR");
    EXPECT_EQ(a3[0]["reason"], "port_lost");
    EXPECT_EQ(a3[1]["outcome"], "PASS") << a3[1].dump();
    EXPECT_EQ(a3[1]["attempt"], 2);
    EXPECT_EQ(a3[1]["fsn"], m_sim->ports()[3].fsn);  // the unit plugged in after the pull
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back()["kind"], "run_finished");
    EXPECT_EQ(events.back()["counts"]["pass"], 3) << events.back().dump();
}

}  // namespace
