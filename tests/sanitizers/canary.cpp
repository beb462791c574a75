// The sanitizer stage's own proof that it is live (tests/sanitizers/CMakeLists.txt): each mode
// commits one error that the build's sanitizer must report, and the stage's options
// (scripts/test-sanitizers) must stop the process there. Its tests pass only on the sanitizer's
// report, and fail when the process lives on to print "canary: survived".
#include <climits>
#include <cstdio>
#include <string_view>
#include <thread>

namespace {

int g_counter = 0;          // written by two threads without a lock: the data race
int* volatile g_leaked;     // volatile, so the allocation is not optimised away

[[gnu::noinline]] void count() {
    for (int i = 0; i < 100000; ++i) g_counter = g_counter + 1;
}

int data_race() {
    std::thread first(count);
    std::thread second(count);
    first.join();
    second.join();
    return g_counter > 0 ? 0 : 1;
}

// `slack` is 1 at run time (argc - 1), so no compiler sees the bad index or the overflow coming.
// The read goes through a volatile pointer: UBSan's object-size check, which would otherwise
// report the read first (it knows new char[8]'s size), cannot see the object, so the report is
// ASan's own.
int heap_overflow(int slack) {
    char* bytes = new char[8]();
    char* volatile opaque = bytes;
    const char past_the_end = opaque[7 + slack];
    delete[] bytes;
    return past_the_end == 'x' ? 1 : 0;
}

int signed_overflow(int slack) {
    volatile int largest = INT_MAX;
    const int more = largest + slack;
    return more < 0 ? 0 : 1;
}

int leak() {
    g_leaked = new int[4]();
    g_leaked = nullptr;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: sanitizer_canary data-race|heap-overflow|signed-overflow|leak\n");
        return 64;
    }
    const std::string_view mode = argv[1];
    const int slack = argc - 1;
    int status = 64;
    if (mode == "data-race") status = data_race();
    else if (mode == "heap-overflow") status = heap_overflow(slack);
    else if (mode == "signed-overflow") status = signed_overflow(slack);
    else if (mode == "leak") status = leak();
    else std::fprintf(stderr, "sanitizer_canary: unknown mode '%s'\n", argv[1]);
    // A leak is found at exit, after this line: its test looks for the report only.
    std::printf("canary: survived %s\n", argv[1]);
    return status;
}
