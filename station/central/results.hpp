// The answers that span stations (issue 20): `station history --central` and `station report
// --central` read the slot results and runs every station synced, as the store's own rows
// (store::ResultRow), so the same views (station/report) print them. Each row's run carries
// its station (RunRecord::station) and that station's host name. What the central database
// does not hold (run profiles, SKU signals, manifest lines missing from a pallet) stays empty.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <station/central/pq.hpp>
#include <station/store/records.hpp>

namespace station::central {

// Every synced slot result of the unit with this FSN, IMEI or ICCID (letter case ignored), on
// any station, newest first; at most `limit`.
core::Result<std::vector<store::ResultRow>> central_history(Connection& db, store::UnitKey key,
                                                            std::string_view value,
                                                            std::size_t limit);
// Every synced result of the runs of pallet (lot) `lot` on any station, run by run.
core::Result<std::vector<store::ResultRow>> central_results_for_lot(Connection& db,
                                                                    std::string_view lot);
// The results of run `run` of station `station`.
core::Result<std::vector<store::ResultRow>> central_results_for_run(Connection& db,
                                                                    std::string_view station,
                                                                    std::int64_t run);

}  // namespace station::central
