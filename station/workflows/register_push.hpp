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
#include <station/store/store.hpp>

namespace station::workflows {

struct PushOptions {
    core::DataCenter data_center = core::DataCenter::na;
    int max_units = 0;  // 0: every due row
    std::chrono::milliseconds lease{std::chrono::minutes(10)};
    int stop_after_unsettled = 2;             // consecutive retry_later outcomes that end the push
    const std::atomic<bool>* stop = nullptr;  // checked between units
};

// What happened to one row.
struct PushEvent {
    store::OutboxRow row;
    std::string state;   // registered | already_registered | conflict | retry_later | failed |
                         // refused | released | recovered
    std::string detail;  // sanitized sentence
};

struct PushSummary {
    int claimed = 0;
    int registered = 0;  // includes already_registered
    int already_registered = 0;
    int conflicts = 0;
    int retry_later = 0;
    int failed = 0;     // failed_final and guard refusals
    int recovered = 0;  // rows taken back from dead pushers
    bool stopped_unsettled = false;
    bool aborted = false;
    std::optional<core::Error> error;  // a station fault that ended the push
};

// Lease owner of this process: "push:<host>:<boot id>:<pid>:<start ticks>".
std::string push_owner_id();

// The request for one outbox row; `region` is the unit's decided region.
alms::RegistrationRequest registration_request(const store::OutboxRow& row, core::Region region);

// The unit's region: from its slot result in the store when there is one, else the region that
// routes to the row's data center.
store::Result<core::Region> region_of(store::Store& store, const store::OutboxRow& row);

// Gives back rows of `data_center` claimed by pushers on this host that are no longer running.
store::Result<int> recover_dead_claims(store::Store& store, core::DataCenter data_center,
                                       store::TimePoint now);

// Pushes due rows of options.data_center through `client` (which must serve that data center).
PushSummary push_outbox(store::Store& store, alms::AlmsClient& client, alms::Clock& clock,
                        const PushOptions& options,
                        const std::function<void(const PushEvent&)>& on_event);

}  // namespace station::workflows
