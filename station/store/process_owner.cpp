#include <station/store/process_owner.hpp>

#include <unistd.h>
#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string_view>

namespace station::store {
namespace {

std::string read_first_line(const std::string& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

// Field 22 (starttime) of /proc/<pid>/stat; 0 when there is no such process or it is a zombie
// (state Z: dead, not yet reaped). The command name (field 2) is in parentheses and may hold
// spaces or parentheses itself, so fields are counted after its last ')'.
std::int64_t start_ticks_of(std::int64_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return 0;
    const auto close = line.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(line.substr(close + 1));
    std::string field;
    for (int index = 3; index <= 22 && fields >> field; ++index) {
        if (index == 3 && (field == "Z" || field == "X")) return 0;
        if (index != 22) continue;
        std::int64_t ticks = 0;
        const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), ticks);
        return ec == std::errc() && ptr == field.data() + field.size() ? ticks : 0;
    }
    return 0;
}

std::string host_name() {
    std::array<char, 256> buf{};
    if (::gethostname(buf.data(), buf.size() - 1) != 0) return {};
    return std::string(buf.data());
}

}  // namespace

ProcessOwner current_process_owner() {
    ProcessOwner owner;
    owner.hostname = host_name();
    owner.boot_id = read_first_line("/proc/sys/kernel/random/boot_id");
    owner.pid = ::getpid();
    owner.start_ticks = start_ticks_of(owner.pid);
    return owner;
}

bool is_alive(const ProcessOwner& owner) {
    if (owner.pid <= 0 || owner.boot_id.empty()) return false;
    static const ProcessOwner self = current_process_owner();
    if (owner.hostname != self.hostname || owner.boot_id != self.boot_id) return false;
    const std::int64_t ticks = start_ticks_of(owner.pid);
    return ticks != 0 && ticks == owner.start_ticks;
}

}  // namespace station::store
