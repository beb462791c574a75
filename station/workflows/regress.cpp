// One regression night (regress.hpp): the iterations on the pallet engine, the observations,
// the judgement against the golden file and the earlier nights, quarantine and the night's end.
#include <station/workflows/regress.hpp>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <station/core/sanitize.hpp>
#include <station/workflows/regress_pipeline.hpp>
#include <station/workflows/regress_plan.hpp>

namespace station::workflows {
namespace {

using core::Outcome;
using core::Reason;

constexpr int k_trend_nights = 30;
constexpr std::chrono::milliseconds k_stop_poll{50};

// Sets the engine's stop flag at the deadline or when the operator's flag is set, until done.
class NightStop {
  public:
    NightStop(const std::atomic<bool>* operator_stop,
              std::optional<std::chrono::steady_clock::time_point> deadline)
        : m_operator(operator_stop), m_deadline(deadline), m_thread([this] { watch(); }) {}
    ~NightStop() {
        {
            const std::lock_guard lock(m_lock);
            m_done = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    NightStop(const NightStop&) = delete;
    NightStop& operator=(const NightStop&) = delete;

    const std::atomic<bool>* flag() const { return &m_stop; }
    bool deadline_reached() const { return m_deadline_reached.load(); }
    bool operator_stopped() const { return m_operator && m_operator->load(); }
    bool stopped() const { return m_stop.load(); }

  private:
    void watch() {
        std::unique_lock lock(m_lock);
        while (!m_done) {
            if (operator_stopped()) {
                m_stop = true;
                return;
            }
            if (m_deadline && std::chrono::steady_clock::now() >= *m_deadline) {
                m_deadline_reached = true;
                m_stop = true;
                return;
            }
            m_wake.wait_for(lock, k_stop_poll);
        }
    }

    const std::atomic<bool>* m_operator;
    std::optional<std::chrono::steady_clock::time_point> m_deadline;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_deadline_reached{false};
    std::mutex m_lock;
    std::condition_variable m_wake;
    bool m_done = false;   // guarded by m_lock
    std::thread m_thread;  // last: starts once every member above is ready
};

core::SlotObservation observe(const UnitResult& unit, const store::SlotRecord* row, int iteration,
                              std::optional<AttemptTrace> trace) {
    core::SlotObservation o;
    o.slot = unit.slot;
    o.iteration = iteration;
    o.outcome = unit.outcome;
    o.reason = unit.reason;
    o.message = unit.message;
    o.took = unit.elapsed;
    o.identity.fsn = unit.fsn;
    if (row) {
        o.identity = row->identity;
        o.profile = row->profile;
        o.region = row->region;
        o.data_center = row->data_center;
    }
    if (trace) {
        o.round_trips = std::move(trace->round_trips);
        o.transcript_tail = std::move(trace->tail);
    }
    return o;
}

// Every slot's observation of one iteration, in slot order: its unit's final attempt, or an
// ERROR for a slot where no unit answered presence. Round trips of attempts that ended before
// their store write are written here, on their slot result.
core::Result<std::vector<core::SlotObservation>> observe_run(const store::Roles& store,
                                                             const RegressPlan& plan,
                                                             const std::vector<SlotTarget>& slots,
                                                             const RunSummary& run, int iteration) {
    auto rows = store.runs.results_for_run(run.run);
    if (!rows) return tl::unexpected(rows.error());
    std::map<std::int64_t, const store::SlotRecord*> by_id;
    for (const auto& row : *rows) by_id[row.slot.id.value] = &row.slot;
    std::vector<core::SlotObservation> seen;
    for (const auto& slot : slots) {
        const auto unit = std::find_if(run.units.rbegin(), run.units.rend(),
                                       [&](const UnitResult& u) { return u.slot == slot.label; });
        if (unit == run.units.rend()) {
            core::SlotObservation none;
            none.slot = slot.label;
            none.iteration = iteration;
            none.outcome = run.stopped ? Outcome::aborted : Outcome::error;
            none.reason = run.stopped ? Reason::aborted : Reason::port_unavailable;
            none.message =
                slot.label + ": no unit answered on " + core::sanitize_for_display(slot.port, 256);
            seen.push_back(std::move(none));
            continue;
        }
        auto trace = plan.take(unit->slot, unit->attempts);
        const store::SlotRecord* row = nullptr;
        if (unit->result) {
            if (const auto r = by_id.find(unit->result->value); r != by_id.end()) row = r->second;
            if (trace && !trace->recorded && !trace->round_trips.empty()) {
                auto saved = store.regress.record_round_trips(*unit->result, trace->round_trips);
                if (!saved) return tl::unexpected(saved.error());
            }
        }
        seen.push_back(observe(*unit, row, iteration, std::move(trace)));
    }
    return seen;
}

// One iteration: a run of the pallet engine over every slot, linked to the night, each slot
// beginning when the pipeline gives it its turn.
core::Result<RunSummary> run_iteration(const store::Roles& store,
                                       const std::vector<SlotTarget>& slots,
                                       const RegressOptions& o, const RegressPlan& plan,
                                       const NightStop& stop, std::optional<std::int64_t> night,
                                       int iteration, SlotPipeline::Hooks hooks,
                                       EventSink& sink) {
    ProvisionOptions run = planned_run(o.run, o.rig, store::RunMode::regress, plan);
    run.watch = false;
    run.stop = stop.flag();
    run.slot_turn = std::move(hooks.turn);
    run.slot_free = std::move(hooks.free);
    run.slot_done = std::move(hooks.done);
    if (night) {
        run.run_begun = [&store, night = *night, iteration](store::RunId id) {
            return store.regress.link_iteration(night, id, iteration);
        };
    }
    return provision(store, slots, run, sink);
}

// A slot the night found at fault is quarantined as provision quarantines one: until a person
// releases it (`station rig release`), its units are listed untested.
void quarantine_rig_faults(const store::Roles& store, const core::RegressReport& report,
                           std::optional<store::RunId> run, TimePoint now) {
    for (const auto& f : report.findings) {
        if (f.kind != core::RegressKind::rig_fault) continue;
        const std::string why = "regression night: rig fault: " + f.detail;
        (void)store.quarantine.quarantine_slot(f.slot, why, now);
        (void)store.runs.record_event(run, "slot_quarantined", f.slot + ": " + why, now);
    }
}

core::Result<void> check_regress_options(const std::vector<SlotTarget>& slots,
                                         const RegressOptions& o) {
    const auto bad = [](std::string what) {
        return core::fail(Reason::bad_usage, std::move(what));
    };
    if (o.run.profiles == nullptr || o.run.pallet == nullptr) return bad("regress: no profiles");
    if (o.rig.empty()) return bad("regress: the rig has no name");
    if (o.iterations < 1) return bad("regress: --iterations must be at least 1");
    if (!o.record_only && o.golden == nullptr) return bad("regress: no golden file");
    if (slots.empty()) return bad("regress: the rig has no slots");
    return {};
}

}  // namespace

std::string transcript_tail(const std::string& rendered, std::size_t lines) {
    std::size_t at = rendered.size();
    if (at > 0 && rendered[at - 1] == '\n') --at;
    for (std::size_t n = 0; at > 0; --at) {
        if (rendered[at - 1] == '\n' && ++n == lines) break;
    }
    return rendered.substr(at);
}

core::Result<RegressNight> regress(const store::Roles& store, const std::vector<SlotTarget>& slots,
                                   const RegressOptions& o, EventSink& sink) {
    if (auto ok = check_regress_options(slots, o); !ok) return tl::unexpected(ok.error());
    RegressNight night;
    if (!o.record_only) {
        auto opened = store.regress.open_night(o.rig, o.golden->path, o.started);
        if (!opened) return tl::unexpected(opened.error());
        night.night = *opened;
    }
    // One plan per iteration: a slot's next unit runs while the iteration before still has
    // units in flight, and each keeps its own traces.
    std::vector<std::unique_ptr<RegressPlan>> plans;
    for (int i = 0; i < o.iterations; ++i) {
        plans.push_back(std::make_unique<RegressPlan>(*o.run.profiles, o.golden));
    }
    std::vector<core::SlotObservation> tonight;
    {
        const NightStop stop(o.stop, o.deadline);
        SlotPipeline pipeline(slots, o.iterations, stop.flag());
        auto runs = pipeline.run([&](int i, SlotPipeline::Hooks hooks) {
            const auto& plan = *plans[static_cast<std::size_t>(i - 1)];
            return run_iteration(store, slots, o, plan, stop, night.night, i, std::move(hooks),
                                 sink);
        });
        for (std::size_t at = 0; at < runs.size(); ++at) {
            if (!runs[at]) return tl::unexpected(runs[at].error());
            // The next iteration's run is begun early; one that a stop left without a single
            // unit never ran: it is not an iteration of the night.
            if (runs[at]->stopped && runs[at]->units.empty() && at > 0) continue;
            const int i = static_cast<int>(at) + 1;
            auto seen = observe_run(store, *plans[at], slots, *runs[at], i);
            if (!seen) return tl::unexpected(seen.error());
            tonight.insert(tonight.end(), seen->begin(), seen->end());
            night.runs.push_back(std::move(*runs[at]));
        }
        night.deadline_reached = stop.deadline_reached();
        night.stopped = stop.stopped();
    }
    if (o.record_only) {
        night.report.observations = std::move(tonight);
        night.report.rig = o.rig;
        night.report.started = o.started;
        night.report.iterations = static_cast<int>(night.runs.size());
        return night;
    }
    const int nights = std::max(o.threshold.baseline_nights, k_trend_nights);
    auto earlier = store.regress.regress_nights(o.rig, o.started, nights);
    if (!earlier) return tl::unexpected(earlier.error());
    night.report = core::evaluate_night(*o.golden, tonight, *earlier, o.threshold, o.started);
    night.report.rig = o.rig;
    night.report.golden = o.golden->path;
    night.report.started = o.started;
    night.report.iterations = static_cast<int>(night.runs.size());
    if (!night.runs.empty()) night.report.run = night.runs.back().run.value;
    night.exit_code = core::regress_exit_code(night.report);
    if (night.stopped) night.exit_code = std::max(night.exit_code, 2);
    const std::optional<store::RunId> last =
        night.runs.empty() ? std::nullopt : std::optional(night.runs.back().run);
    quarantine_rig_faults(store, night.report, last, o.run.now());
    auto finished = store.regress.finish_night(*night.night, night.exit_code, o.run.now());
    if (!finished) return tl::unexpected(finished.error());
    return night;
}

core::Golden golden_from(const std::vector<core::SlotObservation>& observations,
                         const std::vector<SlotTarget>& slots, std::string path) {
    core::Golden golden;
    golden.path = std::move(path);
    for (const auto& slot : slots) {
        const auto seen =
            std::find_if(observations.rbegin(), observations.rend(),
                         [&](const core::SlotObservation& s) { return s.slot == slot.label; });
        core::GoldenSlot g;
        g.slot = slot.label;
        if (seen != observations.rend()) {
            g.fsn = seen->identity.fsn;
            g.imei = seen->identity.imei;
            g.iccid = seen->identity.iccid;
            g.model = seen->identity.model;
            g.firmware = seen->identity.firmware;
            g.profile = seen->profile;
            g.region = seen->region;
            g.data_center = seen->data_center;
            g.verdict = seen->outcome;
        } else {
            g.verdict = Outcome::error;
        }
        golden.slots.push_back(std::move(g));
    }
    return golden;
}

}  // namespace station::workflows
