// The ALMS side of a retest (`station retest --alms-check`, issue 16): where ALMS holds a
// returned unit, by read-only look-ups by IMEI in BOTH data centers, as core::Finding's.
//
// - alms_missing: in neither data center;
// - alms_wrong_data_center: only in the one its region does not route to;
// - alms_duplicate: in both;
// - alms_iccid_stale: in the right one, none of its systems with the unit's ICCID.
// A look-up that could not answer makes the whole check an error (its reason, alms_unavailable
// when ALMS is down), never an empty list: a check that did not look is no PASS.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <station/alms/registration.hpp>
#include <station/core/finding.hpp>
#include <station/core/identity.hpp>
#include <station/core/region.hpp>
#include <station/core/result.hpp>

namespace station::workflows {

// One data center's read-only look-up by IMEI (the app's goes through alms::AlmsClient; unit
// tests use a fake). Implementations called from several slot threads serialise themselves.
class AlmsLookup {
  public:
    virtual ~AlmsLookup() = default;
    // The systems this data center holds whose gateway IMEI is `imei` (empty: none); an error
    // (alms_unavailable, alms_auth_refused, alms_tls_failed, ...) when it could not answer.
    virtual core::Result<std::vector<alms::RemoteSystem>> find_by_imei(const std::string& imei) = 0;
};

// The unit as the retest read it now, and where it belongs.
struct AlmsCheckUnit {
    std::string imei;
    std::string iccid;
    core::Region region = core::Region::na;               // decided now
    core::DataCenter data_center = core::DataCenter::na;  // the one `region` routes to
};

// Looks `unit` up in `na` and in `eu` (both, always) and lists the findings, in FindingKind
// order, each with before / now / seen (seen: "ALMS eu, system <uid>"). Empty: ALMS holds the
// unit once, in its data center, with its ICCID.
core::Result<std::vector<core::Finding>> check_alms(AlmsLookup& na, AlmsLookup& eu,
                                                    const AlmsCheckUnit& unit);

// The hook the retest workflow calls for each unit (identity read now, decided region, the data
// center that region routes to).
using AlmsCheckHook = std::function<core::Result<std::vector<core::Finding>>(
    const core::Identity&, core::Region, core::DataCenter)>;

// A hook over two look-ups (shared: the hook may be copied into several slot threads).
AlmsCheckHook make_alms_check(std::shared_ptr<AlmsLookup> na, std::shared_ptr<AlmsLookup> eu);

}  // namespace station::workflows
