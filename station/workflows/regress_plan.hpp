// The regression night's own steps on the pallet engine (regress.hpp): decide_sku by the
// two-vote rule with the golden slot's profile expected, then in the unit's store write its
// round trips. Each attempt's round trips and transcript tail are kept for the night's
// observations. Internal to the regress workflow.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <profiles/loader.hpp>
#include <station/core/regress.hpp>
#include <station/core/sku_profile.hpp>
#include <station/workflows/unit_plan.hpp>

namespace station::workflows {

// What one unit attempt's AT session showed.
struct AttemptTrace {
    std::vector<core::RoundTrip> round_trips;
    std::string tail;       // the transcript's last lines
    bool recorded = false;  // its round trips were written in its store write
};

class RegressPlan final : public UnitPlan {
  public:
    RegressPlan(const profiles::ProfileSet& profiles, const core::Golden* golden);
    std::unique_ptr<UnitWork> start_unit() const override;

    // The SKU a slot's unit must be (the golden slot's profile); null: any.
    const core::SkuProfile* expected(std::string_view slot) const;
    const profiles::ProfileSet& profiles() const { return m_profiles; }
    const std::vector<core::SkuProfile>& skus() const { return m_skus; }

    // Thread-safe: each unit's work keeps its trace; the night takes it once the run ended.
    void keep(const std::string& slot, int attempt, AttemptTrace trace) const;
    void mark_recorded(const std::string& slot, int attempt) const;
    std::optional<AttemptTrace> take(const std::string& slot, int attempt) const;

  private:
    const profiles::ProfileSet& m_profiles;
    std::vector<core::SkuProfile> m_skus;
    std::map<std::string, std::string, std::less<>> m_expected;  // slot -> profile name
    mutable std::mutex m_lock;
    mutable std::map<std::pair<std::string, int>, AttemptTrace> m_traces;  // guarded by m_lock
};

}  // namespace station::workflows
