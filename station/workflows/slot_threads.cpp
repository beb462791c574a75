#include <station/workflows/slot_threads.hpp>

#include <cstring>
#include <string>

namespace station::workflows {
namespace {

void* run_work(void* arg) {
    (*static_cast<std::function<void()>*>(arg))();
    return nullptr;
}

std::string system_words(int code) {
    char buf[256] = {};
    return ::strerror_r(code, buf, sizeof buf);  // GNU strerror_r: returns the text
}

}  // namespace

SlotThreads::~SlotThreads() {
    for (const auto thread : m_threads) ::pthread_join(thread, nullptr);
}

core::Result<void> SlotThreads::start(std::function<void()> work) {
    pthread_attr_t attr;
    if (const int rc = ::pthread_attr_init(&attr); rc != 0) {
        return core::fail(core::Reason::out_of_resources,
                          "cannot set up a slot thread: " + system_words(rc));
    }
    ::pthread_attr_setstacksize(&attr, m_stack);
    auto owned = std::make_unique<std::function<void()>>(std::move(work));
    pthread_t thread{};
    const int rc = ::pthread_create(&thread, &attr, &run_work, owned.get());
    ::pthread_attr_destroy(&attr);
    if (rc != 0) {
        return core::fail(core::Reason::out_of_resources, "cannot start slot thread " +
                                                              std::to_string(m_threads.size() + 1) +
                                                              ": " + system_words(rc));
    }
    m_threads.push_back(thread);
    m_work.push_back(std::move(owned));
    return {};
}

}  // namespace station::workflows
