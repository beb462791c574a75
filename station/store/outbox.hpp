// The registration outbox as a role of the store: what a pusher (`register push`,
// `provision --push`) and the workflows that queue units need, and nothing else. The SQLite
// Store implements it (outbox.cpp) over its one connection and writer thread; a second backend
// (a central database) implements the same calls.
//
// Rows move pending -> claimed -> registered | conflict | failed, or back to pending (retry
// later). A claim carries a lease: its owner names one process (lease_owner_of()), so a row held
// by a pusher that died is taken back (recover_dead_claims) and not held for ever. Marks check
// the lease owner. A row not yet sent whose unit shares its SIM identity is withdrawn.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/result.hpp>
#include <station/store/process_owner.hpp>
#include <station/store/records.hpp>

namespace station::store {

// Lease owner of a pusher process: "push:<host>:<boot id>:<pid>:<start ticks>".
std::string lease_owner_of(const ProcessOwner& process);
// This process's lease owner.
std::string own_lease_owner();
// The process a lease owner names; nullopt when `owner` is not in that form (a test's name).
std::optional<ProcessOwner> parse_lease_owner(std::string_view owner);
// Whether the pusher holding a claimed row is gone at `now`: its lease ran out, or its owner
// (in the form of lease_owner_of()) is a process of this host no longer running. Every
// Outbox's recover_dead_claims takes such rows back.
bool claim_is_dead(const OutboxRow& row, TimePoint now);

class Outbox {
  public:
    virtual ~Outbox() = default;

    // Queues a unit for pre-registration (state pending). See Enqueued for the rules.
    virtual core::Result<Enqueued> enqueue_registration(const Registration& registration) = 0;
    // Atomically claims up to `max` rows of one data center that are pending or in_doubt and
    // due (next attempt <= lease.now); oldest first. (Rows whose lease expired come back
    // through recover_dead_claims.)
    virtual core::Result<std::vector<OutboxRow>> claim_pending(core::DataCenter data_center,
                                                               int max, const Lease& lease) = 0;
    // Each of these fails unless the row is claimed by `owner` (a lost lease is reported).
    virtual core::Result<void> mark_registered(OutboxId row, std::string_view owner,
                                               std::string_view remote_id, TimePoint now) = 0;
    virtual core::Result<void> mark_conflict(OutboxId row, std::string_view owner,
                                             std::string_view detail, TimePoint now) = 0;
    // Counts the attempt; Retry::later puts the row back to pending due at `next_attempt`.
    virtual core::Result<void> mark_failed(OutboxId row, std::string_view owner,
                                           std::string_view error, Retry retry, TimePoint now,
                                           TimePoint next_attempt) = 0;
    // A create whose answer was lost (timed out, dropped): counts the attempt, state in_doubt,
    // due at `next_attempt` (not before the request timeout and a margin have passed).
    virtual core::Result<void> mark_in_doubt(OutboxId row, std::string_view owner,
                                             std::string_view error, TimePoint now,
                                             TimePoint next_attempt) = 0;
    // Gives a claimed row back untouched (pending, due now), e.g. on shutdown.
    virtual core::Result<void> release(OutboxId row, std::string_view owner, TimePoint now) = 0;
    // Takes back the rows of `data_center` claimed by a pusher that is gone: its lease expired,
    // or its owner (in the form of lease_owner_of()) is a process of this host no longer
    // running. Such a row may have had its create sent: it becomes in_doubt, due at `now` +
    // `in_doubt_wait` (a held one is withdrawn). Returns how many.
    virtual core::Result<int> recover_dead_claims(core::DataCenter data_center, TimePoint now,
                                                  std::chrono::milliseconds in_doubt_wait) = 0;
    // Holds the rows of unit `fsn` for `iccid` or `imei`, which another unit shares: rows not
    // yet sent are withdrawn, rows sent (or being sent) get `why` as their hold note.
    virtual core::Result<HeldRegistration> withdraw(std::string_view fsn, std::string_view iccid,
                                                    std::string_view imei, std::string_view why,
                                                    TimePoint now) = 0;
    // Counts per data center and state, the oldest pending row, the last errors, held rows.
    virtual core::Result<OutboxStatus> outbox_status(std::size_t last_errors = 10) = 0;
    // Rows for export, oldest first, optionally filtered by state and data center.
    virtual core::Result<std::vector<OutboxRow>> list_outbox(
        std::optional<OutboxState> state = std::nullopt,
        std::optional<core::DataCenter> data_center = std::nullopt) = 0;

  protected:
    Outbox() = default;
    Outbox(const Outbox&) = default;
    Outbox& operator=(const Outbox&) = default;
};

}  // namespace station::store
