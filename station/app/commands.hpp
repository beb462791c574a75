// One entry point per `station` command; each parses its own options (Boost.Program_options),
// throws UsageError on bad usage and returns the process exit code.
#pragma once

#include <span>
#include <string>

#include <station/app/cli.hpp>

namespace station::app {

// station identify --port PATH [--json] [--transcript] [--timeout-ms N] [--baud N]
int run_identify(std::span<const std::string> args, Console console);

// station scan [--rig FILE] [--json] [--identify] [--timeout-ms N] [--probe-ms N]
//              [--at-interface N] [--jobs N]
int run_scan(std::span<const std::string> args, Console console);

// station rig learn --out FILE (--labels A1,..|--slots N) [--settle-ms N] [--timeout-s N]
// station rig check FILE
// station rig quarantined [--db FILE] | station rig release SLOT... [--db FILE]
int run_rig(std::span<const std::string> args, Console console);

// station profiles list [--json] [--profiles-dir DIR] | check [FILE...] [--profiles-dir DIR]
int run_profiles(std::span<const std::string> args, Console console);

// station register push [--data-center na|eu] [--max N] [--db FILE] [--credentials FILE]
// station register status [--db FILE] [--json]
// station register export --data-center na|eu [--format alms-csv|json] --out FILE
int run_register(std::span<const std::string> args, Console console);

// station provision --profile NAME --pallet ID (--rig FILE | --port PATH...) [--operator NAME]
//     [--term 1|3|5] [--po NUMBER] [--watch] [--resume RUN_ID] [--db FILE] [--json-events]
int run_provision(std::span<const std::string> args, Console console);

// station retest --rma ID (--port PATH... | --rig FILE [--slot LABEL...]) [--profile NAME]
//     [--part-number PN] [--alms-check] [--reregister] [--customer NAME] [--note TEXT] [--db FILE]
//     [--json-events] [--credentials FILE]
int run_retest(std::span<const std::string> args, Console console);

// station regress --rig FILE (--golden FILE [--iterations N] [--junit|--html|--json FILE]
//     [--baseline-nights N] [--deadline-min N] ... | --record-golden FILE [--force]) [--db FILE]
int run_regress(std::span<const std::string> args, Console console);

// station history (--fsn X | --imei X | --iccid X) [--json] [--limit N] [--db FILE]
int run_history(std::span<const std::string> args, Console console);

// station report (--run ID | --pallet ID) [--format table|csv|json|junit] [--out FILE] [--db FILE]
int run_report(std::span<const std::string> args, Console console);

// station runs [--pallet ID] [--since DATE] [--json] [--db FILE]
int run_runs(std::span<const std::string> args, Console console);

// station db check [--db FILE] | station db backup FILE [--db FILE]
int run_db(std::span<const std::string> args, Console console);

// station transcript (--run ID --slot SLOT | --fsn FSN) [--limit N] [--db FILE]
// station sync: ship the store to the central PostgreSQL (sync_command.cpp, issue 20).
int run_sync(std::span<const std::string> args, Console console);

int run_transcript(std::span<const std::string> args, Console console);

// station doctor [--json] [--online] [--db FILE] [--profiles-dir DIR] [--rig FILE]...
//     [--credentials FILE]
int run_doctor(std::span<const std::string> args, Console console);

// station label reprint --fsn X [--printer HOST:PORT|DEVICE | --label-out DIR] [--db FILE]
int run_label(std::span<const std::string> args, Console console);

}  // namespace station::app
