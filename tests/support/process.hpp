// Running the built binaries from tests: bounded in time, output captured, never left behind.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tests {

struct ProcessResult {
    int exit_code = -1;  // -1 when killed by a signal or timed out
    int signal = 0;
    bool timed_out = false;
    std::string out;
    std::string err;
};

// Runs argv[0] with arguments, waits at most `timeout` (then SIGKILL), returns its output.
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

// A process running in the background until stop() or destruction (SIGTERM, then SIGKILL).
class BackgroundProcess {
  public:
    // stdout goes to `stdout_path` (created or truncated), or to /dev/null when empty.
    explicit BackgroundProcess(const std::vector<std::string>& argv,
                               const std::string& stdout_path = "");
    ~BackgroundProcess();
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;

    pid_t pid() const { return m_pid; }
    // Sends SIGTERM and waits up to `grace`, then SIGKILL. Returns the exit status as waitpid.
    int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
    // Sends `signal` now (e.g. SIGINT, SIGKILL) without waiting.
    void signal(int signal) const;
    // Waits up to `timeout` for the process to end by itself; its waitpid status, or nullopt.
    std::optional<int> wait(std::chrono::milliseconds timeout);

  private:
    pid_t m_pid = -1;
    int m_status = 0;
};

// Waits until `path` exists and is non-empty, at most `timeout`. True when it did.
bool wait_for_file(const std::string& path, std::chrono::milliseconds timeout);

// Waits until the file at `path` holds a complete line (ended by '\n') containing `text`, at
// most `timeout`: for a background process's prompt before the test acts. True when it did.
bool wait_for_line(const std::string& path, const std::string& text,
                   std::chrono::milliseconds timeout);

// A fresh temporary directory, removed with its contents on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }

  private:
    std::string m_path;
};

}  // namespace tests
