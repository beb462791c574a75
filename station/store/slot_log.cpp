// SlotLog: a slot result's writes queued for the store's writer without waiting (store.hpp).
//
// Why it is built this way: the writer thread runs every queued call in order, so a write queued
// after the slot result's start finds the start's row id already set (by the start's body, on
// the same thread): nothing needs to wait for the start to commit. Only the slot thread's last
// write (its result) waits, and it shares its commit with every other slot's writes.
#include <station/store/store_impl.hpp>

namespace station::store {

struct SlotLog::State {
    mutable std::mutex mutex;
    std::condition_variable settled;
    int pending = 0;                     // writes queued, not yet settled
    std::optional<core::Error> failure;  // the first write that failed
    // Set by the start's body on the writer thread: the later bodies (same thread) read it.
    std::optional<SlotResultId> id;
    bool started = false;  // the start is committed

    void fail(const core::Error& error) {
        const std::lock_guard<std::mutex> guard(mutex);
        if (!failure) failure = error;
    }
    std::optional<core::Error> first_failure() const {
        const std::lock_guard<std::mutex> guard(mutex);
        return failure;
    }
};

SlotLog::SlotLog(Store& store, RunId run, SlotStart start)
    : m_store(&store), m_state(std::make_shared<State>()) {
    queue(
        [state = m_state, run, start = std::move(start), store = m_store](SlotResultId) {
            auto id = store->begin_slot(run, start);
            if (!id) return Result<void>(tl::unexpected(id.error()));
            state->id = *id;
            return Result<void>();
        },
        true);
}

SlotLog::~SlotLog() {
    (void)settle();
}

void SlotLog::queue(std::function<Result<void>(SlotResultId)> body, bool start) {
    auto call = std::make_unique<Store::Impl::Call>();
    {
        const std::lock_guard<std::mutex> guard(m_state->mutex);
        ++m_state->pending;
    }
    Store::Impl::Call* raw = call.get();
    call->run = [state = m_state, body = std::move(body), raw] {
        if (state->first_failure()) return;  // not made: an earlier write of the slot failed
        auto done = body(state->id.value_or(SlotResultId{0}));
        if (!done) {
            raw->own_error = done.error();
            state->fail(done.error());
        }
    };
    call->settle = [state = m_state, start](Store::Impl::Call& c) {
        if (c.failed) state->fail(*c.failed);
        const std::lock_guard<std::mutex> guard(state->mutex);
        if (start && !c.failed && !c.own_error && state->id) state->started = true;
        if (--state->pending == 0) state->settled.notify_all();
    };
    m_store->m_impl->post(std::move(call));
}

void SlotLog::record_step(StepRecord step) {
    queue([store = m_store, step = std::move(step)](SlotResultId id) {
        return store->record_step(id, step);
    });
}

void SlotLog::record_transcript(std::string text) {
    queue([store = m_store, text = std::move(text)](SlotResultId id) {
        return store->record_transcript(id, text);
    });
}

std::optional<core::Error> SlotLog::failure() const {
    return m_state->first_failure();
}

Result<void> SlotLog::settle() {
    std::unique_lock<std::mutex> guard(m_state->mutex);
    m_state->settled.wait(guard, [&] { return m_state->pending == 0; });
    if (m_state->failure) return tl::unexpected(*m_state->failure);
    return {};
}

std::optional<SlotResultId> SlotLog::id() const {
    const std::lock_guard<std::mutex> guard(m_state->mutex);
    if (!m_state->started) return std::nullopt;
    return m_state->id;
}

Result<void> SlotLog::write(std::string_view what, const WriteBody& body) {
    auto& state = *m_state;
    auto done = m_store->m_impl->write(what, [&]() -> Result<void> {
        if (auto failed = state.first_failure()) return tl::unexpected(*failed);
        // The id is set: the start is made before any later write runs. On the writer thread
        // the store's write calls run at once, inside this write.
        return body(*state.id, Roles(*m_store));
    });
    if (!done) state.fail(done.error());
    return done;
}

std::unique_ptr<SlotWriter> Store::open_slot(RunId run, SlotStart start) {
    return std::make_unique<SlotLog>(*this, run, std::move(start));
}

}  // namespace station::store
