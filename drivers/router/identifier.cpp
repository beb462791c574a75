#include <drivers/router/identifier.hpp>
#include <drivers/router/identifier_internal.hpp>

#include <algorithm>
#include <optional>

#include <drivers/at/parsers.hpp>
#include <station/core/identifiers.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>

namespace drivers::router::detail {
namespace {

using station::core::IdCheck;
using station::core::Outcome;
using station::core::Reason;
using station::core::sanitize_for_display;
using station::core::SimStatus;

// Longest the first command of a session waits before the full resync takes over.
constexpr std::chrono::milliseconds k_first_answer_timeout{1000};

// CME error codes of SIM states (27.007 9.2.1) and what each means for the unit.
struct SimCme {
    int code;
    Reason reason;
    SimStatus status;
};
constexpr std::array k_sim_cme{SimCme{10, Reason::sim_not_inserted, SimStatus::not_inserted},
                               SimCme{11, Reason::sim_pin_required, SimStatus::pin_required},
                               SimCme{12, Reason::sim_puk_required, SimStatus::puk_required},
                               SimCme{13, Reason::sim_failure, SimStatus::failure},
                               SimCme{14, Reason::sim_busy, SimStatus::busy},
                               SimCme{15, Reason::sim_failure, SimStatus::failure}};

std::optional<SimCme> sim_cme_of(const at::FinalResult& final) {
    if (final.kind != at::FinalKind::cme_error || !final.code) return std::nullopt;
    for (const auto& row : k_sim_cme) {
        if (row.code == *final.code) return row;
    }
    return std::nullopt;
}

std::optional<Reason> reason_of_sim(SimStatus status) {
    switch (status) {
        case SimStatus::pin_required:
            return Reason::sim_pin_required;
        case SimStatus::puk_required:
            return Reason::sim_puk_required;
        case SimStatus::not_inserted:
            return Reason::sim_not_inserted;
        case SimStatus::failure:
            return Reason::sim_failure;
        case SimStatus::busy:
            return Reason::sim_busy;
        case SimStatus::other:
            return Reason::sim_failure;
        case SimStatus::ready:
        case SimStatus::unknown:
            return std::nullopt;
    }
    return std::nullopt;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
    if (value.empty()) return;
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

void Identifier::stop(Outcome outcome, Reason reason, std::string message) {
    m_stopped = true;
    m_report.verdict = {outcome, reason, std::move(message)};
}

void Identifier::fail_once(Reason reason, std::string message) {
    if (m_fail_reason) return;
    m_fail_reason = reason;
    m_fail_message = std::move(message);
}

IdentifyReport Identifier::run(const IdentityPlan& plan) {
    m_plan = &plan;
    m_taken.assign(plan.steps.size(), false);
    m_setup_ran.assign(plan.steps.size(), false);
    if (!sync_first(plan)) return std::move(m_report);
    bool joined_tried = false;
    for (std::size_t i = 0; i < plan.steps.size() && !m_stopped; ++i) {
        const auto& step = plan.steps[i];
        if (step.when != When::always) continue;  // setup steps run when an answer calls
        if (step.join && !joined_tried) {
            joined_tried = true;
            run_joined(i);
            if (m_stopped) break;
        }
        if (!m_taken[i]) run_step(step);
    }
    if (!m_stopped) judge();
    return std::move(m_report);
}

// How a session starts. When the plan's first command is ATI, that command is sent at once and
// is the sync: an answer that is OK with a manufacturer and a model (an ATI answer, from this
// port's unit) proves the line in step, and saves the separate AT round trip. Anything else (a
// an ERROR, a bare or stale OK, another command's lines such as a stale IMSI) runs the full
// resync with its quiet periods, and the plan then asks ATI again as before; a line failure
// (silent, streaming, port gone) is the verdict, as it was for the first AT.
// Why the first AT of the other plans may skip the quiet waits: a stale OK taken for the AT's
// own leaves the AT's OK on the line, to be read as the next command's answer. That command
// expects information lines, so the empty-answer check in ask() catches it (full resync with
// quiet periods, then the command again). Hence the fast sync only when the first command the
// plan sends expects lines; otherwise the full synchronize() as before.
bool Identifier::sync_first(const IdentityPlan& plan) {
    const auto first = std::find_if(plan.steps.begin(), plan.steps.end(),
                                    [](const PlanStep& s) { return s.when == When::always; });
    const bool fast = first != plan.steps.end() && first->reader != Reader::none;
    bool full = !fast;
    if (fast && first->reader == Reader::ati && !first->commands.empty()) {
        const auto index = static_cast<std::size_t>(first - plan.steps.begin());
        if (first_answer_syncs(index)) return true;
        if (m_stopped) return false;
        full = true;
    }
    auto synced = full ? m_channel.synchronize() : m_channel.synchronize_fast();
    if (synced) return true;
    stop(station::core::outcome_of(synced.error().reason), synced.error().reason,
         synced.error().message);
    m_report.steps.push_back(
        {"AT", std::string(to_string(synced.error().reason)), "line not usable"});
    return false;
}

// Sends the plan's ATI as the session's first command (see sync_first). True when its answer
// was taken as the ATI step's; false (with a step record saying so) when the line needs the
// full resync first; an operator's stop ends the plan.
bool Identifier::first_answer_syncs(std::size_t index) {
    const PlanStep& step = m_plan->steps[index];
    const std::string& command = step.commands.front();
    if (cancelled()) {
        line_failed(command, {Reason::aborted, where(command) + ": stopped by the operator"});
        return false;
    }
    const auto timeout =
        std::min(step.timeout.value_or(m_options.command_timeout), k_first_answer_timeout);
    auto response = m_channel.command(command, timeout);
    if (!response) {  // silent, streaming or gone: the line's verdict, as an AT's would be
        line_failed(command, response.error());
        return false;
    }
    if (response && response->ok()) {
        const auto ati = at::parse_ati_response(response->lines);
        StepRecord record{command, at::describe(response->final), {}};
        if (ati && !ati->manufacturer.empty() && !ati->model.empty() &&
            apply(step, command, *response, record.note) == Take::accepted) {
            record.note = "first answer clean: it is the sync";
            m_report.steps.push_back(std::move(record));
            m_taken[index] = true;
            return true;
        }
    }
    m_report.steps.push_back({command, at::describe(response->final),
                              "first answer not an ATI answer; resynchronising in full"});
    return false;
}

void Identifier::line_failed(const std::string& command, const station::core::Error& error) {
    m_report.steps.push_back({command, std::string(to_string(error.reason)), error.message});
    stop(station::core::outcome_of(error.reason), error.reason, error.message);
}

bool Identifier::run_step(const PlanStep& step) {
    if (step.reader == Reader::imsi && sim_not_ready()) {
        m_report.steps.push_back({step.commands.front(), "skipped", "SIM not ready"});
        return false;
    }
    if (auto why = already_known(step)) {
        m_report.steps.push_back({step.commands.front(), "skipped", std::move(*why)});
        return true;
    }
    m_rejected_value.clear();
    m_rejected_command.clear();
    const auto timeout = step.timeout.value_or(m_options.command_timeout);
    std::vector<std::string> tried;
    std::size_t form = 0;
    while (form < step.commands.size()) {
        const auto& command = step.commands[form];
        if (tried.empty() || tried.back() != command) tried.push_back(command);
        auto response = ask(command, timeout, step.reader != Reader::none);
        if (!response) return line_failed(command, response.error()), false;
        StepRecord record{command, at::describe(response->final), {}};
        if (const auto sim = sim_cme_of(response->final)) {
            m_report.identity.sim_status = sim->status;
            record.note = "SIM error";
            m_report.steps.push_back(std::move(record));
            stop(station::core::outcome_of(sim->reason), sim->reason,
                 where(command) + ": " + at::describe(response->final));
            return false;
        }
        if (!response->ok()) {
            if (ask_form_again(std::move(record), response->final, step.reader)) continue;
            if (m_stopped) return false;
            ++form;
            continue;
        }
        Take take = apply(step, command, *response, record.note);
        m_report.steps.push_back(std::move(record));
        if (take == Take::unparsed) {
            // An OK answer that is not this command's may be another command's, late (the line
            // is out of step): resynchronise, which waits such answers out, and ask once more.
            auto again = ask_again(command, timeout, step.reader);
            if (!again) {
                if (!m_stopped) line_failed(command, again.error());
                return false;
            }
            StepRecord retry{command, at::describe(again->final), {}};
            if (again->ok()) take = apply(step, command, *again, retry.note);
            m_report.steps.push_back(std::move(retry));
        }
        if (take == Take::accepted) return true;
        ++form;
    }
    if (step.need == Need::required) finish_required(step, tried);
    return false;
}

// A form's ERROR answer: a plain ERROR first calls the plain_error setup step (AT+CMEE=1), once,
// and the same form is asked again (true); otherwise the record says "next form" (false).
bool Identifier::ask_form_again(StepRecord record, const at::FinalResult& final, Reader reader) {
    if (final.kind == at::FinalKind::error && run_setup(When::plain_error, reader)) {
        // Inserted before the setup's own record: this answer came first.
        record.note = "plain ERROR; asking again";
        m_report.steps.insert(m_report.steps.end() - 1, std::move(record));
        return true;
    }
    if (m_stopped) return false;
    record.note = "not supported, next form";
    m_report.steps.push_back(std::move(record));
    return false;
}

// A bare OK where an answer was due means the line is out of step (a stray or stale OK
// took the answer's place); resynchronise, which discards the late answer, and ask once more.
at::Result<at::Response> Identifier::ask(const std::string& command,
                                         std::chrono::milliseconds timeout, bool expects_lines) {
    if (cancelled()) {
        return station::core::fail(Reason::aborted, where(command) + ": stopped by the operator");
    }
    auto response = m_channel.command(command, timeout);
    if (!response || !expects_lines || !response->ok() || !response->lines.empty()) {
        return response;
    }
    m_report.steps.push_back({command, "OK", "empty answer; resynchronising and asking again"});
    if (auto synced = m_channel.synchronize(); !synced) return tl::unexpected(synced.error());
    return m_channel.command(command, timeout);
}

// Also runs the When::unparsed setup step (ATE0) once, after the resync, before the retry.
at::Result<at::Response> Identifier::ask_again(const std::string& command,
                                               std::chrono::milliseconds timeout, Reader reader) {
    m_report.steps.push_back(
        {command, "OK", "answer not understood; resynchronising and asking again"});
    if (cancelled()) {
        return station::core::fail(Reason::aborted, where(command) + ": stopped by the operator");
    }
    if (auto synced = m_channel.synchronize(); !synced) return tl::unexpected(synced.error());
    run_setup(When::unparsed, reader);
    if (m_stopped)
        return tl::unexpected(
            station::core::Error{*m_report.verdict.reason, m_report.verdict.message});
    return m_channel.command(command, timeout);
}

Take Identifier::apply(const PlanStep& step, const std::string& command,
                       const at::Response& response, std::string& note) {
    auto& id = m_report.identity;
    switch (step.reader) {
        case Reader::none:
            return Take::accepted;
        case Reader::ati: {
            auto ati = at::parse_ati_response(response.lines);
            if (!ati) return note = ati.error().message, Take::unparsed;
            id.manufacturer = ati->manufacturer;
            id.model = ati->model;
            id.firmware = ati->revision;
            id.fsn = ati->fsn;
            m_ati_imei = ati->imei;
            return Take::accepted;
        }
        case Reader::imei:
            return take_imei(command, response, note);
        case Reader::iccid:
            return take_iccid(command, response, note);
        case Reader::cpin: {
            auto cpin = at::parse_cpin_read_response(response.lines);
            if (!cpin) return note = cpin.error().message, Take::unparsed;
            id.sim_status = cpin->status;
            id.sim_status_text = cpin->text;
            if (auto reason = reason_of_sim(cpin->status)) {
                fail_once(*reason,
                          where(command) + ": SIM state " + sanitize_for_display(cpin->text, 64));
            }
            return Take::accepted;
        }
        case Reader::imsi: {
            auto imsi = at::parse_cimi_response(response.lines);
            if (!imsi) return note = imsi.error().message, Take::unparsed;
            id.imsi = *imsi;
            return Take::accepted;
        }
        case Reader::priid: {
            auto pri = at::parse_priid_read_response(response.lines);
            if (!pri) return note = pri.error().message, Take::unparsed;
            for (const auto& carrier : pri->carriers) add_unique(id.carrier_images, carrier);
            return Take::accepted;
        }
        case Reader::impref: {
            auto impref = at::parse_impref_read_response(response.lines);
            if (!impref) return note = impref.error().message, Take::unparsed;
            add_unique(id.carrier_images, impref->current_carrier);
            add_unique(id.carrier_images, impref->preferred_carrier);
            return Take::accepted;
        }
    }
    return Take::unparsed;
}

Take Identifier::take_imei(const std::string& command, const at::Response& response,
                           std::string& note) {
    auto imei = at::parse_cgsn_response(response.lines);
    if (!imei) return note = imei.error().message, Take::unparsed;
    const IdCheck check = station::core::check_imei(*imei);
    if (check != IdCheck::ok) {
        m_rejected_value = *imei;
        note = "IMEI " + sanitize_for_display(*imei, 32) + " " + std::string(to_string(check));
        return Take::rejected;
    }
    m_report.identity.imei = *imei;
    note = "IMEI valid (" + command + ")";
    return Take::accepted;
}

Take Identifier::take_iccid(const std::string& command, const at::Response& response,
                            std::string& note) {
    auto iccid = at::parse_iccid_response(response.lines);
    if (!iccid) return note = iccid.error().message, Take::unparsed;
    const IdCheck check = station::core::check_iccid(*iccid);
    if (check != IdCheck::ok) {
        m_rejected_value = *iccid;
        m_rejected_command = command;
        note = "ICCID " + sanitize_for_display(*iccid, 32) + " " + std::string(to_string(check));
        return Take::rejected;
    }
    m_report.identity.iccid = *iccid;
    m_report.identity.iccid_command = command;
    note = "ICCID valid";
    return Take::accepted;
}

void Identifier::finish_required(const PlanStep& step, const std::vector<std::string>& tried) {
    const std::string port = m_channel.port_path();
    const std::string value = sanitize_for_display(m_rejected_value, 32);
    switch (step.reader) {
        case Reader::imei:
            if (!m_rejected_value.empty()) {
                m_report.identity.imei = m_rejected_value;  // shown and stored as read
                fail_once(Reason::imei_invalid,
                          port + ": IMEI " + value + " is not valid (" +
                              std::string(to_string(station::core::check_imei(m_rejected_value))) +
                              ")");
            } else if (station::core::check_imei(m_ati_imei) == IdCheck::ok) {
                m_report.identity.imei = m_ati_imei;  // ATI's labelled IMEI stands in
            } else {
                fail_once(Reason::imei_unreadable,
                          port + ": no IMEI from " + station::core::join(tried));
            }
            return;
        case Reader::iccid:
            if (!m_rejected_value.empty()) {
                // Read but not valid: shown and stored as the unit said it, never dropped.
                m_report.identity.iccid = m_rejected_value;
                m_report.identity.iccid_command = m_rejected_command;
                fail_once(Reason::iccid_invalid,
                          port + ": ICCID " + value + " is not valid (" +
                              std::string(to_string(station::core::check_iccid(m_rejected_value))) +
                              ")");
            } else {
                fail_once(Reason::iccid_unreadable,
                          port + ": no ICCID from " + station::core::join(tried));
            }
            return;
        case Reader::cpin:
            // PASS needs a ready SIM, never a guess: a SIM whose state no form told is no PASS.
            if (m_report.identity.sim_status == station::core::SimStatus::unknown) {
                fail_once(Reason::protocol_error,
                          port + ": no SIM state from " + station::core::join(tried));
            }
            return;
        case Reader::none:
        case Reader::ati:
        case Reader::imsi:
        case Reader::priid:
        case Reader::impref:
            return;  // the identity is poorer, the verdict does not change
    }
}

void Identifier::judge() {
    const auto& id = m_report.identity;
    const std::string port = m_channel.port_path();
    // Two valid IMEIs that differ: the answers are out of step (an invalid one is imei_invalid).
    if (!m_ati_imei.empty() && station::core::check_imei(id.imei) == IdCheck::ok &&
        m_ati_imei != id.imei && station::core::check_imei(m_ati_imei) == IdCheck::ok) {
        stop(Outcome::error, Reason::protocol_error,
             port + ": ATI reports IMEI " + sanitize_for_display(m_ati_imei, 32) +
                 " but AT+CGSN reports " + id.imei + " (answers out of step?)");
        return;
    }
    if (m_fail_reason) {
        stop(station::core::outcome_of(*m_fail_reason), *m_fail_reason, m_fail_message);
        return;
    }
    if (id.iccid.empty() || id.imei.empty()) {  // a plan without those steps proves nothing
        stop(Outcome::error, Reason::protocol_error,
             port + ": identity plan read no IMEI or ICCID");
        return;
    }
    m_report.verdict = {Outcome::pass, std::nullopt,
                        port + ": " + sanitize_for_display(id.model, 64) + " IMEI " + id.imei +
                            " ICCID " + id.iccid};
}

}  // namespace drivers::router::detail

namespace drivers::router {

IdentifyReport identify(at::AtChannel& channel, const IdentityPlan& plan,
                        const IdentifyOptions& options) {
    return detail::Identifier(channel, options).run(plan);
}

}  // namespace drivers::router
