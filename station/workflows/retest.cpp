// The retest's own steps on the pallet engine (retest.hpp): the SKU from the unit's record,
// compare_history, check_alms, and in the unit's store write its findings, --reregister's
// update row and the verdict.
#include <station/workflows/retest.hpp>

#include <algorithm>

#include <station/core/retest.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/sku_decision.hpp>
#include <station/core/text.hpp>
#include <station/workflows/unit_plan.hpp>

namespace station::workflows {
namespace {

using core::Finding;
using core::FindingKind;
using core::Outcome;
using core::Reason;

constexpr std::size_t k_shown = 64;

PlanVerdict passed(std::string message) {
    return {Outcome::pass, std::nullopt, std::move(message)};
}

bool has(const std::vector<Finding>& findings, FindingKind kind) {
    return std::any_of(findings.begin(), findings.end(),
                       [kind](const Finding& f) { return f.kind == kind; });
}

std::string kinds(const std::vector<Finding>& findings) {
    std::vector<std::string> names;
    for (const auto& f : findings) names.emplace_back(to_string(f.kind));
    return core::join(names);
}

class RetestPlan;

class RetestWork final : public UnitWork {
  public:
    explicit RetestWork(const RetestPlan& plan) : m_plan(plan) {}
    core::SkuDecision decide(const core::Identity& identity) override;
    std::vector<std::string_view> checks() const override;
    PlanVerdict check(std::size_t index, const core::Identity& identity,
                      const core::SkuDecision& decision) override;
    std::vector<std::string_view> store_steps() const override;
    core::Result<PlanVerdict> store_step(std::size_t index, const store::Roles& write,
                                         store::SlotResultId slot, const core::Identity& identity,
                                         const core::SkuDecision& decision) override;
    std::vector<Finding> findings() const override { return m_findings; }

  private:
    core::SkuDecision vetoed(const core::Identity& identity, core::SkuDecision by_record,
                             const core::SkuProfile& provisioned) const;
    PlanVerdict compare(const core::Identity& identity, const core::SkuDecision& decision);
    PlanVerdict check_alms(const core::Identity& identity, const core::SkuDecision& decision);
    core::Result<PlanVerdict> queue_update(store::Outbox& outbox, store::SlotResultId slot,
                                           const core::Identity& identity,
                                           const core::SkuDecision& decision);

    const RetestPlan& m_plan;
    core::UnitHistory m_history;
    std::vector<Finding> m_findings;
};

class RetestPlan final : public UnitPlan {
  public:
    RetestPlan(const RetestOptions& o, store::RmaLog& log)
        : options(o), rmas(log), skus(o.run.profiles->skus()) {
        if (o.expected) expected = sku_named(o.expected->name());
    }
    std::unique_ptr<UnitWork> start_unit() const override {
        return std::make_unique<RetestWork>(*this);
    }
    const core::SkuProfile* sku_named(std::string_view name) const {
        for (const auto& s : skus) {
            if (s.name == name) return &s;
        }
        return nullptr;
    }

    // Shared read-only by every unit's work. rmas: the thread-safe role the slot threads read
    // provisioning records from (writes go through the roles each unit's store write hands over).
    const RetestOptions& options;
    store::RmaLog& rmas;
    std::vector<core::SkuProfile> skus;
    const core::SkuProfile* expected = nullptr;
};

constexpr std::string_view k_compare = "compare_history";
constexpr std::string_view k_alms = "check_alms";
constexpr std::string_view k_record_findings = "record_findings";
constexpr std::string_view k_update = "queue_update";
constexpr std::string_view k_verdict = "verdict";

// The record, else the label, else the two-vote rule (--profile as the expected profile).
core::SkuDecision RetestWork::decide(const core::Identity& id) {
    auto history = m_plan.rmas.provisioning_history(id.fsn, id.imei);
    if (!history) {
        core::SkuDecision d;
        d.outcome = Outcome::error;
        d.reason = history.error().reason;
        d.message = history.error().message;
        return d;
    }
    m_history = std::move(*history);
    const auto& record = m_history.by_fsn ? m_history.by_fsn : m_history.by_imei;
    const core::SkuProfile* provisioned = record ? m_plan.sku_named(record->profile) : nullptr;
    const auto& o = m_plan.options;
    const bool labelled = provisioned || !o.part_number.empty();
    core::SkuEvidence ev{m_plan.skus, &o.run.profiles->tables, labelled ? nullptr : m_plan.expected,
                         nullptr};
    ev.history = provisioned;
    if (!provisioned) ev.part_number = o.part_number;
    auto d = core::decide_sku(id, ev);
    if (provisioned && d.reason == Reason::sku_conflicting_signals) {
        return vetoed(id, std::move(d), *provisioned);
    }
    return d;
}

// The unit's signals veto its record: what they decide on their own (two sources agreeing on a
// profile of the record's family) is what it is now, and its compare_history finds
// sku_changed; when they decide nothing the veto's FAIL stands.
core::SkuDecision RetestWork::vetoed(const core::Identity& id, core::SkuDecision by_record,
                                     const core::SkuProfile& provisioned) const {
    for (const auto& sku : m_plan.skus) {
        if (sku.family != provisioned.family || sku.name == provisioned.name) continue;
        const core::SkuEvidence alone{m_plan.skus, &m_plan.options.run.profiles->tables, &sku,
                                      nullptr};
        auto now = core::decide_sku(id, alone);
        if (now.outcome != Outcome::pass) continue;
        now.signals.insert(now.signals.begin(), by_record.signals.front());
        now.message =
            "the unit's signals veto its record (" + by_record.message + "); now " + now.message;
        return now;
    }
    return by_record;
}

std::vector<std::string_view> RetestWork::checks() const {
    if (m_plan.options.alms_check) return {k_compare, k_alms};
    return {k_compare};
}

PlanVerdict RetestWork::check(std::size_t index, const core::Identity& id,
                              const core::SkuDecision& decision) {
    return index == 0 ? compare(id, decision) : check_alms(id, decision);
}

PlanVerdict RetestWork::compare(const core::Identity& id, const core::SkuDecision& decision) {
    const core::RetestedUnit now{id, core::decided_profile(decision), decision.region};
    m_findings = core::compare_history(m_history, now);
    if (m_findings.empty()) return passed("as provisioned: nothing changed");
    return passed(std::to_string(m_findings.size()) + " finding(s): " + kinds(m_findings));
}

// ALMS could not answer: ERROR with its reason (never a PASS without the look-up).
PlanVerdict RetestWork::check_alms(const core::Identity& id, const core::SkuDecision& decision) {
    auto found = m_plan.options.alms_check(id, *decision.region, *decision.data_center);
    if (!found) return {Outcome::error, found.error().reason, found.error().message};
    m_findings.insert(m_findings.end(), found->begin(), found->end());
    std::stable_sort(m_findings.begin(), m_findings.end(),
                     [](const Finding& a, const Finding& b) { return a.kind < b.kind; });
    if (found->empty()) return passed("ALMS holds the unit as expected");
    return passed("ALMS: " + kinds(*found));
}

std::vector<std::string_view> RetestWork::store_steps() const {
    if (m_plan.options.reregister) return {k_record_findings, k_update, k_verdict};
    return {k_record_findings, k_verdict};
}

core::Result<PlanVerdict> RetestWork::store_step(std::size_t index, const store::Roles& write,
                                                 store::SlotResultId slot, const core::Identity& id,
                                                 const core::SkuDecision& decision) {
    const auto name = store_steps().at(index);
    if (name == k_record_findings) {
        if (auto saved = write.rmas.record_findings(slot, m_findings); !saved) {
            return tl::unexpected(saved.error());
        }
        return passed(std::to_string(m_findings.size()) + " finding(s) recorded");
    }
    if (name == k_update) return queue_update(write.outbox, slot, id, decision);
    const auto v = retest_verdict(m_findings);
    return PlanVerdict{v.outcome, v.reason, v.message};
}

// --reregister: a unit whose only remedy is re-registering (its SIM changed, nothing to scrap it
// for) gets an outbox `update` row for its new ICCID, in the data center it is registered in.
core::Result<PlanVerdict> RetestWork::queue_update(store::Outbox& outbox, store::SlotResultId slot,
                                                   const core::Identity& id,
                                                   const core::SkuDecision& decision) {
    const bool swapped =
        has(m_findings, FindingKind::sim_swapped) || has(m_findings, FindingKind::alms_iccid_stale);
    if (!swapped) return passed("the SIM is as registered: nothing to re-register");
    if (core::action_for(m_findings) != core::DepotAction::re_register) {
        return passed("not re-registered: the unit is to be scrapped (" + kinds(m_findings) + ")");
    }
    const auto& o = m_plan.options;
    const auto& record = m_history.by_fsn ? m_history.by_fsn : m_history.by_imei;
    const auto dc = record && record->data_center ? *record->data_center : *decision.data_center;
    store::Registration reg{id.fsn.empty() ? "imei:" + id.imei : id.fsn,
                            id.fsn,
                            id.imei,
                            id.iccid,
                            id.imsi,
                            dc,
                            o.run.term_years,
                            o.run.po,
                            std::string(),
                            slot,
                            o.run.now()};
    reg.region = decision.region;
    reg.action = store::OutboxAction::update;
    auto queued = outbox.enqueue_registration(reg);
    if (!queued) return tl::unexpected(queued.error());
    const std::string where = std::string(to_string(dc)) + " data center";
    const std::string iccid = core::sanitize_for_display(id.iccid, 32);
    switch (*queued) {
        case store::Enqueued::queued:
            return passed("update to ICCID " + iccid + " queued for the " + where +
                          " (`station register push` carries it out)");
        case store::Enqueued::already_queued:
            return passed("update already queued for the " + where + " (not queued twice)");
        case store::Enqueued::queued_for_other_data_center:
            return PlanVerdict{Outcome::fail, Reason::sku_conflicting_signals,
                               "an update is already queued for the other data center; the unit "
                               "is registered in the " +
                                   where + ": not queued"};
    }
    return PlanVerdict{Outcome::error, Reason::store_error, "unknown enqueue result"};
}

}  // namespace

std::string describe_finding(const Finding& f) {
    std::string text(to_string(f.kind));
    std::vector<std::string> parts;
    if (!f.before.empty() || !f.now.empty()) {
        parts.push_back(core::sanitize_for_display(f.before.empty() ? "-" : f.before, k_shown) +
                        " -> " + core::sanitize_for_display(f.now.empty() ? "-" : f.now, k_shown));
    }
    if (!f.seen.empty()) parts.push_back(core::sanitize_for_display(f.seen, 128));
    return parts.empty() ? text : text + " (" + core::join(parts) + ")";
}

std::string retest_action(Outcome outcome, const std::vector<Finding>& findings) {
    if (outcome == Outcome::pass) return std::string(to_string(core::action_for(findings)));
    if (outcome != Outcome::fail) return {};
    if (findings.empty()) return "inspect";
    return std::string(to_string(core::action_for(findings)));
}

RetestVerdict retest_verdict(const std::vector<Finding>& findings) {
    std::vector<std::string> listed;
    for (const auto& f : findings) listed.push_back(describe_finding(f));
    const std::string action(to_string(core::action_for(findings)));
    if (const auto reason = core::first_blocking(findings)) {
        return {Outcome::fail, reason, core::join(listed, "; ") + "; action: " + action};
    }
    if (listed.empty()) return {Outcome::pass, std::nullopt, "ready to ship back"};
    return {Outcome::pass, std::nullopt, "ready to ship back; noted: " + core::join(listed, "; ")};
}

core::Result<RunSummary> retest(const store::Roles& store, const std::vector<SlotTarget>& slots,
                                const RetestOptions& options, EventSink& sink) {
    store::RmaLog& rmas = store.rmas;
    if (options.rma.empty()) return core::fail(Reason::bad_usage, "retest: --rma is empty");
    if (options.run.profiles == nullptr) return core::fail(Reason::bad_usage, "no profiles");
    auto opened = rmas.open_rma({options.rma, options.customer, options.note,
                                 options.run.operator_name, options.run.now()});
    if (!opened) return tl::unexpected(opened.error());
    const RetestPlan plan(options, rmas);
    ProvisionOptions run = planned_run(options.run, options.rma, store::RunMode::retest, plan);
    run.run_begun = [&rmas, &options](store::RunId id) { return rmas.link_run(id, options.rma); };
    return provision(store, slots, run, sink);
}

}  // namespace station::workflows
