// The steps of one unit, in order. Each step is a function of the unit's context that returns
// its verdict; the runner stops at the first step that does not pass, writes every step to the
// store as it finishes and emits an event for it.
#include <station/workflows/unit_steps.hpp>

#include <array>
#include <optional>

#include <drivers/at/channel.hpp>
#include <drivers/router/identifier.hpp>
#include <drivers/serial/serial_port.hpp>
#include <drivers/usb/at_port_finder.hpp>
#include <station/core/identifiers.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/sku_decision.hpp>

namespace station::workflows {
namespace {

using core::Outcome;
using core::Reason;

struct Verdict {
    Outcome outcome = Outcome::pass;
    std::optional<Reason> reason;
    std::string message;
};

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
    store::SlotResultId id;
    std::string port;
    std::unique_ptr<drivers::serial::SerialPort> serial;
    std::optional<drivers::at::Channel> channel;
    drivers::router::IdentifyReport report;
    std::optional<core::SkuDecision> decision;
    std::string unit_key;  // FSN, or "imei:<IMEI>" for a module that reports no FSN
    std::unique_lock<std::mutex> identity_claim;  // RunContext::identity_lock, once claimed
};

// --- the steps ---------------------------------------------------------------------------------

Verdict open_port(Unit& u) {
    drivers::serial::Settings settings;
    settings.baud = u.run.options.baud;
    auto port = drivers::serial::open_port(u.port, settings);
    if (!port) return from_error(port.error());
    u.serial = std::move(*port);
    drivers::at::ChannelLimits limits;
    limits.sync_timeout = u.run.options.command_timeout;
    u.channel.emplace(*u.serial, limits, u.run.options.stop);
    return passed(u.port + " open (" + std::string(u.serial->backend_name()) + ")");
}

Verdict identify(Unit& u) {
    const auto& plan = u.run.options.pallet->plan;
    u.report = drivers::router::identify(*u.channel, plan,
                                         {u.run.options.command_timeout, u.run.options.stop,
                                          !u.run.options.no_concat, &u.run.concat_memory});
    if (auto saved = u.run.store.record_transcript(u.id, u.channel->transcript().render());
        !saved) {
        return from_error(saved.error());
    }
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
    u.decision = core::decide_sku(u.report.identity, evidence);
    return {u.decision->outcome, u.decision->reason, u.decision->message};
}

// The unit's manifest line, once the decision matched one.
const core::ManifestLine* manifest_line(const Unit& u) {
    const auto* m = u.run.options.manifest;
    if (!m || !u.decision || !u.decision->manifest_line) return nullptr;
    return &m->lines().at(*u.decision->manifest_line);
}

// What the claiming unit's FAIL says about one other holder and what became of it.
std::string holder_note(const store::IdentityHolder& h) {
    std::string note = store::describe_unit(h.fsn, h.slot, h.run, 40);
    if (h.changed) note += ", whose PASS is now FAIL too";
    switch (h.registration) {
        case store::HeldRegistration::withdrawn:
            return note + ", its registration withdrawn";
        case store::HeldRegistration::sent:
            return note + ", already sent to ALMS: inspect it there";
        case store::HeldRegistration::none:
            break;
    }
    return note;
}

// Tells the screen about held units of this run and keeps every held unit for the summary.
void report_held(Unit& u, const std::vector<store::IdentityHolder>& holders) {
    for (const auto& h : holders) {
        if (h.changed && h.run == u.run.run) {
            Event e;
            e.kind = EventKind::unit_changed;
            e.at = u.run.options.now();
            e.slot = h.slot;
            e.step = "duplicate_held";
            e.fsn = h.fsn;
            e.outcome = Outcome::fail;
            e.reason = h.reason;
            e.message = h.message;
            u.run.sink.on_event(e);
        }
    }
    std::lock_guard lock(u.run.held_lock);
    for (const auto& h : holders) {
        if (h.changed || h.registration != store::HeldRegistration::none) u.run.held.push_back(h);
    }
}

// Checks the unit's ICCID and IMEI against every other unit and records this sighting in one
// store transaction; another unit holding either is a mix-up to inspect: both are held (the
// other one's PASS becomes FAIL, its unsent registration is withdrawn). The run's identity
// lock stays taken until this unit's result is out, so no unit of the run sees it half-way.
Verdict check_duplicates(Unit& u) {
    const auto& id = u.report.identity;
    u.identity_claim = std::unique_lock(u.run.identity_lock);
    auto claim =
        u.run.store.claim_identity({u.unit_key, id.imei, id.iccid, u.run.options.now(), u.id});
    if (!claim) return from_error(claim.error());
    if (!claim->holders.empty()) {
        report_held(u, claim->holders);
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
    return passed(note + "; no other unit holds this ICCID or IMEI");
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
    auto queued = u.run.store.enqueue_registration(reg);
    if (!queued) return from_error(queued.error());
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
    StepRow{"check_duplicates", &check_duplicates},
    StepRow{"queue_registration", &queue_registration},
};

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
    auto found = drivers::usb::find_at_port(*arrival.device, rule, probe);
    if (!found) return from_error(found.error());
    port = found->path;
    return passed("AT port " + port + " (interface " + std::to_string(found->interface_number) +
                  ")");
}

}  // namespace

UnitResult run_unit(RunContext& run, const SlotTarget& slot, const Arrival& arrival, int attempt) {
    const TimePoint started = run.options.now();
    UnitResult result{slot.label, "", arrival.port, Outcome::error, std::nullopt, "", {},
                      attempt,    {}};
    std::string port;
    const Verdict located = find_port(run, arrival, port);
    const TimePoint located_at = run.options.now();
    auto id = run.store.begin_slot(run.run, {slot.label, slot.port_chain, port, attempt, started});
    if (!id) {
        result.reason = id.error().reason;
        result.message = id.error().message;
        Event e;
        e.kind = EventKind::unit_finished;
        e.at = run.options.now();
        e.slot = slot.label;
        e.attempt = attempt;
        e.outcome = core::outcome_of(id.error().reason);
        e.reason = id.error().reason;
        e.message = id.error().message;
        run.sink.on_event(e);
        return result;
    }
    Unit u{run, slot, arrival, *id, port, {}, {}, {}, {}, {}, {}};
    result.result = *id;
    run.sink.on_event(unit_event(EventKind::unit_started, u, started, attempt));

    Verdict verdict = located;
    std::optional<core::Error> store_problem;
    const auto record = [&](std::string_view name, const Verdict& v, TimePoint from, TimePoint to) {
        auto saved = run.store.record_step(
            u.id, {std::string(name), v.outcome, v.reason, v.message, from, to});
        if (!saved && !store_problem) store_problem = saved.error();
        Event e = unit_event(EventKind::step_finished, u, started, attempt);
        e.step = std::string(name);
        e.outcome = v.outcome;
        e.reason = v.reason;
        e.message = v.message;
        run.sink.on_event(e);
    };
    record(arrival.device ? "find_at_port" : "wait_for_unit", located, started, located_at);
    for (const auto& step : k_steps) {
        if (verdict.outcome != Outcome::pass || store_problem) break;
        if (run.options.stop && run.options.stop->load()) {
            verdict = failed(Reason::aborted, slot.label + ": stopped by the operator");
            break;
        }
        const TimePoint from = run.options.now();
        verdict = step.run(u);
        record(step.name, verdict, from, run.options.now());
    }
    if (store_problem) verdict = from_error(*store_problem);
    // A unit the operator stopped is ABORTED in the store as on the screen: an ERROR that a stop
    // cut short says nothing about the slot (it never counts toward quarantine).
    if (verdict.outcome == Outcome::error && verdict.reason != Reason::store_error &&
        run.options.stop && run.options.stop->load()) {
        verdict = failed(Reason::aborted,
                         slot.label + ": stopped by the operator (" + verdict.message + ")");
    }
    u.serial.reset();  // close the port before the unit is reported
    note_manifest_lines(run, u.report.identity.fsn, u.report.identity.imei);

    const auto& identity = u.report.identity;
    result.fsn = identity.fsn;
    result.port = port;
    result.outcome = verdict.outcome;
    result.reason = verdict.reason;
    result.message = verdict.message;
    if (u.decision && u.decision->outcome == Outcome::pass)
        result.data_center = u.decision->data_center;
    const TimePoint ended = run.options.now();
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(ended - started);
    auto finished = run.store.finish_slot(u.id, slot_finish(u, verdict, ended));
    if (!finished) {
        result.outcome = Outcome::error;
        result.reason = finished.error().reason;
        result.message = finished.error().message;
    }
    Event e = unit_event(EventKind::unit_finished, u, started, attempt);
    e.outcome = result.outcome;
    e.reason = result.reason;
    e.message = result.message;
    e.data_center = result.data_center;
    if (u.decision) {
        e.profile = core::decided_profile(*u.decision);
        e.sku_basis = u.decision->basis;
        e.signals = u.decision->signals;
    }
    run.sink.on_event(e);
    if (u.identity_claim.owns_lock()) u.identity_claim.unlock();  // the result is out
    return result;
}

void note_manifest_lines(RunContext& run, std::string_view fsn, std::string_view imei) {
    const auto* manifest = run.options.manifest;
    if (!manifest) return;
    std::lock_guard lock(run.manifest_lock);
    for (const auto line : {fsn.empty() ? std::nullopt : manifest->find_serial(fsn),
                            imei.empty() ? std::nullopt : manifest->find_imei(imei)}) {
        if (line && *line < run.manifest_seen.size()) run.manifest_seen[*line] = true;
    }
}

UnitResult record_untested(RunContext& run, const SlotTarget& slot, const Untested& unit) {
    const TimePoint started = unit.since.value_or(run.options.now());
    const Outcome outcome = core::outcome_of(unit.reason);
    UnitResult result{slot.label,   unit.fsn, unit.port,    outcome, unit.reason,
                      unit.message, {},       unit.attempt, {}};
    note_manifest_lines(run, unit.fsn, {});
    const auto event = [&](EventKind kind) {
        Event e;
        e.kind = kind;
        e.at = run.options.now();
        e.slot = slot.label;
        e.fsn = unit.fsn;
        e.attempt = unit.attempt;
        e.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(e.at - started);
        e.outcome = outcome;
        e.reason = unit.reason;
        e.message = unit.message;
        return e;
    };
    core::Result<void> saved;
    if (auto id = run.store.begin_slot(
            run.run, {slot.label, slot.port_chain, unit.port, unit.attempt, started});
        !id) {
        saved = tl::unexpected(id.error());
    } else {  // no unit_started: nothing is started on the unit
        Event step = event(EventKind::step_finished);
        step.step = std::string(unit.step);
        saved = run.store.record_step(
            *id, {step.step, outcome, unit.reason, unit.message, started, step.at});
        run.sink.on_event(step);
        core::Identity identity;
        identity.fsn = unit.fsn;
        if (saved) {
            saved = run.store.finish_slot(*id, {identity, std::nullopt, std::nullopt, outcome,
                                                unit.reason, unit.message, run.options.now()});
        }
    }
    if (!saved) {
        result.outcome = Outcome::error;
        result.reason = saved.error().reason;
        result.message = saved.error().message;
    }
    Event done = event(EventKind::unit_finished);
    done.outcome = result.outcome;
    done.reason = result.reason;
    done.message = result.message;
    result.elapsed = done.elapsed;
    run.sink.on_event(done);
    return result;
}

}  // namespace station::workflows
