// station doctor, the bench: the user's groups, the udev rules and ModemManager, the USB
// devices the profiles name, the clock.
#include <station/app/doctor.hpp>

#include <grp.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <drivers/usb/libusb_bus.hpp>
#include <drivers/usb/modem_manager.hpp>
#include <profiles/loader.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>

namespace station::app::doctor {
namespace {

constexpr std::string_view k_rules_file = "70-station-sierra.rules";
constexpr std::array<std::string_view, 2> k_rules_dirs{"/etc/udev/rules.d",
                                                       "/usr/lib/udev/rules.d"};

Check make(std::string name, Level level, std::string message, std::string fix = {}) {
    return Check{std::move(name), level, std::move(message), std::move(fix)};
}

// The names of the process's groups (effective group and supplementary groups).
std::vector<std::string> process_groups() {
    std::vector<gid_t> ids(static_cast<std::size_t>(std::max(::getgroups(0, nullptr), 0)) + 1);
    const int n = ::getgroups(static_cast<int>(ids.size()), ids.data());
    ids.resize(static_cast<std::size_t>(std::max(n, 0)));
    ids.push_back(::getegid());
    std::vector<std::string> names;
    for (const gid_t id : ids) {
        if (const group* g = ::getgrgid(id); g != nullptr) names.emplace_back(g->gr_name);
    }
    return names;
}

bool has(const std::vector<std::string>& list, std::string_view name) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

// The installed rule file's text (at most 64 KiB) and where it is; nullopt when none is there.
std::optional<std::pair<std::string, std::string>> find_rules(const std::string& root) {
    for (const auto dir : k_rules_dirs) {
        const std::string path = root + std::string(dir) + "/" + std::string(k_rules_file);
        std::ifstream in(path, std::ios::binary);
        if (!in) continue;
        std::string text(64 * 1024, '\0');
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<std::size_t>(in.gcount()));
        return std::make_pair(path, text);
    }
    return std::nullopt;
}

std::string where_rules_go() {
    return std::string(k_rules_dirs[0]) + " or " + std::string(k_rules_dirs[1]);
}

bool readable(const std::string& path) { return ::access(path.c_str(), R_OK | W_OK) == 0; }

// The devices' nodes this user cannot open: the USB device node and each tty.
std::vector<std::string> unreadable_nodes(const drivers::usb::UsbDevice& device) {
    std::vector<std::string> out;
    std::array<char, 32> node{};
    std::snprintf(node.data(), node.size(), "/dev/bus/usb/%03d/%03d", device.bus, device.address);
    if (!readable(node.data())) out.emplace_back(node.data());
    for (const auto& tty : device.ttys) {
        if (!readable(tty.path)) out.push_back(tty.path);
    }
    return out;
}

std::vector<drivers::usb::UsbMatch> profile_filter(const Inputs& in) {
    const auto set =
        profiles::load_profile_dir(profiles::profiles_dir(in.profiles_dir), profiles::FileHashes::skip);
    std::vector<drivers::usb::UsbMatch> filter;
    for (const auto& p : set.profiles) {
        for (const auto pid : p.usb.product_ids) filter.push_back({p.usb.vendor_id, pid});
    }
    return filter.empty() ? drivers::usb::default_filter() : filter;
}

std::string date_of(std::int64_t seconds) {
    return core::iso_utc(std::chrono::system_clock::time_point(std::chrono::seconds(seconds)),
                         false);
}

}  // namespace

std::string_view to_string(Level level) {
    switch (level) {
        case Level::ok:
            return "OK";
        case Level::warn:
            return "WARN";
        case Level::fail:
            return "FAIL";
    }
    return "FAIL";
}

Check check_groups(const Inputs& in) {
    if (!in.groups && ::geteuid() == 0) return make("groups", Level::ok, "running as root");
    const auto groups = in.groups ? *in.groups : process_groups();
    const bool dialout = has(groups, "dialout");
    const bool plugdev = has(groups, "plugdev");
    if (dialout && plugdev) return make("groups", Level::ok, "user in dialout and plugdev");
    const std::string fix =
        "sudo usermod -aG dialout,plugdev $USER, then log out and in again";
    if (!dialout) {
        return make("groups", Level::fail,
                    "user not in dialout: the routers' ttys cannot be opened", fix);
    }
    return make("groups", Level::warn,
                "user not in plugdev: the routers' USB devices cannot be opened", fix);
}

Check check_udev(const Inputs& in) {
    const auto rules = find_rules(in.root);
    const auto mm = drivers::usb::find_modem_manager(in.root + "/proc");
    const std::string install = "run scripts/install-udev-rules (installs " +
                                std::string(k_rules_file) + " into " + where_rules_go() + ")";
    const std::string mm_text =
        mm ? "ModemManager running (pid " + std::to_string(*mm) + ")" : "ModemManager not running";
    if (rules && rules->second.find("ID_MM_DEVICE_IGNORE") != std::string::npos) {
        return make("udev", Level::ok, core::sanitize_for_display(rules->first, 256) +
                                           " installed (ModemManager ignores the routers); " +
                                           mm_text);
    }
    if (rules) {
        return make("udev", mm ? Level::fail : Level::warn,
                    core::sanitize_for_display(rules->first, 256) +
                        " does not set ID_MM_DEVICE_IGNORE; " + mm_text,
                    "reinstall it: " + install);
    }
    if (mm) {
        return make("udev", Level::fail,
                    "no " + std::string(k_rules_file) + " in " + where_rules_go() + " and " +
                        mm_text + ": it sends its own AT commands to the routers",
                    install + ", or stop it: sudo systemctl stop ModemManager");
    }
    return make("udev", Level::warn,
                "no " + std::string(k_rules_file) + " in " + where_rules_go() +
                    " (device groups and modes not set); " + mm_text,
                install);
}

Check check_usb(const Inputs& in) {
    drivers::usb::LibusbOptions options;
    options.hotplug = drivers::usb::HotplugMode::polling;
    auto bus = drivers::usb::open_libusb_bus(options);
    if (!bus) {
        return make("usb", Level::warn, "cannot read the USB bus: " + bus.error().message,
                    "on a bench PC, check that /dev/bus/usb exists (usbfs mounted)");
    }
    const auto filter = profile_filter(in);
    auto devices = (*bus)->enumerate(filter);
    if (!devices) return make("usb", Level::warn, "cannot list USB devices: " + devices.error().message);
    if (devices->empty()) {
        return make("usb", Level::warn, "no router the profiles name is attached",
                    "plug a router in to check its device permissions");
    }
    for (const auto& d : *devices) {
        const auto bad = unreadable_nodes(d);
        if (bad.empty()) continue;
        std::string list;
        for (const auto& p : bad) list += (list.empty() ? "" : ", ") + p;
        return make("usb", Level::fail,
                    drivers::usb::vid_pid(d.vendor_id, d.product_id) + " at " +
                        core::sanitize_for_display(d.port_chain, 32) + ": cannot open " +
                        core::sanitize_for_display(list, 256),
                    "install the udev rules (scripts/install-udev-rules) and join dialout and "
                    "plugdev, then replug the router");
    }
    return make("usb", Level::ok,
                std::to_string(devices->size()) + " router(s) attached, every node readable");
}

Check check_clock(const Inputs& in) {
    const std::int64_t now =
        in.now ? *in.now
               : std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
    const std::int64_t built = build_time();
    const std::string fix = "set the clock: sudo timedatectl set-ntp true (TLS needs it)";
    const std::string text = "clock reads " + date_of(now) + ", station built " + date_of(built);
    constexpr std::int64_t k_day = 86400;
    if (now < built - k_day) return make("clock", Level::fail, text + ": before the build", fix);
    if (now > built + k_fail_ahead_days * k_day) {
        return make("clock", Level::fail, text + ": absurdly far ahead", fix);
    }
    if (now > built + k_warn_ahead_days * k_day) {
        return make("clock", Level::warn, text + ": over 5 years after the build",
                    "check the clock, or install a newer station");
    }
    return make("clock", Level::ok, text);
}

std::int64_t build_time() { return STATION_BUILD_TIME; }

}  // namespace station::app::doctor
