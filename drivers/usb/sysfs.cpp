#include <drivers/usb/sysfs.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <optional>
#include <station/core/text.hpp>

namespace drivers::usb {
namespace {

constexpr std::size_t k_max_attribute_bytes = 256;
constexpr std::size_t k_max_entries = 256;  // a device directory holds a few dozen at most

// The names in directory `path` (without . and ..), at most k_max_entries.
std::vector<std::string> list_dir(const std::string& path) {
    std::vector<std::string> names;
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return names;
    while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name == "." || name == "..") continue;
        names.push_back(name);
        if (names.size() >= k_max_entries) break;
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

// A sysfs attribute without its trailing newline; nullopt when it cannot be read.
std::optional<std::string> read_attribute(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::array<char, k_max_attribute_bytes> buf{};
    const ssize_t got = ::read(fd, buf.data(), buf.size());
    ::close(fd);
    if (got < 0) return std::nullopt;
    std::string value(buf.data(), static_cast<std::size_t>(got));
    while (!value.empty() && (value.back() == '\n' || value.back() == '\0')) value.pop_back();
    return value;
}

// The interface number of directory `<chain>:<config>.<interface>`: its bInterfaceNumber
// attribute (two hex digits), else the decimal number after the dot of its name.
std::optional<int> interface_number(const std::string& dir, std::string_view name) {
    if (const auto attr = read_attribute(dir + "/bInterfaceNumber")) {
        if (const auto value = station::core::parse_integer<int>(*attr, 16)) return value;
    }
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    return station::core::parse_integer<int>(name.substr(dot + 1), 10);
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// The tty names an interface directory holds: usb-serial puts ttyUSBn right inside it,
// cdc-acm puts ttyACMn under tty/.
std::vector<std::string> tty_names(const std::string& interface_dir) {
    std::vector<std::string> ttys;
    for (const auto& name : list_dir(interface_dir)) {
        if (starts_with(name, "ttyUSB")) ttys.push_back(name);
    }
    for (const auto& name : list_dir(interface_dir + "/tty")) {
        if (starts_with(name, "tty")) ttys.push_back(name);
    }
    return ttys;
}

}  // namespace

void read_usb_strings(const SysfsLayout& layout, const std::string& chain, UsbDevice& device) {
    const std::string dir = layout.sys_root + "/bus/usb/devices/" + chain + "/";
    device.manufacturer = read_attribute(dir + "manufacturer").value_or("");
    device.product = read_attribute(dir + "product").value_or("");
    device.serial = read_attribute(dir + "serial").value_or("");
}

std::vector<UsbTty> find_usb_ttys(const SysfsLayout& layout, const std::string& chain) {
    std::vector<UsbTty> ttys;
    const std::string device_dir = layout.sys_root + "/bus/usb/devices/" + chain;
    const std::string prefix = chain + ":";
    for (const auto& name : list_dir(device_dir)) {
        if (!starts_with(name, prefix)) continue;
        const std::string interface_dir = device_dir + "/" + name;
        const auto number = interface_number(interface_dir, name);
        if (!number) continue;
        for (const auto& tty : tty_names(interface_dir)) {
            ttys.push_back(UsbTty{*number, layout.dev_root + "/" + tty});
        }
    }
    std::sort(ttys.begin(), ttys.end(), [](const UsbTty& a, const UsbTty& b) {
        return a.interface_number != b.interface_number ? a.interface_number < b.interface_number
                                                        : a.path < b.path;
    });
    return ttys;
}

}  // namespace drivers::usb
