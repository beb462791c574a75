// The cross-station half of check_duplicates (issue 20): which units of other stations, as the
// central database last heard from them, hold this unit's ICCID or IMEI (letter case ignored;
// the same FSN is the same unit, never a duplicate of itself).
#pragma once

#include <station/central/pq.hpp>
#include <station/core/reason.hpp>

namespace station::central {

struct CentralHolder {
    std::string station;
    std::string fsn;
    core::Reason reason = core::Reason::duplicate_iccid;  // or duplicate_imei
    std::string value;                                    // the shared ICCID or IMEI
};

// At most 5 holders, ICCID matches first.
core::Result<std::vector<CentralHolder>> central_holders(Connection& db, std::string_view station,
                                                         std::string_view fsn,
                                                         std::string_view imei,
                                                         std::string_view iccid);

}  // namespace station::central
