// The central outbox (issue 20): the Outbox role (store/outbox.hpp) over the outbox rows every
// station synced to the central PostgreSQL, so `station register push --central` drains the
// whole depot's queue through the same push workflow (workflows/register_push.hpp) a station
// runs over its own SQLite file.
//
// Why it is built this way:
// - A claim is one short statement, `UPDATE ... WHERE central_id IN (SELECT ... FOR UPDATE SKIP
//   LOCKED)`, committed at once: pushers on several stations skip the rows another one is
//   locking, never wait on it, and never hold a transaction open across an ALMS request. The
//   claim leaves a lease (owner, end) in the row; the ALMS request follows, then the outcome is
//   written back in another short statement that checks the lease is still ours.
// - A station's sync owns the columns it ships (the local state among them); the central push
//   writes only the central_* columns, so a sync and a push never undo each other. A row's
//   state as seen here is the central one while the station's copy is still pending or in doubt
//   (or while it is claimed centrally), else the station's own (state_sql()).
// - Rows are named by central_id (the role's OutboxId); OutboxRow.station says whose they are.
// - Queuing and holding units stay with the stations (their stores decide, then sync):
//   enqueue_registration and withdraw are refused here.
#pragma once

#include <station/central/pq.hpp>
#include <station/store/outbox.hpp>

namespace station::central {

class CentralOutbox final : public store::Outbox {
  public:
    // Over a connection to a migrated central database (migrate_central), not owned.
    explicit CentralOutbox(Connection& db) : m_db(db) {}

    // Refused: units are queued by their station and reach the central outbox by sync.
    core::Result<store::Enqueued> enqueue_registration(const store::Registration& reg) override;
    core::Result<std::vector<store::OutboxRow>> claim_pending(core::DataCenter data_center, int max,
                                                              const store::Lease& lease) override;
    core::Result<void> mark_registered(store::OutboxId row, std::string_view owner,
                                       std::string_view remote_id, store::TimePoint now) override;
    core::Result<void> mark_conflict(store::OutboxId row, std::string_view owner,
                                     std::string_view detail, store::TimePoint now) override;
    core::Result<void> mark_failed(store::OutboxId row, std::string_view owner,
                                   std::string_view error, store::Retry retry, store::TimePoint now,
                                   store::TimePoint next_attempt) override;
    core::Result<void> mark_in_doubt(store::OutboxId row, std::string_view owner,
                                     std::string_view error, store::TimePoint now,
                                     store::TimePoint next_attempt) override;
    core::Result<void> release(store::OutboxId row, std::string_view owner,
                               store::TimePoint now) override;
    core::Result<int> recover_dead_claims(core::DataCenter data_center, store::TimePoint now,
                                          std::chrono::milliseconds in_doubt_wait) override;
    // Refused: a unit is held by the station that found it shares its SIM (synced as `hold`).
    core::Result<store::HeldRegistration> withdraw(std::string_view fsn, std::string_view iccid,
                                                   std::string_view imei, std::string_view why,
                                                   store::TimePoint now) override;
    core::Result<store::OutboxStatus> outbox_status(std::size_t last_errors = 10) override;
    core::Result<std::vector<store::OutboxRow>> list_outbox(
        std::optional<store::OutboxState> state = std::nullopt,
        std::optional<core::DataCenter> data_center = std::nullopt) override;

  private:
    core::Result<void> mark(std::string_view set_sql, std::vector<Value> params,
                            store::OutboxId row, std::string_view owner, std::string_view verb);
    core::Result<std::vector<store::OutboxRow>> rows(std::string_view where_sql,
                                                     const std::vector<Value>& params,
                                                     std::string_view what);
    Connection& m_db;
};

}  // namespace station::central
