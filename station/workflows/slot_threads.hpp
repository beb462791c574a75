// Threads for a pallet's slots: up to 1024 at once on a full rig, each with a small stack
// (a slot's work is a loop over AT exchanges with bounded buffers on the heap), all joined
// when the set goes.
#pragma once

#include <pthread.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include <station/core/result.hpp>

namespace station::workflows {

class SlotThreads {
  public:
    static constexpr std::size_t k_stack_bytes = 256 * 1024;

    explicit SlotThreads(std::size_t stack_bytes = k_stack_bytes) : m_stack(stack_bytes) {}
    ~SlotThreads();  // joins every thread started
    SlotThreads(const SlotThreads&) = delete;
    SlotThreads& operator=(const SlotThreads&) = delete;

    // Runs `work` on a new thread. Fails (Reason::out_of_resources, the system's words) when
    // the system has no thread to give; nothing is started then.
    core::Result<void> start(std::function<void()> work);

    std::size_t size() const { return m_threads.size(); }

  private:
    std::size_t m_stack;
    std::vector<pthread_t> m_threads;
    std::vector<std::unique_ptr<std::function<void()>>> m_work;
};

}  // namespace station::workflows
