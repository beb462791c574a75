// The scan workflow over fake serial ports through the injected opener: the AT-port probe and
// the identity run on the ports the opener hands out, and a port the opener refuses ends its
// row in that refusal. No tty, no routersim.
#include <station/workflows/scan_rows.hpp>

#include <algorithm>
#include <mutex>

#include <gtest/gtest.h>

#include "fake_serial_port.hpp"

namespace {

using station::core::Outcome;
using station::core::Reason;
using station::workflows::ResolveOptions;
using station::workflows::ScanRow;
using station::workflows::SlotState;
using std::chrono::milliseconds;

std::string answer(std::initializer_list<std::string> lines) {
    std::string out;
    for (const auto& line : lines) out += "\r\n" + line + "\r\n";
    return out + "\r\nOK\r\n";
}

// A Sierra EM7455 with an AT&T SIM (the identifier tests' module).
void script_em7455(tests::FakeSerialPort& port) {
    const std::string ok = "\r\nOK\r\n";
    for (const char* command : {"AT", "ATE0", "AT+CMEE=1"}) port.script(command, {ok});
    port.script("ATI", {answer({"Manufacturer: Sierra Wireless, Incorporated", "Model: EM7455",
                                "Revision: SWI9X30C_02.24.05.06", "IMEI: 359072060054893",
                                "IMEI SV: 14", "FSN: LF94060072011005", "+GCAP: +CGSM"})});
    port.script("AT+CPIN?", {answer({"+CPIN: READY"})});
    port.script("AT!ICCID?", {answer({"!ICCID: 89014103211118510720"})});
    port.script("AT+CIMI", {answer({"310410123456789"})});
}

// Hands out a fake per path: "/dev/fake-at" is the module, "/dev/fake-diag" answers ERROR to
// everything, any other path is refused as open_port refuses a path that does not exist.
struct FakeOpener {
    std::mutex lock;
    std::vector<std::string> opened;

    drivers::serial::PortOpener opener() {
        return [this](const std::string& path, const drivers::serial::Settings&)
                   -> drivers::serial::Result<std::unique_ptr<drivers::serial::SerialPort>> {
            {
                std::lock_guard guard(lock);
                opened.push_back(path);
            }
            if (path != "/dev/fake-at" && path != "/dev/fake-diag") {
                return station::core::fail(Reason::port_unavailable,
                                           path + ": No such file or directory");
            }
            auto port = std::make_unique<tests::FakeSerialPort>(path);
            if (path == "/dev/fake-at") script_em7455(*port);
            return port;
        };
    }
};

drivers::usb::UsbDevice fake_router() {
    drivers::usb::UsbDevice d;
    d.port_chain = "1-1.1";
    d.vendor_id = 0x1199;
    d.product_id = 0x9071;
    d.ttys = {{0, "/dev/fake-diag"}, {3, "/dev/fake-at"}};
    return d;
}

TEST(ScanFakePorts, ProbeAndIdentifyRunOnTheOpenersPorts) {
    FakeOpener fakes;
    auto rows = station::workflows::build_rows(nullptr, {fake_router()});
    ScanRow gone;
    gone.slot = "X1";
    gone.at_port = "/dev/fake-gone";
    gone.state = SlotState::ready;
    rows.push_back(gone);
    ResolveOptions options;
    options.identify = true;
    options.probe.timeout = milliseconds(50);
    options.command_timeout = milliseconds(100);
    options.max_parallel = 2;
    options.open = fakes.opener();
    station::workflows::resolve_rows(rows, options);

    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].state, SlotState::ready);
    EXPECT_EQ(rows[0].at_port, "/dev/fake-at");
    EXPECT_EQ(rows[0].at_interface, 3);
    ASSERT_TRUE(rows[0].identify.has_value());
    EXPECT_EQ(rows[0].identify->verdict.outcome, Outcome::pass)
        << rows[0].identify->verdict.message;
    EXPECT_EQ(rows[0].identify->identity.imei, "359072060054893");
    EXPECT_EQ(rows[0].identify->identity.iccid, "89014103211118510720");

    ASSERT_TRUE(rows[1].identify.has_value());
    EXPECT_EQ(rows[1].identify->verdict.outcome, Outcome::error);
    EXPECT_EQ(rows[1].identify->verdict.reason, Reason::port_unavailable);
    EXPECT_EQ(rows[1].identify->verdict.message, "/dev/fake-gone: No such file or directory");

    // Probed in interface order (the diag tty first), then the AT port opened to identify;
    // nothing was opened outside the opener (the paths do not exist).
    std::lock_guard guard(fakes.lock);
    EXPECT_EQ(std::count(fakes.opened.begin(), fakes.opened.end(), "/dev/fake-diag"), 1);
    EXPECT_EQ(std::count(fakes.opened.begin(), fakes.opened.end(), "/dev/fake-at"), 2);
    EXPECT_EQ(std::count(fakes.opened.begin(), fakes.opened.end(), "/dev/fake-gone"), 1);
    EXPECT_EQ(fakes.opened.size(), 4U);
}

}  // namespace
