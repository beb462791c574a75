// The end-of-run summary: what happened, what to pull off the bench, where the results are.
// Outcomes are words ("FAIL"), coloured when asked, so they read without colour too.
#include <algorithm>
#include <array>

#include <station/app/pallet_view.hpp>
#include <station/app/view_text.hpp>
#include <station/core/sanitize.hpp>
#include <station/core/utf8.hpp>
#include <station/core/text.hpp>

namespace station::app {
namespace {

using core::Outcome;
using core::sanitize_for_display;

constexpr std::array k_outcomes{Outcome::pass, Outcome::fail, Outcome::error, Outcome::aborted};

std::string word(Outcome outcome, bool colour) {
    return view::paint(to_string(outcome), view::status_of(outcome), colour);
}

std::string slot_list(const std::vector<std::string>& slots) {
    std::string out;
    for (const auto& slot : slots)
        out += (out.empty() ? "" : ", ") + sanitize_for_display(slot, 64);
    return out;
}

std::string counts_line(const workflows::RunSummary& s, const UnitCounts& counts, bool colour) {
    std::string line = "Units: " + std::to_string(s.units.size());
    for (const auto outcome : k_outcomes) {
        const int n = counts.of(outcome);
        if (n == 0 && outcome == Outcome::aborted) continue;
        line += "  " + word(outcome, colour && n > 0) + " " + std::to_string(n);
    }
    return line + "\n";
}

std::string data_center_line(const UnitCounts& counts) {
    if (counts.pass_by_data_center.empty()) return "PASS by data center: none\n";
    std::string line = "PASS by data center:";
    for (const auto& [dc, n] : counts.pass_by_data_center) {
        line += "  " + (dc == UnitCounts::k_unknown ? dc : core::ascii_upper(dc)) + " " +
                std::to_string(n);
    }
    return line + "\n";
}

// Every unit that is not PASS: slot, FSN, outcome, reason, message, in aligned columns.
std::string pull_list(const workflows::RunSummary& s, bool colour) {
    const auto pull = units_to_pull(s);
    if (pull.empty()) return "Units to pull: none\n";
    std::vector<std::array<std::string, 4>> cells{{"SLOT", "FSN", "OUTCOME", "REASON"}};
    for (const auto* u : pull) {
        cells.push_back({sanitize_for_display(u->slot, 64),
                         u->fsn.empty() ? "-" : sanitize_for_display(u->fsn, 64),
                         std::string(to_string(u->outcome)),
                         u->reason ? std::string(to_string(*u->reason)) : "-"});
    }
    std::array<std::size_t, 4> width{};
    for (const auto& row : cells) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            width[i] = std::max(width[i], core::display_width(row[i]));
        }
    }
    std::string out = "Units to pull (" + std::to_string(pull.size()) +
                      "; FAIL: the unit is at fault, ERROR/ABORTED: retest it):\n";
    for (std::size_t r = 0; r < cells.size(); ++r) {
        std::string line = "  ";
        for (std::size_t i = 0; i < cells[r].size(); ++i) {
            const std::string pad(width[i] - core::display_width(cells[r][i]) + 2, ' ');
            line += (r > 0 && i == 2 ? word(pull[r - 1]->outcome, colour) : cells[r][i]) + pad;
        }
        line += r == 0 ? "MESSAGE" : sanitize_for_display(pull[r - 1]->message);
        out += line + "\n";
    }
    return out;
}

std::string slots_part(const workflows::RunSummary& s) {
    std::string out;
    if (!s.empty_slots.empty()) {
        out += "Empty slots (" + std::to_string(s.empty_slots.size()) +
               "; no unit arrived): " + slot_list(s.empty_slots) + "\n";
    }
    if (!s.skipped_slots.empty()) {
        out += "Skipped slots (" + std::to_string(s.skipped_slots.size()) +
               "; already PASS in this run, or quarantined): " + slot_list(s.skipped_slots) + "\n";
    }
    if (!s.quarantined_slots.empty()) {
        out += "Quarantined slots (" + std::to_string(s.quarantined_slots.size()) +
               "; check the cable and hub, then `station rig release SLOT`): " +
               slot_list(s.quarantined_slots) + "\n";
    }
    return out;
}

// Units found holding the SIM identity of a later unit (this run or earlier runs): what became
// of their result and registration; one already sent to ALMS is there to inspect.
std::string held_part(const workflows::RunSummary& s) {
    if (s.held.empty()) return "";
    std::string out = "Shared SIM identity (" + std::to_string(s.held.size()) +
                      " earlier unit(s) held with the unit that showed the same ICCID/IMEI):\n";
    for (const auto& h : s.held) {
        std::string line = "  " + (h.slot.empty() ? "-" : sanitize_for_display(h.slot, 64)) + "  " +
                           sanitize_for_display(h.fsn, 64);
        if (h.run) {
            line +=
                h.run == s.run ? "  (this run)" : "  (run " + std::to_string(h.run->value) + ")";
        }
        line += "  " + std::string(to_string(h.reason));
        if (h.changed) line += "; PASS changed to FAIL";
        switch (h.registration) {
            case store::HeldRegistration::withdrawn:
                line += "; outbox row withdrawn (not sent)";
                break;
            case store::HeldRegistration::sent:
                line += "; ALREADY SENT to ALMS though its SIM is shared: to inspect";
                break;
            case store::HeldRegistration::none:
                break;
        }
        out += line + "\n";
    }
    return out;
}

// The manifest lines no unit matched, and a run decided without the manifest its profile needs.
std::string manifest_part(const workflows::RunSummary& s) {
    std::string out;
    if (s.no_manifest) {
        out += "No manifest (--no-manifest): decided on the units' word alone.\n";
    }
    const auto& missing = s.missing_from_pallet;
    if (missing.empty()) return out;
    out += "Missing from the pallet: " + std::to_string(missing.size()) +
           " (manifest lines whose serial and IMEI no unit showed" +
           (s.manifest_incomplete ? "; --require-complete: the run is ERROR manifest_incomplete"
                                  : "") +
           "):\n";
    constexpr std::size_t k_shown = 50;
    for (std::size_t i = 0; i < missing.size() && i < k_shown; ++i) {
        const auto& line = missing[i];
        out += "  line " + std::to_string(line.line) + "  " +
               sanitize_for_display(line.serial, 64) + "  IMEI " +
               sanitize_for_display(line.imei, 32) + "  part " +
               sanitize_for_display(line.part_number, 32) + "\n";
    }
    if (missing.size() > k_shown) {
        out += "  ... and " + std::to_string(missing.size() - k_shown) +
               " more (station report --run " + std::to_string(s.run.value) + ")\n";
    }
    return out;
}

}  // namespace

UnitCounts count_units(const workflows::RunSummary& summary) {
    UnitCounts counts;
    for (const auto& u : summary.units) {
        ++counts.per_outcome[u.outcome];
        if (u.outcome != Outcome::pass) continue;
        ++counts.pass_by_data_center[u.data_center ? std::string(to_string(*u.data_center))
                                                   : std::string(UnitCounts::k_unknown)];
    }
    return counts;
}

std::vector<const workflows::UnitResult*> units_to_pull(const workflows::RunSummary& summary) {
    std::vector<const workflows::UnitResult*> pull;
    for (const auto& u : summary.units) {
        if (u.outcome != Outcome::pass) pull.push_back(&u);
    }
    return pull;
}

std::string render_summary(const workflows::RunSummary& s, const SummaryContext& context,
                           bool colour) {
    const std::string run = std::to_string(s.run.value);
    const std::string pallet = sanitize_for_display(context.pallet, 128);
    const std::string profile = sanitize_for_display(context.profile, 128);
    std::string out = "\nRun " + run + " " + word(s.outcome, colour) + ": pallet " + pallet +
                      ", profile " + profile + ", " + view::format_elapsed(s.elapsed) + "\n";
    const UnitCounts counts = count_units(s);
    out += counts_line(s, counts, colour);
    out += data_center_line(counts);
    out += pull_list(s, colour);
    out += held_part(s);
    out += manifest_part(s);
    out += slots_part(s);
    if (s.units.empty() && s.skipped_slots.empty()) out += "No unit was provisioned.\n";
    if (s.stopped && s.outcome != Outcome::aborted) {
        out += "Shift ended by the operator (no unit in flight).\n";
    } else if (s.stopped) {
        out +=
            "Stopped by the operator: units in flight ended ABORTED; to continue, run the same "
            "command with --resume " +
            run + "\n";
    }
    out += "Results: " + sanitize_for_display(context.db_path, 1024) + " (station report --run " +
           run + ")\n";
    return out;
}

}  // namespace station::app
