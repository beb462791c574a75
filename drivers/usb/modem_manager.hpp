// ModemManager, when running, opens new modem ports and sends its own AT commands for several
// seconds (DOMAIN.md, "USB"): it must not share the station's routers.
#pragma once

#include <optional>
#include <string>

namespace drivers::usb {

// The pid of a process whose /proc/<pid>/comm is "ModemManager", or nullopt. Reads at most
// 100000 entries of `proc_root`; unreadable entries are skipped.
std::optional<int> find_modem_manager(const std::string& proc_root = "/proc");

// The warning to print when ModemManager runs, with the two ways to fix it.
std::string modem_manager_warning(int pid);

}  // namespace drivers::usb
