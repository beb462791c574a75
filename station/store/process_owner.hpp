// Which process owns a run, and whether that process is still alive. A pid alone is not enough
// (pids are reused, and a reboot restarts them): the boot id and the process start time
// (/proc/<pid>/stat field 22, clock ticks since boot) pin one process for the life of the boot.
#pragma once

#include <cstdint>
#include <string>

namespace station::store {

struct ProcessOwner {
    std::string hostname;
    std::string boot_id;
    std::int64_t pid = 0;
    std::int64_t start_ticks = 0;
};

// This process. Fields that cannot be read stay empty / zero.
ProcessOwner current_process_owner();

// True when `owner` is a process running now on this machine in this boot. A run owned by
// another host or an earlier boot is dead.
bool is_alive(const ProcessOwner& owner);

}  // namespace station::store
