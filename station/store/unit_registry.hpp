// The units the station has seen as a role of the store: each unit's sightings (FSN, IMEI,
// ICCID), the duplicate check that holds two units claiming one SIM identity, and the look-ups
// `history` and the reports make over them. The SQLite Store implements it (writes.cpp,
// identity_claims.cpp, queries.cpp) over its one connection and writer thread; a second backend
// (a central database) implements the same calls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/result.hpp>
#include <station/store/records.hpp>

namespace station::store {

class UnitRegistry {
  public:
    virtual ~UnitRegistry() = default;

    // Records a sighting of a unit (FSN required) and tells what changed since the last one.
    virtual core::Result<DeviceChange> upsert_device(const DeviceSighting& sighting) = 0;
    // One step for the duplicate check: looks for other units (FSNs) whose latest sighting holds
    // the sighting's ICCID or IMEI, records the sighting, and holds every unit found: a PASS
    // result is changed to FAIL duplicate_iccid / duplicate_imei naming this unit (with a step
    // `duplicate_held` and a run event), its unsent outbox rows for that identity are withdrawn,
    // rows already sent are noted to inspect. All in one transaction, so of two units claiming
    // one identity the second always sees the first. The sighting needs its slot result (it
    // names this unit in what is written on the others). Same FSN: never a duplicate of itself.
    virtual core::Result<IdentityClaim> claim_identity(const DeviceSighting& sighting) = 0;

    // Every slot result that touched the unit (the identifier matched ignoring ASCII case, so
    // "la5123" finds "LA5123"), newest first, at most `limit`.
    virtual core::Result<std::vector<ResultRow>> history(UnitKey key, std::string_view value,
                                                         std::size_t limit = 1000) = 0;
    // FSNs other than `fsn` whose latest sighting holds this IMEI or ICCID (key fsn: empty).
    virtual core::Result<std::vector<std::string>> other_units_with(UnitKey key,
                                                                    std::string_view value,
                                                                    std::string_view fsn) = 0;
    // ICCIDs / IMEIs held by more than one unit's latest sighting.
    virtual core::Result<std::vector<DuplicateIdentifier>> duplicate_iccids() = 0;
    virtual core::Result<std::vector<DuplicateIdentifier>> duplicate_imeis() = 0;
    // Units seen with a different ICCID than before.
    virtual core::Result<std::vector<SimSwap>> sim_swaps() = 0;

  protected:
    UnitRegistry() = default;
    UnitRegistry(const UnitRegistry&) = default;
    UnitRegistry& operator=(const UnitRegistry&) = default;
};

}  // namespace station::store
