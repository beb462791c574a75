// Draining the registration outbox into one ALMS data center, exactly once per unit.
//
// Why it is built this way:
// - Rows are claimed one at a time with a lease (store), so two pushers (cron and a pallet
//   run, or two terminals) split the work and never hold the same row; a row is claimed
//   again only when its lease expired or its owner process is gone (SIGKILL), and then the
//   client looks the unit up before creating anything, so ALMS never gets it twice.
// - The client's guard runs first: a row whose unit routes to the other data center is
//   marked failed without a single request to this one.
// - Station-wide faults (credentials refused, TLS) give the row back untouched and end the
//   push; so do two units in a row that could not be settled (ALMS or the network is down),
//   which leaves the rest of the queue due for the next push.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <station/alms/client.hpp>
#include <station/core/region.hpp>
#include <station/core/result.hpp>
#include <station/store/outbox.hpp>

namespace station::workflows {

struct PushOptions {
    core::DataCenter data_center = core::DataCenter::na;
    int max_units = 0;  // 0: every due row
    std::chrono::milliseconds lease{std::chrono::minutes(10)};
    int stop_after_unsettled = 2;             // consecutive retry_later outcomes that end the push
    const std::atomic<bool>* stop = nullptr;  // checked between units
    std::string owner{};  // lease owner; empty: this process (store::own_lease_owner())
    // The transport's whole-request timeout: a create in doubt waits in_doubt_wait() of it.
    std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
};

// How long a create in doubt (its answer lost, or its pusher gone) waits before its unit is
// looked up again: the request timeout, so a create still in flight has reached ALMS or died,
// plus a margin for ALMS to store it (half the timeout, 1 s .. 30 s).
std::chrono::milliseconds in_doubt_wait(std::chrono::milliseconds request_timeout);

// What became of one row in a push.
enum class PushState {
    registered,          // created in ALMS now
    already_registered,  // found in ALMS with the same serial and ICCID: not created again
    conflict,            // ALMS has another system for this IMEI
    retry_later,         // not settled; the row waits for its next attempt
    failed,              // ALMS refused it for good
    refused,             // the station's guard refused it before any request
    released,            // a station fault ended the push; the row is back as it was
    in_doubt,            // a create's answer was lost: looked up again after in_doubt_wait()
};
// "registered" | "already_registered" | "conflict" | "retry_later" | "failed" | "refused" |
// "released" | "in_doubt" (the words `register push` prints).
std::string_view to_string(PushState state);

struct PushEvent {
    store::OutboxRow row;
    PushState state = PushState::retry_later;
    std::string detail;  // sanitized sentence
};

struct PushSummary {
    int claimed = 0;
    int registered = 0;  // includes already_registered
    int already_registered = 0;
    int conflicts = 0;
    int retry_later = 0;  // includes in_doubt
    int in_doubt = 0;     // creates whose answer was lost
    int failed = 0;     // failed_final and guard refusals
    int recovered = 0;  // rows taken back from dead pushers
    bool stopped_unsettled = false;
    bool aborted = false;
    std::optional<core::Error> error;  // a station fault that ended the push
};

// The request for one outbox row, with the unit's region the row keeps.
alms::RegistrationRequest registration_request(const store::OutboxRow& row);

// What is left for a later push of one data center: rows pending or in doubt (rows claimed by
// another pusher are that pusher's), and the earliest time one of them is due.
struct Waiting {
    int rows = 0;
    std::optional<store::TimePoint> next_attempt;
};
core::Result<Waiting> waiting_rows(store::Outbox& outbox, core::DataCenter data_center);

// The back-off of a pusher beside a run (`provision --push`): a push stops at the first unit it
// could not settle (stop_after_unsettled = 1), and after a push that stopped so (ALMS or the
// network is down) ALMS is left alone for `hold_after_down`; new PASS units stay queued
// meanwhile. Not thread-safe: its owner locks.
class PushBackoff {
  public:
    using Steady = std::chrono::steady_clock::time_point;
    static constexpr int k_stop_after_unsettled = 1;
    explicit PushBackoff(std::chrono::milliseconds hold_after_down)
        : m_hold_after_down(hold_after_down) {}
    // Takes note of a push's summary, ended at `now`.
    void after_push(const PushSummary& summary, Steady now);
    bool holding(Steady now) const { return now < m_hold_until; }
    Steady hold_until() const { return m_hold_until; }

  private:
    std::chrono::milliseconds m_hold_after_down;
    Steady m_hold_until{};
};

// Pushes due rows of options.data_center through `client` (which must serve that data center).
PushSummary push_outbox(store::Outbox& store, alms::AlmsClient& client, alms::Clock& clock,
                        const PushOptions& options,
                        const std::function<void(const PushEvent&)>& on_event);

}  // namespace station::workflows
