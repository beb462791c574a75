// A connection to the central PostgreSQL (issue 20) through libpq. libpq (and the TLS, Kerberos
// and LDAP libraries it needs) is loaded with dlopen() the first time a command talks to the
// central database, so the station binary NEEDs none of them (startup_test pins that) and a
// station without the package still runs every local command.
//
// Every statement is sent with bound parameters (PQexecParams); values travel as text. Error
// messages name what was being done; they are libpq's and the server's, which never hold the
// password (it is never in the URL: see central_config.hpp).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <station/core/result.hpp>

namespace station::central {

using Value = std::optional<std::string>;  // NULL or the text form
using Row = std::vector<Value>;

struct ConnectSpec {
    std::string url;       // postgresql://user@host/db?sslmode=verify-full ... (no password)
    std::string password;  // from the credentials file; empty: libpq's own (PGPASSFILE)
    std::chrono::seconds connect_timeout{2};
    // Every wait on the server is bounded: a statement running longer, or waiting longer for a
    // lock (a row or mark another session holds), is cancelled by the server with an error
    // naming it (set on the session after connecting; 0 leaves the server's own setting).
    std::chrono::seconds statement_timeout{120};
    std::chrono::seconds lock_timeout{30};
    std::string application_name = "station";
};

class Connection {
  public:
    // Connects (bounded by connect_timeout). Fails with store_error naming the server's answer.
    static core::Result<Connection> connect(const ConnectSpec& spec);
    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    ~Connection();

    // Runs one statement with parameters $1..$n; the rows it returns.
    core::Result<std::vector<Row>> exec(std::string_view sql, const std::vector<Value>& params,
                                        std::string_view what);
    // Runs statements without parameters (several, separated by ';': a migration).
    core::Result<void> run(std::string_view sql, std::string_view what);
    // COPY ... FROM STDIN (text format): `copy_sql` starts it, `data` is the rows' text.
    core::Result<void> copy_in(std::string_view copy_sql, std::string_view data,
                               std::string_view what);
    // Whether the connection is still usable (false after the server went away).
    bool ok() const;

  private:
    struct Handle;
    explicit Connection(std::unique_ptr<Handle> handle);
    std::unique_ptr<Handle> m_handle;
};

// Quotes one value for COPY's text format (backslash, tab, newline, carriage return escaped;
// NULL as \N).
void append_copy_field(std::string& out, const Value& value);

// Whether `url` names a PostgreSQL connection (postgresql:// or postgres://) without a
// password in it. A message naming the problem otherwise.
std::optional<std::string> url_problem(std::string_view url);

}  // namespace station::central
