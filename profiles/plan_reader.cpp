#include <profiles/plan_reader.hpp>

#include <algorithm>
#include <set>

namespace profiles {
namespace {

using drivers::router::Field;
using drivers::router::PlanStep;
using drivers::router::Reader;
using drivers::router::When;
using station::config::Need;
using station::config::TomlProblems;
using station::config::TomlReader;

constexpr std::int64_t k_max_timeout_ms = 600'000;
constexpr std::size_t k_max_command = 128;
constexpr std::string_view k_readers = "none, ati, imei, cpin, iccid, imsi, priid, impref";

bool valid_command(std::string_view c) {
    return c.size() >= 2 && c.size() <= k_max_command && (c[0] == 'A' || c[0] == 'a') &&
           (c[1] == 'T' || c[1] == 't') &&
           std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
}

constexpr std::pair<std::string_view, drivers::router::Need> k_needs[] = {
    {"required", drivers::router::Need::required}, {"optional", drivers::router::Need::optional}};
constexpr std::pair<std::string_view, When> k_whens[] = {
    {"always", When::always}, {"plain_error", When::plain_error}, {"unparsed", When::unparsed}};

void read_commands(TomlReader& r, const toml::table& table, PlanStep& step) {
    step.commands = r.strings("commands", Need::required).value_or(std::vector<std::string>{});
    for (const auto& command : step.commands) {
        if (!valid_command(command)) {
            r.report("commands", "'" + command +
                                     "' is not an AT command (starts with AT, printable, at most "
                                     "128 characters)");
            break;
        }
    }
    if (table.get("commands") && step.commands.empty()) {
        r.report("commands", "needs at least one command form");
    }
}

std::vector<Field> read_yields(TomlReader& r) {
    std::vector<Field> out;
    for (const auto& name : r.strings("yields").value_or(std::vector<std::string>{})) {
        const auto field = drivers::router::field_from_string(name);
        if (!field) {
            r.report("yields", "'" + name +
                                   "' is not one of model, firmware, fsn, imei, sim_status, "
                                   "iccid, imsi, carrier_images");
            break;
        }
        out.push_back(*field);
    }
    return out;
}

std::vector<Reader> read_triggers(TomlReader& r) {
    std::vector<Reader> out;
    for (const auto& name : r.strings("on_error_of").value_or(std::vector<std::string>{})) {
        const auto reader = drivers::router::reader_from_string(name);
        if (!reader || *reader == Reader::none) {
            r.report("on_error_of", "'" + name + "' is not a reader (ati, imei, cpin, iccid, "
                                                 "imsi, priid, impref)");
            break;
        }
        out.push_back(*reader);
    }
    return out;
}

// `when`, `on_error_of` and `join` only where they make sense: setup steps (reader none) may
// wait for a cause, reading steps may join the concatenated line.
void read_schedule(TomlReader& r, const toml::table& table, PlanStep& step) {
    if (auto when = r.choice("when", std::span<const std::pair<std::string_view, When>>(k_whens)))
        step.when = *when;
    step.on_error_of = read_triggers(r);
    step.join = r.boolean("join").value_or(false);
    if (step.when != When::always && step.reader != Reader::none) {
        r.report("when", "only a setup step (reader = 'none') may wait for a cause");
    } else if (step.when == When::plain_error && step.on_error_of.empty()) {
        r.report("when", "'plain_error' needs on_error_of = [readers whose plain ERROR calls it]");
    } else if (step.when != When::plain_error && table.get("on_error_of")) {
        r.report("on_error_of", "only with when = 'plain_error'");
    } else if (step.join && step.reader == Reader::none) {
        r.report("join", "only a step with a reader may join the combined line");
    }
}

PlanStep read_step(TomlReader& r, const toml::table& table, std::set<Reader>& readers) {
    PlanStep step;
    read_commands(r, table, step);
    if (auto name = r.string("reader")) {
        if (const auto reader = drivers::router::reader_from_string(*name)) {
            step.reader = *reader;
            if (*reader != Reader::none && !readers.insert(*reader).second) {
                r.report("reader", "'" + *name + "' is read by an earlier step already");
            }
        } else {
            r.report("reader", "'" + *name + "' is not one of " + std::string(k_readers));
        }
    }
    if (auto need = r.choice(
            "need", std::span<const std::pair<std::string_view, drivers::router::Need>>(k_needs)))
        step.need = *need;
    if (auto ms = r.integer("timeout_ms", 1, k_max_timeout_ms)) {
        step.timeout = std::chrono::milliseconds(*ms);
    }
    step.yields = table.get("yields") ? read_yields(r) : drivers::router::default_yields(step.reader);
    read_schedule(r, table, step);
    r.reject_unknown();
    return step;
}

}  // namespace

void read_plan(TomlReader& parent, TomlProblems& problems, drivers::router::IdentityPlan& plan) {
    const auto steps = parent.tables("plan", Need::required);
    std::set<Reader> readers;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        TomlReader r(*steps[i], problems, "plan[" + std::to_string(i + 1) + "].");
        plan.steps.push_back(read_step(r, *steps[i], readers));
    }
    // PASS needs a model (the primary SKU signal), an IMEI and an ICCID: a plan without the
    // steps that read them could never pass, so it is a mistake in the file.
    if (!steps.empty() && !problems.error()) {
        for (const auto reader : {Reader::ati, Reader::imei, Reader::iccid}) {
            if (readers.count(reader) == 0U) {
                parent.report("plan", "has no step with reader = '" +
                                          std::string(drivers::router::to_string(reader)) + "'");
                break;
            }
        }
    }
}

}  // namespace profiles
