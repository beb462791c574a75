#include "pg_server.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "process.hpp"

namespace tests {
namespace {

using namespace std::chrono_literals;

constexpr const char* k_bin = "/usr/lib/postgresql/15/bin/";
constexpr const char* k_port = "5432";

std::string run_checked(const std::vector<std::string>& argv, const std::string& step,
                        std::chrono::milliseconds timeout = 60s) {
    const auto result = run_process(argv, timeout);
    if (result.exit_code != 0) {
        throw std::runtime_error("PgServer: " + step + " failed (exit " +
                                 std::to_string(result.exit_code) + (result.timed_out ? ", timed out" : "") +
                                 "): " + result.err + result.out);
    }
    return result.out;
}

}  // namespace

PgServer::PgServer() : m_root(geteuid() == 0) {
    std::string pattern = (std::filesystem::temp_directory_path() / "pg-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("PgServer: mkdtemp failed");
    m_dir = pattern;
    if (m_root) {
        const passwd* pw = getpwnam("postgres");
        if (pw == nullptr) pw = getpwnam("nobody");
        if (pw == nullptr) throw std::runtime_error("PgServer: no postgres or nobody user");
        m_owner = pw->pw_name;
        if (chown(m_dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
            throw std::runtime_error("PgServer: cannot chown " + m_dir + " to " + m_owner);
        }
    }
    run_checked(as_owner({std::string(k_bin) + "initdb", "-D", m_dir + "/data", "-A", "trust",
                          "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"}),
                "initdb");
    start();
}

PgServer::~PgServer() {
    try {
        if (m_running) stop();
    } catch (const std::exception&) {
        // Left for the removal below; a server still running keeps its files open only.
    }
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

std::vector<std::string> PgServer::as_owner(std::vector<std::string> argv) const {
    if (!m_root) return argv;
    std::vector<std::string> wrapped{"/usr/sbin/runuser", "-u", m_owner, "--"};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    return wrapped;
}

void PgServer::start() {
    run_checked(as_owner({std::string(k_bin) + "pg_ctl", "-D", m_dir + "/data", "-l",
                          m_dir + "/server.log", "-w", "-t", "30", "-o",
                          "-k " + m_dir + " -p " + k_port +
                              " -c listen_addresses='' -c fsync=off -c full_page_writes=off",
                          "start"}),
                "pg_ctl start", 40s);
    m_running = true;
}

void PgServer::stop() {
    run_checked(as_owner({std::string(k_bin) + "pg_ctl", "-D", m_dir + "/data", "-m", "fast",
                          "-w", "-t", "30", "stop"}),
                "pg_ctl stop", 40s);
    m_running = false;
}

std::string PgServer::url(const std::string& database) const {
    return "postgresql://postgres@/" + database + "?host=" + m_dir + "&port=" + k_port;
}

std::string PgServer::create_database(const std::string& name) {
    query("postgres", "CREATE DATABASE \"" + name + "\"");
    return url(name);
}

std::vector<std::string> PgServer::psql(const std::string& database,
                                         const std::string& sql) const {
    return {std::string(k_bin) + "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", m_dir, "-p", k_port, "-U", "postgres", "-d", database, "-c", sql};
}

std::string PgServer::query(const std::string& database, const std::string& sql) const {
    return run_checked(psql(database, sql), "psql");
}

PgServer& pg_server() {
    static const std::unique_ptr<PgServer> server = std::make_unique<PgServer>();
    return *server;
}

}  // namespace tests
