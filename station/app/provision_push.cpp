#include <station/app/provision_push.hpp>

#include <station/core/sanitize.hpp>
#include <station/workflows/register_push.hpp>

namespace station::app {
namespace {

using workflows::EventKind;

// The outcome a registration event shows: PASS settled, FAIL refused by ALMS or the guard,
// ERROR still queued.
core::Outcome outcome_of(workflows::PushState state) {
    using workflows::PushState;
    switch (state) {
        case PushState::registered:
        case PushState::already_registered:
            return core::Outcome::pass;
        case PushState::conflict:
        case PushState::failed:
        case PushState::refused:
            return core::Outcome::fail;
        case PushState::retry_later:
        case PushState::released:
        case PushState::in_doubt:
            return core::Outcome::error;
    }
    return core::Outcome::error;
}

}  // namespace

RunPusher::RunPusher(store::Outbox& store, std::unique_ptr<AlmsSession> session,
                     workflows::EventSink& downstream, const std::atomic<bool>* stop,
                     std::chrono::milliseconds hold_after_down)
    : m_store(store),
      m_session(std::move(session)),
      m_downstream(downstream),
      m_stop(stop),
      m_backoff(hold_after_down),
      m_thread([this] { loop(); }) {}

RunPusher::~RunPusher() {
    finish();
}

void RunPusher::on_event(const workflows::Event& event) {
    m_downstream.on_event(event);  // first: a unit is shown finished before it is registered
    if (event.kind == EventKind::unit_finished && event.outcome == core::Outcome::pass &&
        event.data_center == m_session->client().data_center()) {
        {
            const std::lock_guard lock(m_mutex);
            if (!event.fsn.empty()) m_slot_of_fsn[event.fsn] = event.slot;
            ++m_due;
        }
        m_wake.notify_one();
    }
}

void RunPusher::finish() {
    {
        const std::lock_guard lock(m_mutex);
        m_finishing = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
}

PushTally RunPusher::tally() const {
    const std::lock_guard lock(m_mutex);
    return m_tally;
}

void RunPusher::loop() {
    std::unique_lock lock(m_mutex);
    const auto held = [this] { return m_backoff.holding(std::chrono::steady_clock::now()); };
    const auto stopped = [this] { return m_stop != nullptr && m_stop->load(); };
    while (true) {
        if (m_finishing) {
            // One last pass for units that passed at the very end, unless pushing cannot help.
            if (held() || stopped() || m_tally.station_error) return;
            m_due = 0;
            lock.unlock();
            push_once();
            return;
        }
        if (m_due > 0 && !held() && !stopped() && !m_tally.station_error) {
            m_due = 0;
            lock.unlock();
            push_once();
            lock.lock();
            continue;
        }
        if (m_due > 0 && held()) {
            m_wake.wait_until(lock, m_backoff.hold_until());
        } else {
            m_wake.wait(lock);
        }
    }
}

void RunPusher::push_once() {
    const auto dc = m_session->client().data_center();
    workflows::PushOptions options;
    options.data_center = dc;
    options.lease = m_session->lease();
    options.request_timeout = m_session->request_timeout();
    options.stop = m_stop;
    options.stop_after_unsettled = workflows::PushBackoff::k_stop_after_unsettled;
    const auto summary = workflows::push_outbox(
        m_store, m_session->client(), m_session->clock(), options,
        [&](const workflows::PushEvent& pushed) {
            workflows::Event e;
            e.kind = EventKind::unit_registered;
            e.at = std::chrono::system_clock::now();
            e.fsn = pushed.row.registration.fsn;
            {
                const std::lock_guard lock(m_mutex);
                if (auto it = m_slot_of_fsn.find(e.fsn); it != m_slot_of_fsn.end()) {
                    e.slot = it->second;
                }
            }
            e.step = std::string(workflows::to_string(pushed.state));
            e.outcome = outcome_of(pushed.state);
            e.data_center = dc;
            e.message = core::sanitize_for_display(pushed.detail, 400);  // names ALMS and dc
            m_downstream.on_event(e);
        });
    const std::lock_guard lock(m_mutex);
    m_tally.registered += summary.registered;
    m_tally.already_registered += summary.already_registered;
    m_tally.conflicts += summary.conflicts;
    m_tally.failed += summary.failed;
    m_tally.unsettled += summary.retry_later;
    if (summary.stopped_unsettled) m_tally.alms_down = true;
    m_backoff.after_push(summary, std::chrono::steady_clock::now());
    if (summary.error) {
        m_tally.station_error = core::sanitize_for_display(summary.error->message, 800);
    }
}

}  // namespace station::app
