// A regression night's iterations, pipelined per slot (regress.cpp): each iteration is its own
// run of the pallet engine, but a slot begins iteration i+1 as soon as its own unit of
// iteration i is done, so a night costs what its slowest slot costs rather than the sum of
// every iteration's slowest slot. Iteration i+1's run is begun when the first slot finishes
// iteration i; none is begun once the stop flag is set or a run failed. Internal to the
// regress workflow.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <station/core/result.hpp>
#include <station/workflows/provision.hpp>

namespace station::workflows {

class SlotPipeline {
  public:
    // One iteration's run: the engine's options get the hooks as slot_turn, slot_free and
    // slot_done.
    struct Hooks {
        std::function<SlotTurn(const std::string&)> turn;
        std::function<void(const std::string&)> free;
        std::function<void(const std::string&)> done;
    };
    using RunIteration = std::function<core::Result<RunSummary>(int iteration, Hooks)>;

    SlotPipeline(const std::vector<SlotTarget>& slots, int iterations,
                 const std::atomic<bool>* stop);
    ~SlotPipeline();
    SlotPipeline(const SlotPipeline&) = delete;
    SlotPipeline& operator=(const SlotPipeline&) = delete;

    // Runs the night and returns each begun iteration's run, in iteration order, once every
    // run has ended. Call once.
    std::vector<core::Result<RunSummary>> run(RunIteration run_iteration);

  private:
    struct Slot {
        int next = 1;       // the iteration it may begin
        bool clean = true;  // its unit before was handed on (slot_free), not ended in ERROR
        std::condition_variable turn;  // wakes only this slot's waiting thread
    };

    SlotTurn turn(int iteration, const std::string& slot);
    void done(int iteration, const std::string& slot, bool clean);
    void begin(int iteration);  // with m_lock held
    bool stopped() const { return m_stop && m_stop->load(); }

    int m_iterations;
    const std::atomic<bool>* m_stop;
    RunIteration m_run;
    std::mutex m_lock;
    std::condition_variable m_changed;
    std::map<std::string, Slot> m_slots;                             // by label (guarded)
    std::vector<std::optional<core::Result<RunSummary>>> m_results;  // guarded
    std::vector<std::thread> m_threads;                              // guarded
    int m_begun = 0;                                                 // guarded
    int m_ended = 0;                                                 // guarded
    bool m_failed = false;                                           // guarded
};

}  // namespace station::workflows
