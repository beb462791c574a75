// The built `station` binary on the emulated bench: `scan` (with a rig, unknown devices, AT
// ports found by probing), `rig check` and `rig learn` (routers plugged in while it waits),
// `doctor`'s usb check.
// The child inherits the testbed ($UMOCKDEV_DIR, umockdev's preload) and gets the ioctl shim
// preloaded in front of it, so libserialport opens the emulated ttys as in this process.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fixtures/rig/rig.hpp>

#include "process.hpp"
#include "usb_testbed.hpp"

namespace {

using usb_test::ModemResponder;
using usb_test::RouterSpec;
using usb_test::UsbTestbed;
using namespace std::chrono_literals;

const std::string k_station = STATION_BINARY_DIR "/station/station";

RouterSpec router(int hub_port, int address, std::vector<usb_test::TtySpec> ttys,
                  std::string serial) {
    RouterSpec spec;
    spec.hub_port = hub_port;
    spec.address = address;
    spec.serial = std::move(serial);
    spec.ttys = std::move(ttys);
    return spec;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class StationOnUsbBench : public testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(m_bed.ok()) << m_bed.error();
        m_shim = std::make_unique<usb_test::PreloadFirst>(USB_TEST_IOCTL_SHIM);
    }
    void TearDown() override { m_shim.reset(); }

    tests::ProcessResult station(std::vector<std::string> args,
                                 std::chrono::milliseconds timeout = 30s) {
        args.insert(args.begin(), k_station);
        return tests::run_process(args, timeout);
    }

    // Two routers in the rig (AT on interface 3, and on interface 2), one not in it, a console
    // cable (not Sierra) and an empty slot.
    void plug_bench() {
        ASSERT_TRUE(m_bed.add_router(router(2, 10, {{0, "ttyUSB0"}, {3, "ttyUSB1"}}, "LF0002")));
        ASSERT_TRUE(m_bed.add_router(router(3, 11, {{2, "ttyUSB2"}}, "LF0003")));
        ASSERT_TRUE(m_bed.add_router(router(7, 12, {{3, "ttyUSB3"}}, "LF0007")));
        RouterSpec ftdi = router(4, 13, {{0, "ttyUSB9"}}, "FT1");
        ftdi.vendor_id = 0x0403;
        ftdi.product_id = 0x6001;
        ASSERT_TRUE(m_bed.add_router(ftdi));
        write_file(m_rig,
                   "name = \"test-bench\"\nslot = [\n"
                   "  { label = \"A1\", usb = \"1-1.2\" },\n"
                   "  { label = \"A2\", usb = \"1-1.3\" },\n"
                   "  { label = \"A3\", usb = \"1-1.5\" },\n]\n");
    }

    UsbTestbed m_bed;
    tests::TempDir m_dir;
    std::string m_rig = m_dir.path() + "/rig.toml";
    std::unique_ptr<usb_test::PreloadFirst> m_shim;
};

TEST_F(StationOnUsbBench, ScanShowsSlotsPortChainsAndProbedAtPorts) {
    plug_bench();
    ModemResponder diag(m_bed, "ttyUSB0", ModemResponder::Mode::silent);
    ModemResponder at1(m_bed, "ttyUSB1", ModemResponder::Mode::answer_ok);
    ModemResponder at2(m_bed, "ttyUSB2", ModemResponder::Mode::answer_ok);
    ModemResponder at3(m_bed, "ttyUSB3", ModemResponder::Mode::answer_ok);

    const auto result = station({"scan", "--rig", m_rig, "--probe-ms", "300"});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_EQ(result.out,
              "SLOT  PORT CHAIN  USB        AT PORT       STATE\n"
              "A1    1-1.2       1199:9071  /dev/ttyUSB1  ready\n"
              "A2    1-1.3       1199:9071  /dev/ttyUSB2  ready\n"
              "A3    1-1.5       -          -             empty\n"
              "-     1-1.7       1199:9071  -             unknown\n");  // not in the rig: untouched

    const auto json_result = station({"scan", "--json", "--probe-ms", "300"});
    ASSERT_EQ(json_result.exit_code, 0) << json_result.err;
    const auto doc = nlohmann::json::parse(json_result.out);
    ASSERT_EQ(doc["slots"].size(), 3U);  // no rig: one row per Sierra device, the cable ignored
    const auto& first = doc["slots"][0];
    EXPECT_TRUE(first["slot"].is_null());
    EXPECT_EQ(first["port_chain"], "1-1.2");
    EXPECT_EQ(first["usb"]["vid_pid"], "1199:9071");
    EXPECT_EQ(first["usb"]["serial"], "LF0002");
    EXPECT_EQ(first["usb"]["ttys"].size(), 2U);
    EXPECT_EQ(first["at_port"], "/dev/ttyUSB1");
    EXPECT_EQ(first["at_interface"], 3);
    EXPECT_EQ(first["state"], "ready");
    EXPECT_EQ(doc["slots"][1]["at_interface"], 2);
}

// The profiles' USB ids pick the devices: a Sierra product no profile lists is not a router
// here, and --expect narrows the listing to that profile's products.
TEST_F(StationOnUsbBench, ScanListsOnlyTheProfilesProducts) {
    auto em7455 = router(2, 10, {{3, "ttyUSB0"}}, "LF0002");  // 1199:9071 (em7455 profile)
    auto xr90 = router(3, 11, {{3, "ttyUSB1"}}, "LF0003");
    xr90.product_id = 0x9091;  // the XR profiles
    auto other = router(4, 12, {{3, "ttyUSB2"}}, "LF0004");
    other.product_id = 0x68c0;  // a Sierra product no profile names
    ASSERT_TRUE(m_bed.add_router(em7455));
    ASSERT_TRUE(m_bed.add_router(xr90));
    ASSERT_TRUE(m_bed.add_router(other));

    const auto all = station({"scan", "--json", "--at-interface", "3"});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    const auto doc = nlohmann::json::parse(all.out);
    ASSERT_EQ(doc["slots"].size(), 2U) << all.out;
    EXPECT_EQ(doc["slots"][0]["usb"]["vid_pid"], "1199:9071");
    EXPECT_EQ(doc["slots"][1]["usb"]["vid_pid"], "1199:9091");

    EXPECT_EQ(station({"scan", "--expect", "xr90-na"}).exit_code, 64) << "needs --identify";
    ModemResponder silent(m_bed, "ttyUSB1", ModemResponder::Mode::silent);
    const auto xr = station({"scan", "--json", "--identify", "--expect", "xr90-na",
                             "--at-interface", "3", "--timeout-ms", "200"});
    const auto narrowed = nlohmann::json::parse(xr.out, nullptr, false);
    ASSERT_TRUE(narrowed.is_object()) << xr.out << xr.err;
    ASSERT_EQ(narrowed["slots"].size(), 1U) << xr.out;
    EXPECT_EQ(narrowed["slots"][0]["usb"]["vid_pid"], "1199:9091");
}

TEST_F(StationOnUsbBench, ScanNamesARouterWhoseTtysDoNotAnswer) {
    ASSERT_TRUE(m_bed.add_router(router(2, 10, {{3, "ttyUSB0"}}, "LF0002")));
    ModemResponder silent(m_bed, "ttyUSB0", ModemResponder::Mode::silent);
    const auto result = station({"scan", "--probe-ms", "100", "--identify"});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;  // ERROR: no AT port
    EXPECT_NE(result.out.find("1-1.2       1199:9071  -        no_at_port"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("1-1.2: 1-1.2 (1199:9071): no tty answered AT (interface 3: "),
              std::string::npos)
        << result.out;
}

TEST_F(StationOnUsbBench, RigCheckReportsEmptySlotsUnknownDevicesAndDuplicates) {
    plug_bench();
    ASSERT_TRUE(m_bed.add_router(router(6, 14, {{3, "ttyUSB6"}}, "LF0002")));  // cloned serial
    const auto result = station({"rig", "check", m_rig});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_EQ(result.out,
              "slot A3: no device at 1-1.5\n"
              "unknown device 1199:9071 serial LF0002 at 1-1.6 (not in the rig)\n"
              "duplicate USB serial LF0002 at slot A1 and 1-1.6\n"
              "unknown device 1199:9071 serial LF0007 at 1-1.7 (not in the rig)\n"
              "4 problem(s) in 3 slots\n");
}

TEST_F(StationOnUsbBench, RigCheckPassesWhenTheBenchMatches) {
    ASSERT_TRUE(m_bed.add_router(router(2, 10, {{3, "ttyUSB0"}}, "LF0002")));
    write_file(m_rig, "slot = [ { label = \"A1\", usb = \"1-1.2\" } ]\n");
    const auto result = station({"rig", "check", m_rig});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_EQ(result.out, "rig OK: 1 slots, 1 devices\n");
}

// rig learn is run in the background and each router is plugged in once its prompt says so.
TEST_F(StationOnUsbBench, RigLearnRecordsEachNewRouterUnderTheNextLabel) {
    ASSERT_TRUE(m_bed.add_router(router(1, 9, {{3, "ttyUSB0"}}, "LF0001")));  // already there
    const std::string out = m_dir.path() + "/learned.toml";
    const std::string said = m_dir.path() + "/learn.out";
    tests::BackgroundProcess learner({k_station, "rig", "learn", "--out", out, "--labels", "B1,B2",
                                      "--settle-ms", "150", "--timeout-s", "20"},
                                     said);
    ASSERT_TRUE(tests::wait_for_line(said, "plug a router into slot B1", 20s)) << read_file(said);
    ASSERT_TRUE(m_bed.add_router(router(5, 10, {{3, "ttyUSB1"}}, "LF0005")));
    ASSERT_TRUE(tests::wait_for_line(said, "plug a router into slot B2", 20s)) << read_file(said);
    // A re-enumerating unit in the next slot: it counts once, when it has settled.
    ASSERT_TRUE(m_bed.add_router(router(2, 11, {{0, "ttyUSB2"}}, "LF0002")));
    m_bed.remove_router(2);
    ASSERT_TRUE(m_bed.add_router(router(2, 12, {{0, "ttyUSB3"}, {3, "ttyUSB4"}}, "LF0002")));
    const auto status = learner.wait(30s);
    ASSERT_TRUE(status.has_value()) << read_file(said);
    ASSERT_TRUE(WIFEXITED(*status));
    ASSERT_EQ(WEXITSTATUS(*status), 0) << read_file(said);
    const std::string text = read_file(said);
    EXPECT_NE(text.find("ignoring 1 router(s) already plugged in"), std::string::npos);
    EXPECT_NE(text.find("B1 = 1-1.5 (1199:9071 serial LF0005)"), std::string::npos) << text;
    EXPECT_NE(text.find("B2 = 1-1.2 (1199:9071 serial LF0002)"), std::string::npos) << text;
    auto rig = fixtures::rig::load_rig(out);
    ASSERT_TRUE(rig.has_value()) << rig.error().message;
    ASSERT_EQ(rig->slots.size(), 2U);
    EXPECT_EQ(rig->slots[0].label, "B1");
    EXPECT_EQ(rig->slots[0].usb, "1-1.5");
    EXPECT_EQ(rig->slots[1].label, "B2");
    EXPECT_EQ(rig->slots[1].usb, "1-1.2");
}

TEST_F(StationOnUsbBench, RigLearnStoppedByTheOperatorWritesWhatItLearned) {
    const std::string out = m_dir.path() + "/partial.toml";
    const std::string said = m_dir.path() + "/learn.out";
    tests::BackgroundProcess learner({k_station, "rig", "learn", "--out", out, "--slots", "3",
                                      "--settle-ms", "100", "--timeout-s", "20"},
                                     said);
    ASSERT_TRUE(tests::wait_for_line(said, "plug a router into slot 1", 20s)) << read_file(said);
    ASSERT_TRUE(m_bed.add_router(router(3, 10, {{3, "ttyUSB1"}}, "LF0003")));
    ASSERT_TRUE(tests::wait_for_line(said, "plug a router into slot 2", 20s)) << read_file(said);
    const int status = learner.stop();  // SIGTERM, as Ctrl-C's SIGINT
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3);  // aborted before every slot was learned
    auto rig = fixtures::rig::load_rig(out);
    ASSERT_TRUE(rig.has_value()) << rig.error().message;
    ASSERT_EQ(rig->slots.size(), 1U);
    EXPECT_EQ(rig->slots[0].label, "1");
    EXPECT_EQ(rig->slots[0].usb, "1-1.3");
}

// station doctor's `usb` check on the emulated bench: every attached router the profiles name
// (the console cable is not one) with its USB device node and ttys openable is OK; a router
// whose tty node is missing (udev never made it, or it went away) is FAIL naming the node and
// the fix. A missing node fails the check for root too, unlike a mode.
TEST_F(StationOnUsbBench, DoctorChecksEachRoutersNodes) {
    plug_bench();
    const std::string db = m_dir.path() + "/station.db";
    const auto usb_check = [&] {
        const auto r = station({"doctor", "--json", "--db", db});
        const auto doc = nlohmann::json::parse(r.out, nullptr, false);
        EXPECT_TRUE(doc.is_object()) << r.out << r.err;
        if (!doc.is_object()) return nlohmann::json();
        EXPECT_EQ(doc.at("exit_code").get<int>(), r.exit_code);
        for (const auto& c : doc.at("checks")) {
            if (c.at("check") == "usb") return c;
        }
        return nlohmann::json();
    };

    const auto ok = usb_check();
    ASSERT_FALSE(ok.is_null());
    EXPECT_EQ(ok.at("status"), "OK") << ok.dump();
    EXPECT_NE(ok.at("message").get<std::string>().find("3 router(s) attached"), std::string::npos)
        << ok.dump();
    EXPECT_TRUE(ok.at("fix").is_null());

    ASSERT_EQ(::unlink(m_bed.dev_node("ttyUSB2").c_str()), 0);
    const auto fail = usb_check();
    ASSERT_FALSE(fail.is_null());
    EXPECT_EQ(fail.at("status"), "FAIL") << fail.dump();
    const auto message = fail.at("message").get<std::string>();
    EXPECT_NE(message.find("1199:9071 at 1-1.3"), std::string::npos) << message;
    EXPECT_NE(message.find("cannot open /dev/ttyUSB2"), std::string::npos) << message;
    EXPECT_NE(fail.at("fix").get<std::string>().find("udev rules"), std::string::npos);
}

}  // namespace
