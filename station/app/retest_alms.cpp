// --alms-check's hook. The ALMS look-ups (both data centers, by IMEI) are wired here at merge;
// until then every unit is answered alms_unavailable (ERROR), never a silent PASS.
#include <station/app/retest_alms.hpp>

namespace station::app {

core::Result<workflows::AlmsCheck> retest_alms_check(const std::string& credentials) {
    (void)credentials;  // the look-ups read it once wired
    return workflows::AlmsCheck([](const core::Identity&, core::Region,
                                   core::DataCenter) -> core::Result<std::vector<core::Finding>> {
        return core::fail(core::Reason::alms_unavailable,
                          "alms_unavailable: ALMS check not wired in this build");
    });
}

}  // namespace station::app
