// Unit labels: made on PASS by `provision --label`, queued in the store when the printer fails,
// printed again by `station label reprint --fsn X`.
#pragma once

#include <filesystem>
#include <ostream>

#include <station/app/label_output.hpp>
#include <station/store/run_log.hpp>

namespace station::app {

struct LabelTally {
    int printed = 0;
    int queued = 0;     // the printer failed: `station label reprint` prints them
    int unrecorded = 0; // the store refused the label (each said on the error stream)
};

// Makes the label of each PASS unit of `run`, records it in the label queue of `db` and sends
// it to `target`. A failure to print is a warning line on `err` (the unit keeps its PASS).
LabelTally print_run_labels(const std::filesystem::path& db, store::RunLog& log, store::RunId run,
                            const LabelTarget& target, std::ostream& err);

// "labels: 12 printed to printer 10.0.0.5:9100, 1 queued (station label reprint --fsn X)".
std::string label_line(const LabelTally& tally, const LabelTarget& target);

}  // namespace station::app
