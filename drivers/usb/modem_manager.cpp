#include <drivers/usb/modem_manager.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <station/core/text.hpp>

namespace drivers::usb {
namespace {

bool all_digits(const char* text) {
    if (*text == '\0') return false;
    for (; *text != '\0'; ++text) {
        if (std::isdigit(static_cast<unsigned char>(*text)) == 0) return false;
    }
    return true;
}

std::string read_comm(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    std::array<char, 64> buf{};
    const ssize_t got = ::read(fd, buf.data(), buf.size());
    ::close(fd);
    if (got <= 0) return {};
    std::string comm(buf.data(), static_cast<std::size_t>(got));
    while (!comm.empty() && comm.back() == '\n') comm.pop_back();
    return comm;
}

}  // namespace

std::optional<int> find_modem_manager(const std::string& proc_root) {
    DIR* dir = ::opendir(proc_root.c_str());
    if (dir == nullptr) return std::nullopt;
    std::optional<int> found;
    int seen = 0;
    while (const dirent* entry = ::readdir(dir)) {
        if (++seen > 100000) break;
        if (!all_digits(entry->d_name)) continue;
        if (read_comm(proc_root + "/" + entry->d_name + "/comm") == "ModemManager") {
            found = station::core::parse_integer<int>(entry->d_name);
            break;
        }
    }
    ::closedir(dir);
    return found;
}

std::string modem_manager_warning(int pid) {
    return "ModemManager is running (pid " + std::to_string(pid) +
           "): it opens new modem ports and sends its own AT commands, which disturbs "
           "identification. Fix: run scripts/install-udev-rules (tells ModemManager to ignore "
           "Sierra devices), or stop it: sudo systemctl stop ModemManager";
}

}  // namespace drivers::usb
