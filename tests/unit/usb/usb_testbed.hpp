// An emulated USB bench for tests run under umockdev-wrapper: a root hub, a 7-port hub on its
// port 1, and routers on the hub's ports, each with tty interfaces backed by ptys whose master
// ends the test drives (ModemResponder plays the AT port).
#pragma once

#include <umockdev.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace usb_test {

struct TtySpec {
    int interface_number = 0;
    std::string name;  // "ttyUSB3" (usb-serial) or "ttyACM0" (cdc-acm)
};

struct RouterSpec {
    int hub_port = 1;  // the router sits at 1-1.<hub_port>
    int address = 10;
    std::uint16_t vendor_id = 0x1199;
    std::uint16_t product_id = 0x9071;
    std::string serial = "LF0000000001";
    std::vector<TtySpec> ttys;
};

class UsbTestbed {
  public:
    // Creates the testbed with the root hub and the hub; check ok() (false outside umockdev).
    UsbTestbed();
    ~UsbTestbed();
    UsbTestbed(const UsbTestbed&) = delete;
    UsbTestbed& operator=(const UsbTestbed&) = delete;

    bool ok() const { return m_ok; }
    const std::string& error() const { return m_error; }

    // Adds a router (and its ttys); with `announce`, sends the "add" uevent libusb listens for.
    bool add_router(const RouterSpec& spec, bool announce = true);

    // Sends the "remove" uevent and removes the router's sysfs entries and /dev nodes, as
    // udev does on unplug. (umockdev's remove_device leaves the /dev nodes and the
    // /sys/bus/*/devices and /sys/class/*/ links behind: measured. Open ptys stay open.)
    void remove_router(int hub_port, bool announce = true);

    // The pty master behind /dev/<tty_name>, owned by the testbed; -1 when unknown.
    int master(const std::string& tty_name);

    // Makes /dev/<tty_name> hang up, as an unplugged USB tty does.
    void hang_up(const std::string& tty_name);

    // Where the testbed keeps /dev/<name>, seen without the preload's redirection (e.g. to
    // remove one node, as a bench whose udev never made it).
    std::string dev_node(const std::string& name) const { return m_root + "/dev/" + name; }

    static std::string chain(int hub_port) { return "1-1." + std::to_string(hub_port); }

  private:
    void remove_dangling_links();

    UMockdevTestbed* m_bed = nullptr;
    std::string m_root;  // the testbed's directory, seen without the preload's redirection
    std::map<int, std::vector<std::string>> m_ttys;  // hub port -> tty names
    bool m_ok = false;
    std::string m_error;
};

// Puts `library` first in LD_PRELOAD for the programs a test starts (umockdev's own preload
// stays behind it), until destroyed: the ioctl shim for the station binaries.
class PreloadFirst {
  public:
    explicit PreloadFirst(const std::string& library);
    ~PreloadFirst();
    PreloadFirst(const PreloadFirst&) = delete;
    PreloadFirst& operator=(const PreloadFirst&) = delete;

  private:
    std::string m_saved;
};

// Answers "AT" with OK on one pty master (or never, or hangs up at the first byte), until
// destroyed. Bytes are read with bounded polls, so a broken test cannot hang.
class ModemResponder {
  public:
    enum class Mode { answer_ok, silent, hang_up };

    ModemResponder(UsbTestbed& bed, std::string tty_name, Mode mode);
    ~ModemResponder();
    ModemResponder(const ModemResponder&) = delete;
    ModemResponder& operator=(const ModemResponder&) = delete;

    int commands_seen() const { return m_commands; }

  private:
    void run(int fd);

    UsbTestbed& m_bed;
    std::string m_tty;
    Mode m_mode;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_commands{0};
    std::thread m_thread;
};

}  // namespace usb_test
