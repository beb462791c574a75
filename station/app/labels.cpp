#include <station/app/labels.hpp>

#include <station/core/sanitize.hpp>
#include <station/core/time_text.hpp>
#include <station/core/zpl_label.hpp>
#include <station/store/labels.hpp>

namespace station::app {
namespace {

core::LabelFields fields_of(const store::ResultRow& row) {
    core::LabelFields f;
    f.fsn = row.slot.identity.fsn;
    f.imei = row.slot.identity.imei;
    f.iccid = row.slot.identity.iccid;
    if (row.slot.data_center) f.data_center = std::string(core::to_string(*row.slot.data_center));
    f.pallet = row.run.info.lot;
    const auto at = row.slot.ended.value_or(std::chrono::system_clock::now());
    f.date = core::iso_utc(at, false).substr(0, 10);
    return f;
}

void warn(std::ostream& err, const std::string& what) {
    err << "station: warning: " << what << '\n';
}

}  // namespace

LabelTally print_run_labels(const std::filesystem::path& db, store::RunLog& log, store::RunId run,
                            const LabelTarget& target, std::ostream& err) {
    LabelTally tally;
    auto rows = log.results_for_run(run);
    if (!rows) {
        warn(err, "labels: cannot read the run's results: " + rows.error().message);
        return tally;
    }
    for (const auto& row : *rows) {
        if (row.slot.outcome != core::Outcome::pass) continue;
        const std::string fsn = row.slot.identity.fsn;
        const std::string shown_fsn = core::sanitize_for_display(fsn, 64);
        store::LabelRecord label;
        label.fsn = fsn;
        label.run = row.run.id.value;
        label.zpl = core::render_zpl(fields_of(row));
        label.target = target.stored();
        label.created = std::chrono::system_clock::now();
        auto id = store::add_label(db, label);
        if (!id) {
            ++tally.unrecorded;
            warn(err, "label of " + shown_fsn + " not recorded: " + id.error().message);
        }
        auto sent = send_label(target, fsn, label.zpl);
        if (id) {
            const std::optional<std::string> error =
                sent ? std::nullopt : std::optional<std::string>(sent.error().message);
            if (auto noted = store::record_label_attempt(db, *id, error, label.created); !noted) {
                warn(err, "label of " + shown_fsn + ": " + noted.error().message);
            }
        }
        if (sent) {
            ++tally.printed;
            continue;
        }
        ++tally.queued;
        warn(err, "label of " + shown_fsn + " not printed: " + sent.error().message +
                      "; queued (station label reprint --fsn " + shown_fsn + ")");
    }
    return tally;
}

std::string label_line(const LabelTally& tally, const LabelTarget& target) {
    std::string line = "labels: " + std::to_string(tally.printed) + " printed to " + target.shown();
    if (tally.queued > 0) {
        line += ", " + std::to_string(tally.queued) +
                " queued (printer failed; station label reprint --fsn FSN)";
    }
    if (tally.unrecorded > 0) line += ", " + std::to_string(tally.unrecorded) + " not recorded";
    return line + "\n";
}

}  // namespace station::app
