#include <station/workflows/provision.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>

#include <station/core/sanitize.hpp>
#include <station/workflows/presence.hpp>
#include <station/workflows/slot_threads.hpp>
#include <station/workflows/unit_steps.hpp>

namespace station::workflows {
namespace {

using core::Outcome;
using core::Reason;

constexpr int k_quarantine_after = 3;  // units in a row ending in ERROR

core::Result<void> check_provision_options(const std::vector<SlotTarget>& slots,
                                           const ProvisionOptions& o) {
    const auto bad = [](std::string m) { return core::fail(Reason::bad_usage, std::move(m)); };
    if (o.profiles == nullptr || o.pallet == nullptr) return bad("no pallet profile");
    if (slots.empty()) return bad("no slots (give --rig FILE or --port PATH)");
    if (o.pallet_id.empty()) return bad("--pallet is empty");
    const auto& terms = o.pallet->sku.terms_years;
    if (std::find(terms.begin(), terms.end(), o.term_years) == terms.end()) {
        return bad("a " + std::to_string(o.term_years) + "-year term is not offered by " +
                   o.pallet->name());
    }
    std::set<std::string> labels;
    for (const auto& slot : slots) {
        if (!labels.insert(slot.label).second) {
            return bad("slot '" + slot.label + "' is given twice");
        }
        if (slot.port.empty() && o.usb == nullptr) {
            return bad("slot '" + slot.label + "' needs USB discovery");
        }
    }
    return {};
}

// The state one slot thread keeps; only its own thread writes it until the join.
struct SlotWork {
    const SlotTarget* target = nullptr;
    std::vector<UnitResult> units;
    bool empty = false;
    bool skipped = false;
    bool quarantined = false;
};

class Pallet {
  public:
    // `quarantined`: slot -> why, read once for the whole run rather than once per slot.
    Pallet(RunContext& run, Presence& presence, std::set<std::string> done,
           std::map<std::string, std::string> quarantined)
        : m_run(run),
          m_presence(presence),
          m_done(std::move(done)),
          m_quarantined(std::move(quarantined)) {}

    void work(SlotWork& w) {
        const auto& o = m_run.options;
        const std::string& label = w.target->label;
        if (!o.slot_turn) {
            const auto q = m_quarantined.find(label);
            work_slot(w, q == m_quarantined.end() ? std::nullopt : std::optional(q->second));
            return;
        }
        const SlotTurn turn = o.slot_turn(label);
        const TurnDone done(o.slot_done, label);
        if (turn == SlotTurn::begin) {
            const auto q = m_quarantined.find(label);
            work_slot(w, q == m_quarantined.end() ? std::nullopt : std::optional(q->second));
        } else if (turn == SlotTurn::after_error) {
            work_slot(w, quarantine_now(label));
        }
    }

  private:
    // Calls the run's slot_done for a slot whose turn came, whatever way its work ends.
    struct TurnDone {
        TurnDone(const std::function<void(const std::string&)>& d, const std::string& l)
            : done(d), label(l) {}
        TurnDone(const TurnDone&) = delete;
        TurnDone& operator=(const TurnDone&) = delete;
        ~TurnDone() {
            if (done) done(label);
        }
        const std::function<void(const std::string&)>& done;
        const std::string& label;
    };

    // A slot whose turn comes after an ERROR of its unit before (slot_turn) is out of service
    // as the store says now: a slot quarantined since by the run before it stays out.
    std::optional<std::string> quarantine_now(const std::string& label) {
        auto listed = m_run.store.quarantine.quarantined_slots();
        if (!listed) {
            const auto q = m_quarantined.find(label);
            return q == m_quarantined.end() ? std::nullopt : std::optional(q->second);
        }
        for (auto& q : *listed) {
            if (q.slot == label) return std::move(q.why);
        }
        return std::nullopt;
    }

    void work_slot(SlotWork& w, const std::optional<std::string>& quarantined) {
        const auto& o = m_run.options;
        const std::string& label = w.target->label;
        if (quarantined) {
            hold_quarantined(w, *quarantined);
            return;
        }
        bool first = true;
        while (!stopped()) {
            emit(EventKind::slot_waiting, label, "waiting for a unit");
            const auto deadline = o.watch ? Presence::Clock::time_point::max()
                                          : Presence::Clock::now() + o.wait_for_unit;
            const auto arrival = m_presence.wait_arrival(label, deadline);
            if (!arrival) {
                if (!stopped() && w.units.empty()) {
                    w.empty = true;
                    emit(EventKind::slot_empty, label, "no unit arrived");
                }
                return;
            }
            if (first && m_done.count(label) != 0U) {
                w.skipped = true;
                emit(EventKind::slot_skipped, label, "already PASS in this run (resume)");
            } else {
                w.units.push_back(run_with_retry(*w.target, *arrival));
                // Only an ERROR can extend a run of ERRORs: other outcomes skip the look-up.
                if (w.units.back().outcome == Outcome::error && quarantine_if_due(label)) {
                    w.quarantined = true;
                    return;
                }
            }
            first = false;
            if (!o.watch) return;
            if (!m_presence.wait_departure(label)) return;
            emit(EventKind::unit_departed, label, "unit unplugged");
        }
    }

    bool stopped() const { return m_run.options.stop && m_run.options.stop->load(); }

    // A quarantined slot tests nothing, but a unit in it is untested: it is listed among the
    // units to pull (ERROR slot_quarantined), never silently skipped. An empty one is skipped.
    void hold_quarantined(SlotWork& w, const std::string& why) {
        const std::string& label = w.target->label;
        const std::string state =
            "quarantined: " + why + " (release with `station rig release " + label + "`)";
        emit(EventKind::slot_skipped, label, state);
        const auto untested = [&](const Arrival& unit) {
            w.units.push_back(record_untested(
                m_run, *w.target,
                {unit.port, "", 1, "check_slot", Reason::slot_quarantined,
                 "slot " + label + " is " + state + ": its unit was not tested; pull it",
                 std::nullopt}));
        };
        if (!m_run.options.watch) {
            if (const auto unit = m_presence.occupant(label)) untested(*unit);
        }
        while (m_run.options.watch && !stopped()) {
            const auto unit = m_presence.wait_arrival(label, Presence::Clock::time_point::max());
            if (!unit) break;
            untested(*unit);
            if (!m_presence.wait_departure(label)) break;
            emit(EventKind::unit_departed, label, "unit unplugged");
        }
        w.skipped = w.units.empty();
    }

    // An ERROR (station or line at fault) gets one more try on the same slot. A unit that hung
    // up (port_lost) is retried once its port is back, within the wait for a unit; when it does
    // not come back the retry says so and keeps the first attempt's port_lost and message.
    UnitResult run_with_retry(const SlotTarget& slot, const Arrival& arrival) {
        UnitResult first = run_unit(m_run, slot, arrival, 1);
        if (first.outcome != Outcome::error || first.released || stopped()) return first;
        if (first.reason != Reason::port_lost) return run_unit(m_run, slot, arrival, 2);
        const auto wait = m_run.options.wait_for_unit;
        const TimePoint waiting = m_run.options.now();
        const auto back = m_presence.wait_return(slot.label, Presence::Clock::now() + wait);
        if (back) return run_unit(m_run, slot, *back, 2);
        if (stopped()) return first;
        return record_untested(m_run, slot,
                               {first.port, first.fsn, 2, "wait_for_unit", Reason::port_lost,
                                first.message + "; the port did not come back within " +
                                    std::to_string(wait.count()) + " ms",
                                waiting});
    }

    bool quarantine_if_due(const std::string& label) {
        auto streak = m_run.store.quarantine.slot_error_streak(label);
        if (!streak || *streak < k_quarantine_after) return false;
        const std::string why =
            std::to_string(*streak) + " units in a row ended in ERROR on this slot";
        auto saved = m_run.store.quarantine.quarantine_slot(label, why, m_run.options.now());
        (void)saved;  // the event below tells the operator either way
        (void)m_run.store.runs.record_event(m_run.run, "slot_quarantined", label + ": " + why,
                                            m_run.options.now());
        emit(EventKind::slot_quarantined, label, why);
        return true;
    }

    void emit(EventKind kind, const std::string& slot, std::string message) {
        Event e;
        e.kind = kind;
        e.at = m_run.options.now();
        e.slot = slot;
        e.message = std::move(message);
        m_run.sink.on_event(e);
    }

    RunContext& m_run;
    Presence& m_presence;
    std::set<std::string> m_done;
    std::map<std::string, std::string> m_quarantined;
};

// A unit that a later one found holding its SIM identity ends as the store says: FAIL.
void apply_holds(UnitResult& unit, const std::vector<store::IdentityHolder>& held) {
    for (const auto& h : held) {
        if (h.changed && unit.result && h.slot_result == unit.result) {
            unit.outcome = Outcome::fail;
            unit.reason = h.reason;
            unit.message = h.message;
        }
    }
}

// --resume decides with the evidence the run began with: the same manifest (by its bytes), or
// none with none. A different packing list could route the rest of the pallet otherwise.
std::optional<std::string> manifest_change(const store::RunRecord& run, const ProvisionOptions& o) {
    const std::string id = "provision: run " + std::to_string(run.id.value);
    const auto& had = run.info.manifest;
    if (had && !o.manifest) {
        return id + " was decided with the manifest " + core::sanitize_for_display(had->path, 256) +
               ": resume it with --manifest";
    }
    if (!had && o.manifest) return id + " was decided without a manifest: resume it without one";
    if (had && o.manifest && had->sha256 != o.manifest->sha256) {
        return id + " was decided with another manifest (" +
               core::sanitize_for_display(had->path, 256) + ", sha256 " + had->sha256 + "); " +
               o.manifest->source() + " differs";
    }
    return std::nullopt;
}

// --resume: the run must be this pallet's. One that already ended (a signal that landed while
// the station was exiting) is returned as it is: resuming it again is a no-op, not an error.
core::Result<std::optional<RunSummary>> check_resume(store::RunLog& runs,
                                                     const ProvisionOptions& o) {
    auto found = runs.run(*o.resume);
    if (!found) return tl::unexpected(found.error());
    if (!*found) return std::optional<RunSummary>();  // resume_run says "no such run"
    const store::RunRecord& run = **found;
    if (run.info.lot != o.pallet_id || run.info.profile != o.pallet->name()) {
        return core::fail(Reason::bad_usage,
                          "provision: run " + std::to_string(o.resume->value) + " was pallet '" +
                              core::sanitize_for_display(run.info.lot, 128) + "' with profile " +
                              core::sanitize_for_display(run.info.profile, 128) + ", not pallet '" +
                              o.pallet_id + "' with " + o.pallet->name());
    }
    if (auto why = manifest_change(run, o)) return core::fail(Reason::bad_usage, *why);
    if (!run.ended || run.interrupted || !run.outcome || *run.outcome == Outcome::aborted) {
        return std::optional<RunSummary>();
    }
    RunSummary summary;
    summary.run = run.id;
    summary.outcome = *run.outcome;
    summary.already_ended = true;
    return std::optional<RunSummary>(std::move(summary));
}

core::Result<store::RunId> start_run(store::RunLog& runs, const ProvisionOptions& o,
                                     std::set<std::string>& done,
                                     std::vector<std::pair<std::string, std::string>>& seen) {
    if (!o.resume) {
        store::RunInfo info{o.mode, o.operator_name, o.pallet_id, o.pallet->name(), o.now()};
        info.station_version = o.station_version;
        if (o.manifest) {
            info.manifest = store::RunManifest{o.manifest->source(), o.manifest->sha256,
                                               static_cast<std::int64_t>(o.manifest->size())};
        }
        info.no_manifest = o.no_manifest;
        if (o.profiles != nullptr) {
            for (const auto& p : o.profiles->profiles) {
                info.profiles.push_back({p.name(), p.source.string(), p.sha256});
            }
            // The shared evidence tables decide as much as any profile: recorded the same way.
            const auto& tables = o.profiles->tables;
            if (!tables.source.empty()) {
                info.profiles.push_back({"networks", tables.source, tables.sha256});
            }
        }
        return runs.begin_run(info);
    }
    auto resumed = runs.resume_run(*o.resume);
    if (!resumed) return tl::unexpected(resumed.error());
    auto rows = runs.results_for_run(*o.resume);
    if (!rows) return tl::unexpected(rows.error());
    for (const auto& row : *rows) {
        if (row.slot.outcome == Outcome::pass) done.insert(row.slot.start.slot);
        if (o.manifest) seen.push_back({row.slot.identity.fsn, row.slot.identity.imei});
    }
    return *o.resume;
}

// The slot threads' start gate.
constexpr int k_wait = 0;
constexpr int k_go = 1;
constexpr int k_abandon = 2;

// Lists the manifest lines no unit matched, keeps them with the run and, with
// --require-complete, makes a complete stop-free run ERROR when any is missing.
core::Result<void> close_manifest(store::RunLog& runs, RunContext& run, RunSummary& summary) {
    const auto* manifest = run.options.manifest;
    if (!manifest) return {};
    std::vector<store::ManifestMissing> kept;
    for (std::size_t i = 0; i < manifest->size(); ++i) {
        if (run.manifest_seen[i]) continue;  // the slot threads are joined: no lock needed
        const auto& line = manifest->lines()[i];
        summary.missing_from_pallet.push_back(line);
        kept.push_back({line.line, line.serial, line.imei, line.part_number});
    }
    if (run.options.require_complete && !kept.empty() && !summary.stopped) {
        summary.outcome = core::worst(summary.outcome, Outcome::error);
        summary.manifest_incomplete = true;
    }
    return runs.record_manifest_missing(run.run, kept);
}

}  // namespace

ProvisionOptions planned_run(const ProvisionOptions& base, std::string lot, store::RunMode mode,
                             const UnitPlan& plan) {
    ProvisionOptions run = base;
    run.pallet_id = std::move(lot);
    run.mode = mode;
    run.manifest = nullptr;
    run.no_manifest = false;
    run.require_complete = false;
    run.resume.reset();
    run.unit_plan = &plan;
    return run;
}

core::Result<RunSummary> provision(const store::Roles& store, const std::vector<SlotTarget>& slots,
                                   const ProvisionOptions& options, EventSink& sink) {
    if (auto ok = check_provision_options(slots, options); !ok) return tl::unexpected(ok.error());
    // Slots out of service, read before the run exists: a store that cannot answer stops here.
    auto listed = store.quarantine.quarantined_slots();
    if (!listed) return tl::unexpected(listed.error());
    std::map<std::string, std::string> quarantined;
    for (auto& q : *listed) quarantined.emplace(std::move(q.slot), std::move(q.why));

    if (options.resume) {
        auto ended = check_resume(store.runs, options);
        if (!ended) return tl::unexpected(ended.error());
        if (*ended) return std::move(**ended);
    }
    const auto started = options.now();
    std::set<std::string> done;
    std::vector<std::pair<std::string, std::string>> seen;  // resume: units met before
    auto run_id = start_run(store.runs, options, done, seen);
    if (!run_id) return tl::unexpected(run_id.error());
    if (options.run_begun) {
        if (auto begun = options.run_begun(*run_id); !begun) {
            (void)store.runs.finish_run(*run_id, Outcome::error, options.now());
            return tl::unexpected(begun.error());
        }
    }

    RunContext run{store, options, sink, *run_id, options.profiles->skus(), nullptr};
    for (const auto& sku : run.skus) {
        if (sku.name == options.pallet->name()) run.pallet_sku = &sku;
    }
    if (options.manifest) {
        run.manifest_seen.assign(options.manifest->size(), false);
        for (const auto& [fsn, imei] : seen) note_manifest_lines(run, fsn, imei);
    }
    {
        Event e;
        e.kind = EventKind::run_started;
        e.run = run_id->value;
        e.at = started;
        const bool rma = options.mode == store::RunMode::retest;
        e.message = "run " + std::to_string(run_id->value) + (rma ? ", RMA " : ", pallet ") +
                    options.pallet_id + ", profile " + options.pallet->name() + ", " +
                    std::to_string(slots.size()) + " slot(s)" +
                    (options.resume ? " (resumed)" : "");
        sink.on_event(e);
    }

    std::vector<SlotWork> work(slots.size());
    std::optional<core::Error> no_thread;
    {
        Presence presence(slots, options.usb, usb_filter(*options.pallet), options.settle,
                          options.poll_interval, options.stop);
        Pallet pallet(run, presence, done, std::move(quarantined));
        // Every slot gets its thread before any starts work: when the system runs out of
        // threads half-way, the started ones leave without touching a unit.
        std::atomic<int> gate{k_wait};
        SlotThreads threads;
        for (std::size_t i = 0; i < slots.size() && !no_thread; ++i) {
            work[i].target = &slots[i];
            auto begun = threads.start([&pallet, &gate, &w = work[i]] {
                gate.wait(k_wait);
                if (gate.load() == k_go) pallet.work(w);
            });
            if (!begun) no_thread = begun.error();
        }
        gate.store(no_thread ? k_abandon : k_go);
        gate.notify_all();
    }  // joins every slot thread, then stops the presence monitor
    if (no_thread) {
        // Slots without a thread were never tested: the run is not a result to trust.
        (void)store.runs.finish_run(*run_id, Outcome::error, options.now());
        return core::fail(Reason::out_of_resources, "provision: " + no_thread->message + " (of " +
                                                        std::to_string(slots.size()) +
                                                        " slots; see `ulimit -u`)");
    }

    RunSummary summary;
    summary.run = *run_id;
    summary.stopped = options.stop && options.stop->load();
    summary.held = std::move(run.held);  // the slot threads are joined: no lock needed
    bool any_unit = false;
    for (const auto& w : work) {
        if (w.empty) summary.empty_slots.push_back(w.target->label);
        if (w.skipped) summary.skipped_slots.push_back(w.target->label);
        if (w.quarantined) summary.quarantined_slots.push_back(w.target->label);
        for (auto u : w.units) {
            apply_holds(u, summary.held);
            summary.units.push_back(u);
            summary.outcome = core::worst(summary.outcome, u.outcome);
            any_unit = true;
        }
    }
    // A stop ends a run before its end (ABORTED); a watch shift has no end of its own, so a stop
    // with no unit in flight is its normal end and its units decide (in-flight units are ABORTED).
    if (summary.stopped && (!options.watch || !any_unit)) summary.outcome = Outcome::aborted;
    if (!any_unit && !summary.stopped && summary.skipped_slots.empty()) {
        summary.outcome = Outcome::error;  // nothing was provisioned: never a silent PASS
    }
    summary.no_manifest = options.no_manifest;
    if (auto missing = close_manifest(store.runs, run, summary); !missing) {
        return tl::unexpected(missing.error());
    }
    const auto ended = options.now();
    summary.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(ended - started);
    if (auto closed = store.runs.finish_run(*run_id, summary.outcome, ended); !closed) {
        return tl::unexpected(closed.error());
    }
    Event e;
    e.kind = EventKind::run_finished;
    e.run = run_id->value;
    e.at = ended;
    e.outcome = summary.outcome;
    e.elapsed = summary.elapsed;
    e.message =
        "run " + std::to_string(run_id->value) + " " + std::string(to_string(summary.outcome));
    sink.on_event(e);
    return summary;
}

}  // namespace station::workflows
