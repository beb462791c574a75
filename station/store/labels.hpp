// The label queue (issue 19): every unit label `provision --label` made, where it was sent and
// whether it printed, so `station label reprint --fsn X` can print it again. Its own short-lived
// connection to a database that Store::open has already migrated (schema 11's `labels`).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <station/core/result.hpp>

namespace station::store {

enum class LabelState { printed, queued };

struct LabelRecord {
    std::int64_t id = 0;
    std::string fsn;
    std::int64_t run = 0;
    std::string zpl;
    std::string target;  // "dir:PATH", "device:PATH" or "net:HOST:PORT"
    LabelState state = LabelState::queued;
    int attempts = 0;
    std::string last_error;  // empty when none
    std::chrono::system_clock::time_point created;
};

// Adds a label (state queued, no attempt yet); returns its id.
core::Result<std::int64_t> add_label(const std::filesystem::path& db, const LabelRecord& label);

// Records one print attempt of label `id`: printed, or still queued with `error`.
core::Result<void> record_label_attempt(const std::filesystem::path& db, std::int64_t id,
                                        const std::optional<std::string>& error,
                                        std::chrono::system_clock::time_point at);

// The newest label of the unit `fsn` (any letter case); nullopt when it has none.
core::Result<std::optional<LabelRecord>> latest_label(const std::filesystem::path& db,
                                                      const std::string& fsn);

}  // namespace station::store
