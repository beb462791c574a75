// A run's own steps for each unit after identify and validate, in place of provision's SKU
// decision and store steps (a retest, retest.cpp). unit_steps.cpp runs them with the same
// records, events, retries and store writes as provision's; null in ProvisionOptions: provision.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <drivers/at/transcript.hpp>
#include <station/core/finding.hpp>
#include <station/core/identity.hpp>
#include <station/core/result.hpp>
#include <station/core/sku_decision.hpp>
#include <station/store/records.hpp>
#include <station/store/roles.hpp>

namespace station::workflows {

// One step's verdict.
struct PlanVerdict {
    core::Outcome outcome = core::Outcome::pass;
    std::optional<core::Reason> reason;
    std::string message;
};

// One unit attempt: used from its slot thread, and for the store steps from the store's writer
// thread while the slot thread waits for that write (never both at once).
class UnitWork {
  public:
    virtual ~UnitWork() = default;
    // Which slot and attempt this work is for: called once, before any other step (default:
    // nothing). A regression night (regress_plan.cpp) keys each unit's golden profile by it.
    virtual void begin(std::string_view /*slot*/, int /*attempt*/) {}
    // The unit's AT transcript once its steps and checks ran (its port opened; pass or not),
    // before the port closes (default: nothing; regress_plan.cpp keeps its round trips).
    virtual void transcript(const drivers::at::Transcript& /*transcript*/) {}
    // Replaces the decide_sku step's decision.
    virtual core::SkuDecision decide(const core::Identity& identity) = 0;
    // Steps after decide_sku that may wait (on the store's reads, on ALMS), run while the decision
    // passes, in order, each until one does not pass.
    virtual std::vector<std::string_view> checks() const = 0;
    virtual PlanVerdict check(std::size_t index, const core::Identity& identity,
                              const core::SkuDecision& decision) = 0;
    // Steps run in the unit's one store write with its result (they must not wait), writing
    // through the roles the write hands them: a failure returned undoes the write and ends the
    // unit ERROR store_error.
    virtual std::vector<std::string_view> store_steps() const = 0;
    virtual core::Result<PlanVerdict> store_step(std::size_t index, const store::Roles& write,
                                                 store::SlotResultId slot,
                                                 const core::Identity& identity,
                                                 const core::SkuDecision& decision) = 0;
    // What the unit's result and its unit_finished event carry: the findings so far.
    virtual std::vector<core::Finding> findings() const = 0;

  protected:
    UnitWork() = default;
    UnitWork(const UnitWork&) = default;
    UnitWork& operator=(const UnitWork&) = default;
};

class UnitPlan {
  public:
    virtual ~UnitPlan() = default;
    virtual std::unique_ptr<UnitWork> start_unit() const = 0;

  protected:
    UnitPlan() = default;
    UnitPlan(const UnitPlan&) = default;
    UnitPlan& operator=(const UnitPlan&) = default;
};

}  // namespace station::workflows
