// Slot health as a role of the store: the error streak that takes a slot out of service, and the
// quarantine itself. The pallet workflow and `rig quarantined|release` need only this; the SQLite
// Store implements it (slots.cpp), a second backend implements the same calls.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/result.hpp>
#include <station/store/records.hpp>

namespace station::store {

class Quarantine {
  public:
    virtual ~Quarantine() = default;

    // How many units in a row ended in ERROR on `slot` (latest first, counted since the slot
    // was last released). A unit's ERROR counts once: its final attempt is the one counted.
    virtual core::Result<int> slot_error_streak(std::string_view slot) = 0;
    // Takes a slot out of service until release_slot; `why` is shown to the operator.
    virtual core::Result<void> quarantine_slot(std::string_view slot, std::string_view why,
                                               TimePoint at) = 0;
    // Puts a quarantined slot back in service. Fails when it is not quarantined.
    virtual core::Result<void> release_slot(std::string_view slot, TimePoint at) = 0;
    // Why the slot is quarantined, or nullopt when it is in service.
    virtual core::Result<std::optional<std::string>> slot_quarantine(std::string_view slot) = 0;
    // Every quarantined slot, by name.
    virtual core::Result<std::vector<QuarantinedSlot>> quarantined_slots() = 0;

  protected:
    Quarantine() = default;
    Quarantine(const Quarantine&) = default;
    Quarantine& operator=(const Quarantine&) = default;
};

}  // namespace station::store
