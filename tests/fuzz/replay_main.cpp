// The replay driver of the normal build: runs a fuzz target's LLVMFuzzerTestOneInput over each
// file given and every file of the directories given (its seed corpus, its crash regressions),
// so each input libFuzzer ever found becomes a regression test that needs no clang. A missing directory is skipped; no
// input at all is a failure (a test that replays nothing proves nothing).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_in(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::is_regular_file(dir, ec)) return {dir};
    if (!fs::is_directory(dir, ec)) return files;
    for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t count = 0;
    double slowest_ms = 0;
    std::string slowest;
    for (int i = 1; i < argc; ++i) {
        for (const auto& file : inputs_in(argv[i])) {
            const std::string bytes = read_all(file);
            std::fprintf(stderr, "replay %s\n", file.c_str());  // names the input if it aborts
            const auto start = std::chrono::steady_clock::now();
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                   bytes.size());
            const std::chrono::duration<double, std::milli> took =
                std::chrono::steady_clock::now() - start;
            if (took.count() > slowest_ms) {
                slowest_ms = took.count();
                slowest = file.string();
            }
            ++count;
        }
    }
    if (count == 0) {
        std::fprintf(stderr, "replay: no input files in the directories given\n");
        return 1;
    }
    std::printf("replayed %zu inputs; slowest %.1f ms (%s)\n", count, slowest_ms, slowest.c_str());
    return 0;
}
