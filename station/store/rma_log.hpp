// The RMA depot's records as a role of the store (issue 16): RMA cases, the retest runs linked
// to them, each retested unit's findings, and the provisioning record a retest compares with.
// The SQLite Store implements it (rma.cpp) over its one connection and writer thread; a second
// backend (a central database) implements the same calls.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/finding.hpp>
#include <station/core/result.hpp>
#include <station/core/retest.hpp>
#include <station/store/records.hpp>

namespace station::store {

// One RMA case: a return (one or more units) from a customer.
struct RmaRecord {
    std::string id;  // the RMA number as given (unique)
    std::string customer;
    std::string note;
    std::string operator_name;
    TimePoint received;
};

// One retested unit of an RMA, for reports: its result with the findings written on it.
struct RetestRow {
    ResultRow result;
    std::string rma;
    std::vector<core::Finding> findings;
};

class RmaLog {
  public:
    virtual ~RmaLog() = default;

    // Opens an RMA case: created on first use; a later call with the same id keeps `received`
    // and the first operator, and updates customer / note when they are given (non-empty).
    virtual core::Result<RmaRecord> open_rma(const RmaRecord& rma) = 0;
    virtual core::Result<std::optional<RmaRecord>> rma(std::string_view id) = 0;
    // Links a retest run to its RMA. Fails for an unknown run or RMA.
    virtual core::Result<void> link_run(RunId run, std::string_view rma) = 0;
    // The unit's provisioning records (UnitHistory): the last PASS result of a `provision` run
    // holding this FSN, and the one holding this IMEI, each with its registration state.
    // Indexed: well under 1 ms per unit with a million results.
    virtual core::Result<core::UnitHistory> provisioning_history(std::string_view fsn,
                                                                 std::string_view imei) = 0;
    // Writes a retested unit's findings on its slot result (replacing any written before).
    virtual core::Result<void> record_findings(SlotResultId slot,
                                               const std::vector<core::Finding>& findings) = 0;
    virtual core::Result<std::vector<core::Finding>> findings(SlotResultId slot) = 0;
    // Every retested unit of one RMA, in run then slot order.
    virtual core::Result<std::vector<RetestRow>> retests_of_rma(std::string_view rma) = 0;
    // Every retested unit of RMAs received at or after `since`, oldest first.
    virtual core::Result<std::vector<RetestRow>> retests_since(TimePoint since) = 0;

  protected:
    RmaLog() = default;
    RmaLog(const RmaLog&) = default;
    RmaLog& operator=(const RmaLog&) = default;
};

}  // namespace station::store
