// The identifier's round-trip savers: skipping steps whose fields are known, setup steps sent
// only when an answer calls for them, and the joinable steps asked on one concatenated line.
#include <algorithm>

#include <drivers/router/identifier_internal.hpp>
#include <station/core/identifiers.hpp>

namespace drivers::router::detail {
namespace {

using station::core::IdCheck;
using station::core::SimStatus;

constexpr std::size_t k_max_joined_line = 200;  // well inside the channel's 256-byte bound

std::string fields_text(const std::vector<Field>& fields) {
    std::string out;
    for (const auto field : fields)
        out += (out.empty() ? "" : ", ") + std::string(to_string(field));
    return out;
}

}  // namespace

bool Identifier::known(Field field) const {
    const auto& id = m_report.identity;
    switch (field) {
        case Field::model:
            return !id.model.empty();
        case Field::firmware:
            return !id.firmware.empty();
        case Field::fsn:
            return !id.fsn.empty();
        case Field::imei:
            return station::core::check_imei(id.imei) == IdCheck::ok ||
                   station::core::check_imei(m_ati_imei) == IdCheck::ok;
        case Field::sim_status:
            return id.sim_status != SimStatus::unknown;
        case Field::iccid:
            return !id.iccid.empty();
        case Field::imsi:
            return !id.imsi.empty();
        case Field::carrier_images:
            return !id.carrier_images.empty();
    }
    return false;
}

bool Identifier::sim_not_ready() const {
    const auto status = m_report.identity.sim_status;
    return status != SimStatus::ready && status != SimStatus::unknown;
}

// Why `step` need not be sent: every field it yields is known. A valid IMEI labelled in ATI's
// answer becomes the identity's IMEI here (AT+CGSN would only repeat it).
bool Identifier::all_known(const PlanStep& step) const {
    return !step.yields.empty() && std::all_of(step.yields.begin(), step.yields.end(),
                                               [this](Field f) { return known(f); });
}

std::optional<std::string> Identifier::already_known(const PlanStep& step) {
    if (!all_known(step)) return std::nullopt;
    auto& id = m_report.identity;
    if (step.reader == Reader::imei && station::core::check_imei(id.imei) != IdCheck::ok) {
        id.imei = m_ati_imei;
        return "IMEI " + id.imei + " valid from ATI; not asked again";
    }
    return fields_text(step.yields) + " known already; not asked";
}

// Sends the setup step that `when` calls for (for plain_error: one naming `reader` in its
// on_error_of), once per unit. True when one was sent and answered; a line failure stops.
bool Identifier::run_setup(When when, Reader reader) {
    const auto& steps = m_plan->steps;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& step = steps[i];
        if (step.when != when || m_setup_ran[i]) continue;
        const auto& triggers = step.on_error_of;
        if (when == When::plain_error &&
            std::find(triggers.begin(), triggers.end(), reader) == triggers.end()) {
            continue;
        }
        m_setup_ran[i] = true;
        const auto& command = step.commands.front();
        if (cancelled()) {
            stop(Outcome::aborted, Reason::aborted, where(command) + ": stopped by the operator");
            return false;
        }
        auto response =
            m_channel.command(command, step.timeout.value_or(m_options.command_timeout));
        if (!response) return line_failed(command, response.error()), false;
        m_report.steps.push_back({command, at::describe(response->final),
                                  when == When::plain_error
                                      ? "a plain ERROR where a CME code would say more"
                                      : "an answer not understood"});
        return true;
    }
    return false;
}

// Asks the joinable steps from `from` on, that are still to be asked, on one line. Whatever it
// does not answer confidently (not recognised, not accepted by the step's reader) is asked one
// command per line by the plan walk, exactly as without it.
void Identifier::run_joined(std::size_t from) {
    if (!m_options.concat) return;
    const auto& steps = m_plan->steps;
    std::vector<std::size_t> joined;
    std::vector<std::string> commands;
    auto timeout = std::chrono::milliseconds(0);
    for (std::size_t i = from; i < steps.size(); ++i) {
        const auto& step = steps[i];
        if (!step.join || step.when != When::always || all_known(step)) continue;
        if (step.reader == Reader::imsi && sim_not_ready()) continue;
        joined.push_back(i);
        commands.push_back(step.commands.front());
        timeout += step.timeout.value_or(m_options.command_timeout);
    }
    const std::string line = join_commands(commands);
    if (joined.size() < 2 || line.empty() || line.size() > k_max_joined_line) return;
    ConcatMemory& memory = m_options.concat_memory ? *m_options.concat_memory : m_own_memory;
    const auto& id = m_report.identity;
    const auto plan = memory.begin(id.model, id.firmware);
    if (plan == ConcatMemory::Plan::single) return;
    const std::string model = id.model;
    const std::string firmware = id.firmware;
    if (cancelled()) {
        stop(Outcome::aborted, Reason::aborted, where(line) + ": stopped by the operator");
        return;  // nothing learnt
    }
    auto response = m_channel.command(line, timeout);
    if (!response) {
        if (response.error().reason != Reason::no_response) {
            return line_failed(line, response.error());  // the line's fault: nothing learnt
        }
        m_report.steps.push_back(
            {line, "no_response", "no answer to the combined line; one command per line"});
        return memory.learn(model, firmware, false);
    }
    if (!response->ok()) {
        const bool cme = response->final.kind == at::FinalKind::cme_error;
        m_report.steps.push_back(
            {line, at::describe(response->final),
             cme ? "combined line ended in a CME error; one command per line for this unit"
                 : "combined lines refused; one command per line for " + model + " " + firmware});
        if (!cme) memory.learn(model, firmware, false);  // a CME error: the unit's, not the form's
        return;
    }
    // Every command answered (recognised; a unit's invalid value is no fault of the form): the
    // module takes combined lines. Only part answered: one command per line saves more.
    memory.learn(model, firmware, take_joined(joined, *response));
}

// Applies each step's segment of the combined answer, in plan order; a step is taken only
// when its reader accepts the segment.
bool Identifier::take_joined(const std::vector<std::size_t>& joined, const at::Response& response) {
    const auto& steps = m_plan->steps;
    std::vector<Reader> readers;
    for (const auto i : joined) readers.push_back(steps[i].reader);
    const auto segments = split_answer(response.lines, readers);
    const auto record_at = m_report.steps.size();
    std::size_t taken = 0;
    bool all_answered = true;
    for (std::size_t k = 0; k < joined.size(); ++k) {
        const auto& step = steps[joined[k]];
        all_answered = all_answered && !segments[k].empty();
        if (segments[k].empty()) continue;
        if (step.reader == Reader::imsi && sim_not_ready()) continue;  // skipped as without it
        at::Response part;
        part.command = step.commands.front();
        part.lines = segments[k];
        part.final = response.final;
        StepRecord record{part.command, "OK", {}};
        if (apply(step, part.command, part, record.note) != Take::accepted) continue;
        record.note = "from the combined line" + (record.note.empty() ? "" : "; " + record.note);
        m_report.steps.push_back(std::move(record));
        m_taken[joined[k]] = true;
        ++taken;
    }
    m_report.steps.insert(
        m_report.steps.begin() + static_cast<std::ptrdiff_t>(record_at),
        {response.command, "OK",
         std::to_string(taken) + " of " + std::to_string(joined.size()) + " answers taken" +
             (taken < joined.size() ? "; the rest asked one command per line" : "")});
    return all_answered;
}

}  // namespace drivers::router::detail
