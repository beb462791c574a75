#include "usb_testbed.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace usb_test {
namespace {

constexpr const char* k_root = "/devices/pci0000:00/0000:00:14.0/usb1";

std::string hex4(std::uint16_t value) {
    char text[8];
    std::snprintf(text, sizeof text, "%04x", static_cast<unsigned>(value));
    return text;
}

// Little-endian bytes of a 16-bit value, as hex.
std::string le16(std::uint16_t value) {
    char text[8];
    std::snprintf(text, sizeof text, "%02X%02X", value & 0xffU, (value >> 8U) & 0xffU);
    return text;
}

// Device descriptor (18 bytes) + one configuration with one interface and one endpoint:
// what libusb reads from sysfs' `descriptors`.
std::string descriptors(std::uint16_t vid, std::uint16_t pid, bool hub) {
    const std::string device = std::string("12010002") + (hub ? "090001" : "000000") + "40" +
                               le16(vid) + le16(pid) + "000601020301";
    const std::string config = "09021900010100E000";
    const std::string interface = std::string("0904000001") + (hub ? "09" : "FF") + "000000";
    const std::string endpoint = "0705810304000C";
    return device + config + interface + endpoint;
}

std::string usb_device_record(const std::string& path, int devnum, std::uint16_t vid,
                              std::uint16_t pid, bool hub, const std::string& serial) {
    char node[32];
    std::snprintf(node, sizeof node, "bus/usb/001/%03d", devnum);
    std::string r = "P: " + path + "\nN: " + node + "\n";
    r += "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DEVNAME=/dev/" + std::string(node) + "\n";
    r += "E: BUSNUM=001\nE: DEVNUM=" + std::string(node + 12) + "\n";
    r += "A: idVendor=" + hex4(vid) + "\nA: idProduct=" + hex4(pid) + "\n";
    r += "A: busnum=1\nA: devnum=" + std::to_string(devnum) + "\nA: speed=480\n";
    r += "A: bConfigurationValue=1\n";
    if (!serial.empty()) {
        r += "A: manufacturer=Sierra Wireless, Incorporated\nA: product=Test Router\n";
        r += "A: serial=" + serial + "\n";
    }
    r += "H: descriptors=" + descriptors(vid, pid, hub) + "\n\n";
    return r;
}

std::string router_path(int hub_port) {
    return std::string(k_root) + "/1-1/" + UsbTestbed::chain(hub_port);
}

}  // namespace

UsbTestbed::UsbTestbed() {
    m_bed = umockdev_testbed_new();  // first: it sets $UMOCKDEV_DIR for the preload
    gchar* root = umockdev_testbed_get_root_dir(m_bed);
    m_root = root;
    g_free(root);
    if (!umockdev_in_mock_environment()) {
        m_error = "run this binary under umockdev-wrapper";
        return;
    }
    const std::string hubs =
        usb_device_record(k_root, 1, 0x1d6b, 0x0002, true, "") +
        usb_device_record(std::string(k_root) + "/1-1", 2, 0x05e3, 0x0608, true, "");
    GError* error = nullptr;
    m_ok = umockdev_testbed_add_from_string(m_bed, hubs.c_str(), &error) != 0;
    if (!m_ok) {
        m_error = error != nullptr ? error->message : "add_from_string failed";
        if (error != nullptr) g_error_free(error);
    }
}

UsbTestbed::~UsbTestbed() {
    if (m_bed != nullptr) g_object_unref(m_bed);
}

bool UsbTestbed::add_router(const RouterSpec& spec, bool announce) {
    const std::string path = router_path(spec.hub_port);
    const std::string chain_name = chain(spec.hub_port);
    std::string record =
        usb_device_record(path, spec.address, spec.vendor_id, spec.product_id, false, spec.serial);
    for (const auto& tty : spec.ttys) {
        const std::string iface =
            path + "/" + chain_name + ":1." + std::to_string(tty.interface_number);
        char number[8];
        std::snprintf(number, sizeof number, "%02x", tty.interface_number);
        record += "P: " + iface + "\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\n";
        record += "A: bInterfaceNumber=" + std::string(number) + "\n\n";
        const bool acm = tty.name.rfind("ttyACM", 0) == 0;
        std::string tty_path = iface + "/";
        if (!acm) {
            tty_path += tty.name;
            record += "P: " + tty_path + "\nE: SUBSYSTEM=usb-serial\n\n";
            tty_path += "/";
        }
        tty_path += "tty/" + tty.name;
        record += "P: " + tty_path + "\nN: " + tty.name + "\n";
        record += "E: SUBSYSTEM=tty\nE: DEVNAME=/dev/" + tty.name + "\n\n";
    }
    GError* error = nullptr;
    if (umockdev_testbed_add_from_string(m_bed, record.c_str(), &error) == 0) {
        m_error = error != nullptr ? error->message : "add_from_string failed";
        if (error != nullptr) g_error_free(error);
        return false;
    }
    if (announce) umockdev_testbed_uevent(m_bed, ("/sys" + path).c_str(), "add");
    for (const auto& tty : spec.ttys) m_ttys[spec.hub_port].push_back(tty.name);
    return true;
}

void UsbTestbed::remove_router(int hub_port, bool announce) {
    const std::string path = "/sys" + router_path(hub_port);
    if (announce) umockdev_testbed_uevent(m_bed, path.c_str(), "remove");
    umockdev_testbed_remove_device(m_bed, path.c_str());
    remove_dangling_links();
    for (const auto& tty : m_ttys[hub_port]) ::unlink((m_root + "/dev/" + tty).c_str());
    m_ttys.erase(hub_port);
}

void UsbTestbed::remove_dangling_links() {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::path> dirs;
    for (const auto& bus : fs::directory_iterator(m_root + "/sys/bus", ec)) {
        dirs.push_back(bus.path() / "devices");
    }
    for (const auto& cls : fs::directory_iterator(m_root + "/sys/class", ec)) dirs.push_back(cls);
    for (const auto& dir : dirs) {
        for (const auto& link : fs::directory_iterator(dir, ec)) {
            if (link.is_symlink(ec) && !fs::exists(link.path(), ec)) fs::remove(link.path(), ec);
        }
    }
}

int UsbTestbed::master(const std::string& tty_name) {
    return umockdev_testbed_get_dev_fd(m_bed, ("/dev/" + tty_name).c_str());
}

void UsbTestbed::hang_up(const std::string& tty_name) {
    // The testbed owns the master and closes it at teardown: /dev/null takes over its number.
    const int fd = master(tty_name);
    if (fd < 0) return;
    const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    ::dup2(null_fd, fd);
    ::close(null_fd);
}

PreloadFirst::PreloadFirst(const std::string& library) {
    const char* preload = std::getenv("LD_PRELOAD");
    m_saved = preload != nullptr ? preload : "";
    const std::string chained = library + (m_saved.empty() ? "" : ":" + m_saved);
    ::setenv("LD_PRELOAD", chained.c_str(), 1);
}

PreloadFirst::~PreloadFirst() {
    ::setenv("LD_PRELOAD", m_saved.c_str(), 1);
}

ModemResponder::ModemResponder(UsbTestbed& bed, std::string tty_name, Mode mode)
    : m_bed(bed), m_tty(std::move(tty_name)), m_mode(mode) {
    const int fd = m_bed.master(m_tty);
    if (fd >= 0) m_thread = std::thread([this, fd] { run(fd); });
}

ModemResponder::~ModemResponder() {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
}

void ModemResponder::run(int fd) {
    std::string line;
    while (!m_stop) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0 || (p.revents & POLLIN) == 0) continue;
        std::array<char, 256> buf{};
        const ssize_t got = ::read(fd, buf.data(), buf.size());
        if (got <= 0) continue;
        if (m_mode == Mode::hang_up) {
            ++m_commands;
            m_bed.hang_up(m_tty);
            return;
        }
        line.append(buf.data(), static_cast<std::size_t>(got));
        for (auto cr = line.find('\r'); cr != std::string::npos; cr = line.find('\r')) {
            line.erase(0, cr + 1);
            ++m_commands;
            if (m_mode == Mode::answer_ok) {
                const std::string ok = "\r\nOK\r\n";
                (void)!::write(fd, ok.data(), ok.size());
            }
        }
    }
}

}  // namespace usb_test
