// `station provision --push`: registers each unit in ALMS as soon as it passes, beside the run.
//
// It sits between the pallet workflow and the operator's view (an EventSink that forwards every
// event): a PASS unit's unit_finished wakes one pusher thread, which drains the due outbox rows
// of the pallet's data center through the same exactly-once path as `station register push`
// (claims with leases, look-up before create, the data-center guard), one pass per unit. When
// ALMS or the network is down, the push stops at the first unsettled unit, the rows stay queued,
// and the pusher leaves ALMS alone for a while: the pallet never waits for ALMS, and the end of a
// run waits at most for one request in flight (the configured ALMS timeouts). Each settled
// registration is reported as a unit_registered event.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <station/app/alms_session.hpp>
#include <station/store/outbox.hpp>
#include <station/workflows/events.hpp>
#include <station/workflows/register_push.hpp>

namespace station::app {

struct PushTally {
    int registered = 0;  // includes already_registered
    int already_registered = 0;
    int conflicts = 0;
    int failed = 0;                            // final refusals and guard refusals
    int unsettled = 0;                         // retry_later: still queued
    bool alms_down = false;                    // a push stopped because ALMS did not answer
    std::optional<std::string> station_error;  // a setup fault that ended pushing (sanitized)
};

class RunPusher final : public workflows::EventSink {
  public:
    // `session` serves `data_center`; `stop` (e.g. the operator's Ctrl-C) ends a push between
    // units. `hold_after_down` is how long the pusher leaves ALMS alone after it stopped
    // answering (new PASS units stay queued meanwhile).
    RunPusher(store::Outbox& store, std::unique_ptr<AlmsSession> session,
              workflows::EventSink& downstream, const std::atomic<bool>* stop,
              std::chrono::milliseconds hold_after_down = std::chrono::seconds(30));
    ~RunPusher() override;
    RunPusher(const RunPusher&) = delete;
    RunPusher& operator=(const RunPusher&) = delete;

    void on_event(const workflows::Event& event) override;

    // Pushes what is still due once more (unless ALMS was down or the operator stopped), then
    // ends the thread. Bounded by the client's request timeouts.
    void finish();
    PushTally tally() const;

  private:
    void loop();
    void push_once();

    store::Outbox& m_store;
    std::unique_ptr<AlmsSession> m_session;
    workflows::EventSink& m_downstream;
    const std::atomic<bool>* m_stop;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    int m_due = 0;  // PASS units not yet pushed for
    bool m_finishing = false;
    workflows::PushBackoff m_backoff;  // guarded by m_mutex
    std::map<std::string, std::string> m_slot_of_fsn;  // for the events' slot column
    PushTally m_tally;
    std::thread m_thread;
};

}  // namespace station::app
