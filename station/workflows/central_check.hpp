// The central database's part of check_duplicates (issue 20): units of other stations holding
// a unit's ICCID or IMEI. The app implements it over libpq (station/app/central_check.cpp);
// the workflow only asks. Called from the unit's store write: it must answer within a bound.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <station/core/reason.hpp>
#include <station/core/result.hpp>

namespace station::workflows {

struct CentralHolder {
    std::string station;
    std::string fsn;
    core::Reason reason = core::Reason::duplicate_iccid;  // or duplicate_imei
    std::string value;                                    // the shared ICCID or IMEI
};

class CentralCheck {
  public:
    virtual ~CentralCheck() = default;
    // Other stations' units holding `iccid` or `imei` (the same FSN excluded); an error when the
    // central database does not answer (the step then says `central: unreachable`).
    virtual core::Result<std::vector<CentralHolder>> holders(std::string_view fsn,
                                                             std::string_view imei,
                                                             std::string_view iccid) = 0;
};

}  // namespace station::workflows
