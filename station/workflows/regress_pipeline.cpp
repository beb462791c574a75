#include <station/workflows/regress_pipeline.hpp>

#include <chrono>
#include <system_error>

namespace station::workflows {
namespace {

// How often a slot waiting for its turn looks at the stop flag (the night's deadline sets it).
constexpr std::chrono::milliseconds k_stop_poll{50};

}  // namespace

SlotPipeline::SlotPipeline(const std::vector<SlotTarget>& slots, int iterations,
                           const std::atomic<bool>* stop)
    : m_iterations(iterations), m_stop(stop) {
    for (const auto& slot : slots) m_slots.try_emplace(slot.label);
}

SlotPipeline::~SlotPipeline() {
    for (auto& t : m_threads) {
        if (t.joinable()) t.join();
    }
}

std::vector<core::Result<RunSummary>> SlotPipeline::run(RunIteration run_iteration) {
    m_run = std::move(run_iteration);
    std::unique_lock lock(m_lock);
    if (m_iterations >= 1 && !stopped()) begin(1);
    // Every begun run ends (its waits are bounded); a run is only begun by a slot of the run
    // before it, so once all begun runs ended no other can begin.
    m_changed.wait(lock, [this] { return m_ended == m_begun; });
    std::vector<std::thread> threads = std::move(m_threads);
    lock.unlock();
    for (auto& t : threads) t.join();
    std::vector<core::Result<RunSummary>> runs;
    for (auto& r : m_results) runs.push_back(std::move(*r));
    return runs;
}

void SlotPipeline::begin(int iteration) {
    ++m_begun;
    m_results.emplace_back();
    const auto at = static_cast<std::size_t>(iteration - 1);
    auto work = [this, iteration, at] {
        Hooks hooks{[this, iteration](const std::string& s) { return turn(iteration, s); },
                    [this, iteration](const std::string& s) { done(iteration, s, true); },
                    [this, iteration](const std::string& s) { done(iteration, s, false); }};
        auto result = m_run(iteration, std::move(hooks));
        const std::lock_guard lock(m_lock);
        if (!result) {
            m_failed = true;
            for (auto& [label, waiting] : m_slots) waiting.turn.notify_all();
        }
        m_results[at] = std::move(result);
        ++m_ended;
        m_changed.notify_all();
    };
    try {
        m_threads.emplace_back(std::move(work));
    } catch (const std::system_error& e) {
        m_failed = true;
        m_results[at] = core::fail(core::Reason::out_of_resources,
                                   "regress: iteration " + std::to_string(iteration) +
                                       " could not start: " + e.what() + " (see `ulimit -u`)");
        ++m_ended;
    }
}

SlotTurn SlotPipeline::turn(int iteration, const std::string& slot) {
    std::unique_lock lock(m_lock);
    Slot& s = m_slots[slot];
    while (s.next < iteration && !m_failed && !stopped()) s.turn.wait_for(lock, k_stop_poll);
    if (s.next != iteration || m_failed || stopped()) return SlotTurn::none;
    // The first unit of an iteration begins the next one's run, whose start (its records in
    // the store, its presence monitor) is then done while this iteration's units work.
    if (iteration == m_begun && m_begun < m_iterations) begin(iteration + 1);
    return s.clean ? SlotTurn::begin : SlotTurn::after_error;
}

// `clean`: called by slot_free (the unit's port is free, its verdict not ERROR); else by
// slot_done, which ends the slot's iteration either way (after slot_free: nothing changes).
void SlotPipeline::done(int iteration, const std::string& slot, bool clean) {
    const std::lock_guard lock(m_lock);
    Slot& s = m_slots[slot];
    if (s.next > iteration) return;
    s.next = iteration + 1;
    s.clean = clean;
    s.turn.notify_all();
}

}  // namespace station::workflows
