// The shared hand-written fake of drivers::serial::SerialPort: a scripted modem.
//
// Each command written (bytes up to CR) is looked up in a script; its reply is queued for
// reading. Reads never block: with nothing queued they return 0 at once, which the channel
// sees as its deadline passing, so timeout paths run without waiting.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <drivers/serial/serial_port.hpp>

namespace tests {

class FakeSerialPort final : public drivers::serial::SerialPort {
  public:
    using Responder = std::function<std::string(const std::string& command)>;

    explicit FakeSerialPort(std::string path = "/dev/fake0") : m_path(std::move(path)) {}

    // Replies for a command, used in order; the last one repeats.
    void script(const std::string& command, std::vector<std::string> replies) {
        m_script[command] = {std::move(replies), 0};
    }
    // Fallback for commands not in the script (default: "\r\nERROR\r\n").
    void set_responder(Responder responder) { m_responder = std::move(responder); }
    // Bytes available to read now, before any command.
    void push_rx(const std::string& bytes) { m_rx.push_back(bytes); }
    // Bytes delivered only after `reads` more empty reads (a late answer).
    void push_late(const std::string& bytes, int reads) { m_late.push_back({bytes, reads}); }
    // From now on every read and write fails with port_lost.
    void vanish() { m_lost = true; }
    // Echo every command back (E1) before its reply.
    void set_echo(bool echo) { m_echo = echo; }

    const std::vector<std::string>& commands() const { return m_commands; }

    drivers::serial::Result<void> write(std::string_view data,
                                        drivers::serial::Clock::time_point) override;
    drivers::serial::Result<std::size_t> read(std::span<char> buf,
                                              drivers::serial::Clock::time_point) override;
    drivers::serial::Result<void> flush_input() override {
        m_rx.clear();
        return {};
    }
    void close() override {}
    const std::string& path() const override { return m_path; }
    std::string_view backend_name() const override { return "fake"; }

  private:
    struct Scripted {
        std::vector<std::string> replies;
        std::size_t next;
    };
    struct Late {
        std::string bytes;
        int reads;
    };
    std::string reply_for(const std::string& command);

    std::string m_path;
    std::map<std::string, Scripted> m_script;
    Responder m_responder;
    std::deque<std::string> m_rx;
    std::vector<Late> m_late;
    std::string m_partial;
    std::vector<std::string> m_commands;
    bool m_lost = false;
    bool m_echo = false;
};

}  // namespace tests
