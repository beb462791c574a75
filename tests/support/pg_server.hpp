// A real PostgreSQL server for tests (issue 20): Debian's PostgreSQL 15 binaries, `initdb` into
// a fresh temporary folder, listening only on a Unix socket in that folder (no TCP port), run
// as an unprivileged user when the tests run as root (initdb and postgres refuse root: the
// `postgres` system user the package creates, else `nobody`). Started once per test binary (a
// gtest Environment, see pg_environment()), stopped on destruction, also when a test failed.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace tests {

class PgServer {
  public:
    // initdb (trust authentication on the socket; fsync off: a test server) and start.
    // Throws std::runtime_error naming the step and its output when a step fails.
    PgServer();
    ~PgServer();
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    // Starts the server and waits until it accepts connections (at most 30 s).
    void start();
    // Stops it (fast shutdown: open connections are ended), waiting at most 30 s.
    void stop();
    bool running() const { return m_running; }

    // The folder of the socket (libpq's host=).
    const std::string& socket_dir() const { return m_dir; }
    // A new empty database; its connection URL (postgresql://postgres@/NAME?host=DIR).
    std::string create_database(const std::string& name);
    std::string url(const std::string& database) const;
    // Runs one SQL text with psql on `database`; its unaligned, tuples-only output.
    // Throws when psql fails.
    std::string query(const std::string& database, const std::string& sql) const;
    // The psql command line query() runs, for a session a test keeps open in the background
    // (tests::BackgroundProcess), e.g. one holding a lock.
    std::vector<std::string> psql(const std::string& database, const std::string& sql) const;

  private:
    std::vector<std::string> as_owner(std::vector<std::string> argv) const;
    std::string m_dir;
    bool m_running = false;
    bool m_root = false;
    std::string m_owner;
};

// The test binary's server, started on first use and stopped when the binary ends.
PgServer& pg_server();

}  // namespace tests
