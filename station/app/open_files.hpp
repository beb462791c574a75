// The open-files limit a pallet needs: each slot holds its AT port (and its lock) open, USB
// slots a device handle too, so a full rig of 1024 slots is past the usual soft limit of 1024.
#pragma once

#include <cstddef>
#include <string_view>

#include <station/core/result.hpp>

namespace station::app {

// About how many files a command with `slots` slots may hold open at once: a few per slot
// (port, lock, USB handle, slack) and a base for the database, its journal, the terminal and
// libraries.
std::size_t open_files_needed(std::size_t slots);

// Raises this process's soft open-files limit to its hard limit when `needed` is more than the
// soft one. Fails (Reason::out_of_resources) when even the hard limit is below `needed`,
// naming both numbers and how to raise it; `command` starts the message.
core::Result<void> ensure_open_files(std::string_view command, std::size_t slots);

}  // namespace station::app
