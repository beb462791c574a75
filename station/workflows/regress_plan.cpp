// The regression night's own steps on the pallet engine (regress_plan.hpp).
#include <station/workflows/regress_plan.hpp>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include <drivers/at/round_trips.hpp>
#include <station/core/sku_decision.hpp>
#include <station/workflows/regress.hpp>

namespace station::workflows {
namespace {

// The one decision left among `passing` (profile, its decision): all of one region, the router
// SKUs (profiles with part numbers) over module profiles, exactly one remaining; else none.
std::optional<core::SkuDecision> only_choice(
    std::vector<std::pair<const core::SkuProfile*, core::SkuDecision>> passing) {
    if (passing.empty()) return std::nullopt;
    for (const auto& p : passing) {
        if (p.first->region != passing.front().first->region) return std::nullopt;
    }
    const auto routers = std::count_if(passing.begin(), passing.end(), [](const auto& p) {
        return !p.first->part_numbers.empty();
    });
    if (routers > 1 || (routers == 0 && passing.size() > 1)) return std::nullopt;
    for (auto& [sku, d] : passing) {
        if (routers == 0 || !sku->part_numbers.empty()) return std::move(d);
    }
    return std::nullopt;
}

constexpr std::string_view k_record_round_trips = "record_round_trips";

class RegressWork final : public UnitWork {
  public:
    explicit RegressWork(const RegressPlan& plan) : m_plan(plan) {}
    void begin(std::string_view slot, int attempt) override {
        m_slot = std::string(slot);
        m_attempt = attempt;
    }
    void transcript(const drivers::at::Transcript& transcript) override {
        m_trips = drivers::at::round_trips(transcript);
        m_plan.keep(m_slot, m_attempt, {m_trips, transcript_tail(transcript.render()), false});
    }
    // The two-vote rule on the unit's own signals; the golden slot's profile is the expected
    // one (sku_mismatch when the unit decides another). No manifest: lab units.
    // Without a golden profile (--record-golden), a module several profiles carry is decided
    // with each profile expected in turn; what passes must agree on the region, and one router
    // SKU (a profile with part numbers) must remain (over module profiles); else the
    // undecided FAIL stands: no guess goes into a golden file.
    core::SkuDecision decide(const core::Identity& identity) override {
        const auto* expected = m_plan.expected(m_slot);
        const core::SkuEvidence evidence{m_plan.skus(), &m_plan.profiles().tables, expected,
                                         nullptr};
        auto decision = core::decide_sku(identity, evidence);
        if (expected || decision.outcome == core::Outcome::pass) return decision;
        std::vector<std::pair<const core::SkuProfile*, core::SkuDecision>> passing;
        for (const auto& sku : m_plan.skus()) {
            const core::SkuEvidence as{m_plan.skus(), &m_plan.profiles().tables, &sku, nullptr};
            auto d = core::decide_sku(identity, as);
            if (d.outcome == core::Outcome::pass) passing.emplace_back(&sku, std::move(d));
        }
        return only_choice(std::move(passing)).value_or(decision);
    }
    std::vector<std::string_view> checks() const override { return {}; }
    PlanVerdict check(std::size_t, const core::Identity&, const core::SkuDecision&) override {
        return {};
    }
    // Neither check_duplicates nor queue_registration: the unit's round trips, nothing else.
    std::vector<std::string_view> store_steps() const override { return {k_record_round_trips}; }
    core::Result<PlanVerdict> store_step(std::size_t, const store::Roles& write,
                                         store::SlotResultId slot, const core::Identity&,
                                         const core::SkuDecision&) override {
        if (auto saved = write.regress.record_round_trips(slot, m_trips); !saved) {
            return tl::unexpected(saved.error());
        }
        m_plan.mark_recorded(m_slot, m_attempt);
        return PlanVerdict{core::Outcome::pass, std::nullopt,
                           std::to_string(m_trips.size()) +
                               " round trip(s) recorded; not registered (regression unit)"};
    }
    std::vector<core::Finding> findings() const override { return {}; }

  private:
    const RegressPlan& m_plan;
    std::string m_slot;
    int m_attempt = 1;
    std::vector<core::RoundTrip> m_trips;
};

}  // namespace

RegressPlan::RegressPlan(const profiles::ProfileSet& profiles, const core::Golden* golden)
    : m_profiles(profiles), m_skus(profiles.skus()) {
    if (golden == nullptr) return;
    for (const auto& slot : golden->slots) {
        if (!slot.profile.empty()) m_expected.emplace(slot.slot, slot.profile);
    }
}

std::unique_ptr<UnitWork> RegressPlan::start_unit() const {
    return std::make_unique<RegressWork>(*this);
}

const core::SkuProfile* RegressPlan::expected(std::string_view slot) const {
    const auto named = m_expected.find(slot);
    if (named == m_expected.end()) return nullptr;
    for (const auto& sku : m_skus) {
        if (sku.name == named->second) return &sku;
    }
    return nullptr;
}

void RegressPlan::keep(const std::string& slot, int attempt, AttemptTrace trace) const {
    const std::lock_guard lock(m_lock);
    m_traces[{slot, attempt}] = std::move(trace);
}

void RegressPlan::mark_recorded(const std::string& slot, int attempt) const {
    const std::lock_guard lock(m_lock);
    m_traces[{slot, attempt}].recorded = true;
}

std::optional<AttemptTrace> RegressPlan::take(const std::string& slot, int attempt) const {
    const std::lock_guard lock(m_lock);
    const auto found = m_traces.find({slot, attempt});
    if (found == m_traces.end()) return std::nullopt;
    auto trace = std::move(found->second);
    m_traces.erase(found);
    return trace;
}

}  // namespace station::workflows
