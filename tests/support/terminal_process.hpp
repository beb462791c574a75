// A process whose stdout and stderr are a pseudo-terminal of a given size, as when an operator
// runs it at a terminal: what it draws is collected, and what a person sees can be measured.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tests {

class TerminalProcess {
  public:
    // Starts argv[0] on a new pty of `columns` x `rows` (stdin too); LANG=C.UTF-8 and TERM=xterm.
    TerminalProcess(const std::vector<std::string>& argv, int columns, int rows);
    ~TerminalProcess();  // SIGKILL if still running
    TerminalProcess(const TerminalProcess&) = delete;
    TerminalProcess& operator=(const TerminalProcess&) = delete;

    // Everything drawn so far (escape sequences included).
    std::string output() const;
    // Waits up to `timeout` until output() contains `text`.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout) const;
    void signal(int signal) const;
    // Waits up to `timeout` for the process to end; its exit code (-1 if killed), or nullopt.
    std::optional<int> wait(std::chrono::milliseconds timeout);

  private:
    void read_loop();

    pid_t m_pid = -1;
    int m_master = -1;
    std::optional<int> m_exit;
    mutable std::mutex m_mutex;
    std::string m_output;
    std::thread m_reader;
};

// The lines of the last frame a live display drew (frames end with "clear to end of screen"),
// escape sequences removed.
std::vector<std::string> last_frame_lines(const std::string& output);

// Terminal columns of a line once its escape sequences are removed (core::display_width).
std::size_t columns_of(const std::string& line);

}  // namespace tests
