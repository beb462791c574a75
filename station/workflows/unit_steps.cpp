// The steps of one unit, in order. Each step is a function of the unit's context that returns
// its verdict; the runner stops at the first step that does not pass, writes every step to the
// store as it finishes and emits an event for it.
#include <station/workflows/unit_steps.hpp>
#include <station/workflows/central_check.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>

#include <drivers/router/identifier.hpp>
#include <drivers/usb/at_port_finder.hpp>
#include <station/core/identifiers.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/sku_decision.hpp>
#include <station/workflows/at_line.hpp>
#include <station/workflows/unit_plan.hpp>

namespace station::workflows {
namespace {

using core::Outcome;
using core::Reason;

using Verdict = PlanVerdict;

Verdict passed(std::string message) {
    return {Outcome::pass, std::nullopt, std::move(message)};
}
Verdict failed(Reason reason, std::string message) {
    return {core::outcome_of(reason), reason, std::move(message)};
}
Verdict from_error(const core::Error& e) {
    return failed(e.reason, e.message);
}

struct Unit {
    RunContext& run;
    const SlotTarget& slot;
    const Arrival& arrival;
    store::SlotWriter& log;  // the unit's writes, queued without waiting for their commits
    std::string port;
    AtLine line;  // the port and its AT channel, once open_port ran
    drivers::router::IdentifyReport report;
    std::optional<core::SkuDecision> decision;
    std::string unit_key;  // FSN, or "imei:<IMEI>" for a module that reports no FSN
    // Set by the store steps (on the store's writer thread, see store_steps): the slot result,
    // the roles of the write they run in, a store call that failed, the units found holding
    // this unit's SIM identity.
    store::SlotResultId id{};
    const store::Roles* write = nullptr;
    std::optional<core::Error> store_failure;
    std::vector<store::IdentityHolder> holders;
    std::unique_ptr<UnitWork> work{};  // the run's own steps (unit_plan.hpp); null: provision's
};

// --- the steps ---------------------------------------------------------------------------------

Verdict open_port(Unit& u) {
    const auto& o = u.run.options;
    LineOptions line;
    line.settings.baud = o.baud;
    line.sync_timeout = o.command_timeout;
    line.stop = o.stop;
    if (auto opened = open_line(u.line, o.open_port, u.port, line); !opened) {
        return from_error(opened.error());
    }
    return passed(u.port + " open (" + std::string(u.line.port->backend_name()) + ")");
}

Verdict identify(Unit& u) {
    const auto& plan = u.run.options.pallet->plan;
    u.report = drivers::router::identify(*u.line.channel, plan,
                                         {u.run.options.command_timeout, u.run.options.stop,
                                          !u.run.options.no_concat, &u.run.concat_memory});
    u.log.record_transcript(u.line.channel->transcript().render());
    const auto& v = u.report.verdict;
    return {v.outcome, v.reason, v.message};
}

// Defence in depth: identify validated both already; a PASS must never rest on a bad value.
Verdict validate(Unit& u) {
    const auto& id = u.report.identity;
    if (const auto check = core::check_imei(id.imei); check != core::IdCheck::ok) {
        return failed(Reason::imei_invalid, u.port + ": IMEI '" +
                                                core::sanitize_for_display(id.imei, 32) + "' " +
                                                std::string(to_string(check)));
    }
    if (const auto check = core::check_iccid(id.iccid); check != core::IdCheck::ok) {
        return failed(Reason::iccid_invalid, u.port + ": ICCID '" +
                                                 core::sanitize_for_display(id.iccid, 32) + "' " +
                                                 std::string(to_string(check)));
    }
    u.unit_key = id.fsn.empty() ? "imei:" + id.imei : id.fsn;
    return passed("IMEI " + id.imei + " and ICCID " + id.iccid + " valid");
}

Verdict decide_sku(Unit& u) {
    const auto& o = u.run.options;
    core::SkuEvidence evidence{u.run.skus, &o.profiles->tables, u.run.pallet_sku, o.manifest};
    u.decision =
        u.work ? u.work->decide(u.report.identity) : core::decide_sku(u.report.identity, evidence);
    return {u.decision->outcome, u.decision->reason, u.decision->message};
}

// The unit's manifest line, once the decision matched one.
const core::ManifestLine* manifest_line(const Unit& u) {
    const auto* m = u.run.options.manifest;
    if (!m || !u.decision || !u.decision->manifest_line) return nullptr;
    return &m->lines().at(*u.decision->manifest_line);
}

// Checks the unit's ICCID and IMEI against every other unit and records this sighting; another
// unit holding either is a mix-up to inspect: both are held (the other one's PASS becomes FAIL,
// its unsent registration is withdrawn). A store step: it runs in the unit's last write, with
// its result, so no other unit's check ever finds this one half-way.
Verdict check_duplicates(Unit& u) {
    const auto& id = u.report.identity;
    auto claim =
        u.write->units.claim_identity({u.unit_key, id.imei, id.iccid, u.run.options.now(), u.id});
    if (!claim) {
        u.store_failure = claim.error();
        return from_error(claim.error());
    }
    u.holders = claim->holders;  // shown once the claim is committed
    if (!claim->holders.empty()) {
        const auto& first = claim->holders.front();
        const std::string key = first.reason == Reason::duplicate_iccid ? "ICCID " : "IMEI ";
        std::string message = key + core::sanitize_for_display(first.value, 32) + " is also on ";
        for (const auto& h : claim->holders) {
            if (&h != &first) message += "; ";
            if (h.reason != first.reason) {
                message += "IMEI " + core::sanitize_for_display(h.value, 32) + " on ";
            }
            message += holder_note(h);
        }
        return failed(first.reason, message + ": both held to inspect");
    }
    const auto& change = claim->change;
    std::string note = change.new_unit ? "new unit" : "known unit";
    if (change.previous_iccid) {
        note += "; SIM swapped since last seen (was ICCID " +
                core::sanitize_for_display(*change.previous_iccid, 32) + ")";
    }
    auto* central = u.run.options.central;
    if (central == nullptr) return passed(note + "; no other unit holds this ICCID or IMEI");
    auto others = central->holders(u.unit_key, id.imei, id.iccid);
    if (!others) {
        return passed(note + "; no other unit here holds this ICCID or IMEI; central: unreachable");
    }
    if (others->empty()) {
        return passed(note + "; no other unit here or at other stations holds this ICCID or IMEI");
    }
    const auto& first = others->front();
    const std::string key = first.reason == Reason::duplicate_iccid ? "ICCID " : "IMEI ";
    return failed(first.reason, key + core::sanitize_for_display(first.value, 32) +
                                    " is also on unit " + core::sanitize_for_display(first.fsn, 32) +
                                    " at station " + core::sanitize_for_display(first.station, 64) +
                                    " (central database): held to inspect");
}

Verdict queue_registration(Unit& u) {
    const auto& id = u.report.identity;
    const auto dc = *u.decision->data_center;
    // The manifest line's purchase order and company win over --po.
    const auto* line = manifest_line(u);
    store::Registration reg{u.unit_key,
                            id.fsn,
                            id.imei,
                            id.iccid,
                            id.imsi,
                            dc,
                            u.run.options.term_years,
                            line && !line->po.empty() ? line->po : u.run.options.po,
                            line ? line->company : std::string(),
                            u.id,
                            u.run.options.now()};
    reg.region = u.decision->region;  // the guard's word at push time
    auto queued = u.write->outbox.enqueue_registration(reg);
    if (!queued) {
        u.store_failure = queued.error();
        return from_error(queued.error());
    }
    const std::string where = std::string(to_string(dc)) + " data center";
    switch (*queued) {
        case store::Enqueued::queued:
            return passed("queued for the " + where + ", " +
                          std::to_string(u.run.options.term_years) + "-year term");
        case store::Enqueued::already_queued:
            return passed("already queued for the " + where + " (not queued twice)");
        case store::Enqueued::queued_for_other_data_center:
            return failed(Reason::sku_conflicting_signals,
                          "unit is already queued for the other data center; decided " + where +
                              " now: not queued");
    }
    return failed(Reason::store_error, "unknown enqueue result");
}

struct StepRow {
    std::string_view name;
    Verdict (*run)(Unit&);
};

// The unit's steps, in order (waiting for the unit and finding its AT port come before).
constexpr std::array k_steps{
    StepRow{"open_port", &open_port},
    StepRow{"identify", &identify},
    StepRow{"validate", &validate},
    StepRow{"decide_sku", &decide_sku},
};
// Then the steps that only read and write the store: they run with the unit's result in one
// write on the store's writer thread (store_steps).
constexpr std::array k_store_steps{
    StepRow{"check_duplicates", &check_duplicates},
    StepRow{"queue_registration", &queue_registration},
};

// The store steps of this unit: provision's, or its plan's (a plan's failure undoes the write).
std::vector<std::pair<std::string_view, std::function<Verdict(Unit&)>>> store_step_list(Unit& u) {
    std::vector<std::pair<std::string_view, std::function<Verdict(Unit&)>>> steps;
    if (!u.work) {
        for (const auto& step : k_store_steps) steps.emplace_back(step.name, step.run);
        return steps;
    }
    const auto names = u.work->store_steps();
    for (std::size_t i = 0; i < names.size(); ++i) {
        steps.emplace_back(names[i], [i](Unit& unit) {
            auto v = unit.work->store_step(i, *unit.write, unit.id, unit.report.identity,
                                           *unit.decision);
            if (v) return *v;
            unit.store_failure = v.error();
            return from_error(v.error());
        });
    }
    return steps;
}

// What the store keeps of the unit: identity, the decision with its votes, the verdict.
store::SlotFinish slot_finish(const Unit& u, const Verdict& verdict, TimePoint ended) {
    const auto* d = u.decision ? &*u.decision : nullptr;
    store::SlotFinish f{u.report.identity,
                        d ? d->region : std::nullopt,
                        d ? d->data_center : std::nullopt,
                        verdict.outcome,
                        verdict.reason,
                        verdict.message,
                        ended};
    if (!d) return f;
    f.profile = core::decided_profile(*d);
    if (d->basis) f.sku_basis = std::string(to_string(*d->basis));
    for (const auto& s : d->signals) f.signals.push_back({s.source, s.value, s.vote, s.basis});
    return f;
}

Event unit_event(EventKind kind, const Unit& u, TimePoint started, int attempt) {
    Event e;
    e.kind = kind;
    e.at = u.run.options.now();
    e.slot = u.slot.label;
    e.fsn = u.report.identity.fsn;
    e.attempt = attempt;
    e.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(e.at - started);
    return e;
}

// Finds the AT port of a USB unit (the profile's pinned interface, or probing each tty).
Verdict find_port(const RunContext& run, const Arrival& arrival, std::string& port) {
    if (!arrival.device) {
        port = arrival.port;
        return passed(port);
    }
    drivers::usb::AtPortRule rule{run.options.pallet->usb.at_interface};
    drivers::usb::ProbeOptions probe;
    probe.settings.baud = run.options.baud;
    probe.open = run.options.open_port;
    auto found = drivers::usb::find_at_port(*arrival.device, rule, probe);
    if (!found) return from_error(found.error());
    port = found->path;
    return passed("AT port " + port + " (interface " + std::to_string(found->interface_number) +
                  ")");
}

bool stopped(const RunContext& run) {
    return run.options.stop && run.options.stop->load();
}

// A unit the operator stopped is ABORTED in the store as on the screen: an ERROR that a stop
// cut short says nothing about the slot (it never counts toward quarantine).
Verdict after_stop(const Unit& u, Verdict verdict) {
    if (verdict.outcome == Outcome::error && verdict.reason != Reason::store_error &&
        stopped(u.run)) {
        return failed(Reason::aborted,
                      u.slot.label + ": stopped by the operator (" + verdict.message + ")");
    }
    return verdict;
}

// How the unit ends: its verdict, and what to show, in order, once it is stored.
struct Ending {
    Verdict verdict;
    TimePoint ended;
    std::vector<Event> steps;           // the store steps' step_finished events
    std::optional<std::uint64_t> turn;  // its place among the run's store steps (in_turn)
};

// The store steps and the unit's result, run by the store's writer inside one write
// (SlotWriter::write), through the roles it hands them: check_duplicates sees every other unit
// either not yet claimed or finished. Any store failure undoes the whole write. Must not wait on
// anything: events are kept for after.
core::Result<void> store_steps(Unit& u, Ending& end, const store::Roles& write,
                               store::SlotResultId id, TimePoint started, int attempt) {
    end.turn = u.run.next_turn++;
    u.id = id;
    u.write = &write;
    for (const auto& [name, run_step] : store_step_list(u)) {
        if (end.verdict.outcome != Outcome::pass) break;
        if (stopped(u.run)) {
            end.verdict = failed(Reason::aborted, u.slot.label + ": stopped by the operator");
            break;
        }
        const TimePoint from = u.run.options.now();
        end.verdict = run_step(u);
        if (u.store_failure) return tl::unexpected(*u.store_failure);
        const Verdict& v = end.verdict;
        const TimePoint to = u.run.options.now();
        auto saved = write.runs.record_step(
            id, {std::string(name), v.outcome, v.reason, v.message, from, to});
        if (!saved) return saved;
        Event e = unit_event(EventKind::step_finished, u, started, attempt);
        e.step = std::string(name);
        e.outcome = v.outcome;
        e.reason = v.reason;
        e.message = v.message;
        end.steps.push_back(std::move(e));
    }
    end.verdict = after_stop(u, end.verdict);
    end.ended = u.run.options.now();
    return write.runs.finish_slot(id, slot_finish(u, end.verdict, end.ended));
}

// Runs `show` once every unit whose store steps ran before this one's (an earlier turn) has
// shown its own: a unit that a later one holds is shown finished before it is shown changed.
// Nobody waits: `show` is left for the turn, and the one thread showing at a time shows every
// turn that is ready in order (a wait per unit woke every waiting slot thread at each turn,
// which made a 512-slot pallet's results trickle out over most of a second).
void in_turn(RunContext& run, std::optional<std::uint64_t> turn, std::function<void()> show) {
    if (!turn) {
        show();
        return;
    }
    std::unique_lock lock(run.turn_lock);
    run.turn_shows.emplace(*turn, std::move(show));
    if (run.turn_showing) return;  // the thread showing now shows this one in its turn
    run.turn_showing = true;
    for (auto next = run.turn_shows.find(run.shown_turns); next != run.turn_shows.end();
         next = run.turn_shows.find(run.shown_turns)) {
        auto ready = std::move(next->second);
        run.turn_shows.erase(next);
        lock.unlock();
        ready();
        lock.lock();
        ++run.shown_turns;
    }
    run.turn_showing = false;
}

// Ends the unit: a unit that passed its own steps gets its store steps and result in one write;
// any other (or one whose writes failed) its result alone, after its queued writes.
Ending end_unit(Unit& u, Verdict verdict, TimePoint started, int attempt) {
    Ending end{verdict, {}, {}, std::nullopt};
    if (verdict.outcome == Outcome::pass && !u.log.failure()) {
        auto written = u.log.write("store steps of slot " + u.slot.label,
                                   [&](store::SlotResultId id, const store::Roles& write) {
                                       return store_steps(u, end, write, id, started, attempt);
                                   });
        if (written) return end;
        in_turn(u.run, end.turn, [] {});  // nothing of it is stored: nothing to show in turn
        u.holders.clear();                // the claim was undone
        end = Ending{from_error(written.error()), {}, {}, std::nullopt};
    }
    if (auto settled = u.log.settle(); !settled) end.verdict = from_error(settled.error());
    end.verdict = after_stop(u, end.verdict);
    end.ended = u.run.options.now();
    if (const auto id = u.log.id()) {
        auto finished = u.run.store.runs.finish_slot(*id, slot_finish(u, end.verdict, end.ended));
        if (!finished) end.verdict = from_error(finished.error());
    }
    return end;
}

}  // namespace

UnitResult run_unit(RunContext& run, const SlotTarget& slot, const Arrival& arrival, int attempt) {
    const TimePoint started = run.options.now();
    UnitResult result{slot.label, "", arrival.port, Outcome::error, std::nullopt, "", {},
                      attempt,    {}};
    std::string port;
    const Verdict located = find_port(run, arrival, port);
    const TimePoint located_at = run.options.now();
    // Queued, not waited for: the unit's bookkeeping goes to the disk while it is tested.
    const auto log =
        run.store.runs.open_slot(run.run, {slot.label, slot.port_chain, port, attempt, started});
    Unit u{run, slot, arrival, *log, port, {}, {}, {}, {}, {}, {}, {}, {}, {}};
    if (run.options.unit_plan) {
        u.work = run.options.unit_plan->start_unit();
        u.work->begin(slot.label, attempt);
    }
    run.sink.on_event(unit_event(EventKind::unit_started, u, started, attempt));

    Verdict verdict = located;
    const auto record = [&](std::string_view name, const Verdict& v, TimePoint from, TimePoint to) {
        log->record_step({std::string(name), v.outcome, v.reason, v.message, from, to});
        Event e = unit_event(EventKind::step_finished, u, started, attempt);
        e.step = std::string(name);
        e.outcome = v.outcome;
        e.reason = v.reason;
        e.message = v.message;
        run.sink.on_event(e);
    };
    record(arrival.device ? "find_at_port" : "wait_for_unit", located, started, located_at);
    for (const auto& step : k_steps) {
        if (verdict.outcome != Outcome::pass || log->failure()) break;
        if (stopped(run)) {
            verdict = failed(Reason::aborted, slot.label + ": stopped by the operator");
            break;
        }
        const TimePoint from = run.options.now();
        verdict = step.run(u);
        record(step.name, verdict, from, run.options.now());
    }
    const auto checks = u.work ? u.work->checks() : std::vector<std::string_view>{};
    for (std::size_t i = 0; i < checks.size(); ++i) {  // the plan's checks (unit_plan.hpp)
        if (verdict.outcome != Outcome::pass || log->failure() || stopped(run)) break;
        const TimePoint from = run.options.now();
        verdict = u.work->check(i, u.report.identity, *u.decision);
        record(checks[i], verdict, from, run.options.now());
    }
    if (u.work && u.line.channel) u.work->transcript(u.line.channel->transcript());
    u.line.close();  // close the port before the unit is reported
    // A pipeline (regress) may start the slot's next unit while this one's result is written;
    // not after an ERROR, which is retried on the same port.
    if (run.options.slot_free && verdict.outcome != Outcome::error && !stopped(run)) {
        run.options.slot_free(slot.label);
        result.released = true;
    }
    note_manifest_lines(run, u.report.identity.fsn, u.report.identity.imei);

    const Ending end = end_unit(u, verdict, started, attempt);
    result.result = log->id();
    result.fsn = u.report.identity.fsn;
    result.port = port;
    result.outcome = end.verdict.outcome;
    result.reason = end.verdict.reason;
    result.message = end.verdict.message;
    if (u.decision && u.decision->outcome == Outcome::pass)
        result.data_center = u.decision->data_center;
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(end.ended - started);
    Event e = unit_event(EventKind::unit_finished, u, started, attempt);
    e.outcome = result.outcome;
    e.reason = result.reason;
    e.message = result.message;
    e.data_center = result.data_center;
    if (u.work) {
        result.findings = u.work->findings();
        e.findings = result.findings;
    }
    if (u.decision) {
        e.profile = core::decided_profile(*u.decision);
        e.sku_basis = u.decision->basis;
        e.signals = u.decision->signals;
    }
    in_turn(run, end.turn,
            [&run, holders = std::move(u.holders), steps = std::move(end.steps), e = std::move(e)] {
                report_held(run, holders);
                for (const auto& step : steps) run.sink.on_event(step);
                run.sink.on_event(e);
            });
    return result;
}

}  // namespace station::workflows
