// Slot threads: each runs its work on a stack of the size asked for, and every one is joined
// when the set goes.
#include <station/workflows/slot_threads.hpp>

#include <pthread.h>

#include <atomic>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

namespace station::workflows {
namespace {

// ThreadSanitizer's pthread_create adds room of its own to every stack it is asked for (the slot
// threads' 256 KiB come out as 900 KiB): there the bound is still far below the default 8 MiB.
#if defined(__SANITIZE_THREAD__)
constexpr std::size_t k_stack_limit = std::size_t{4} << 20;
#else
constexpr std::size_t k_stack_limit = SlotThreads::k_stack_bytes * 2;
#endif

std::size_t own_stack_size() {
    pthread_attr_t attr;
    if (::pthread_getattr_np(::pthread_self(), &attr) != 0) return 0;
    std::size_t size = 0;
    ::pthread_attr_getstacksize(&attr, &size);
    ::pthread_attr_destroy(&attr);
    return size;
}

TEST(SlotThreads, EachRunsOnASmallStackAndAllAreJoined) {
    std::atomic<int> ran{0};
    std::mutex lock;
    std::vector<std::size_t> stacks;
    {
        SlotThreads threads;
        for (int i = 0; i < 64; ++i) {
            ASSERT_TRUE(threads.start([&] {
                const std::size_t size = own_stack_size();
                std::lock_guard guard(lock);
                stacks.push_back(size);
                ++ran;
            }));
        }
        EXPECT_EQ(threads.size(), 64U);
    }  // joined here
    EXPECT_EQ(ran.load(), 64);
    ASSERT_EQ(stacks.size(), 64U);
    for (const auto size : stacks) {
        EXPECT_GE(size, SlotThreads::k_stack_bytes);
        EXPECT_LT(size, k_stack_limit) << "not the default 8 MiB stack";
    }
}

TEST(SlotThreads, AnImpossibleStackIsAClearError) {
    SlotThreads threads(std::size_t{1} << 62);  // no system gives a thread this much
    const auto started = threads.start([] {});
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().reason, core::Reason::out_of_resources);
    EXPECT_NE(started.error().message.find("cannot start slot thread 1: "), std::string::npos)
        << started.error().message;
    EXPECT_EQ(threads.size(), 0U);
}

}  // namespace
}  // namespace station::workflows
