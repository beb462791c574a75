#include <station/central/pq.hpp>

#include <station/central/libpq_api.hpp>
#include <station/core/sanitize.hpp>

namespace station::central {
namespace {

// libpq's and the server's text, one line, safe to show.
std::string clean(const char* text) {
    std::string s = text ? text : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    for (char& c : s) {
        if (c == '\n' || c == '\t') c = ' ';
    }
    return core::sanitize_for_display(s, 400);
}

tl::unexpected<core::Error> failure(std::string_view what, const std::string& why) {
    return core::fail(core::Reason::store_error,
                      "central database: " + std::string(what) + ": " + why);
}

void quiet(void* /*arg*/, const char* /*message*/) {}  // NOTICEs are not the operator's

}  // namespace

struct Connection::Handle {
    const LibPq* api = nullptr;
    PGconn* conn = nullptr;
    ~Handle() {
        if (conn != nullptr) api->finish(conn);
    }
};

Connection::Connection(std::unique_ptr<Handle> handle) : m_handle(std::move(handle)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

core::Result<Connection> Connection::connect(const ConnectSpec& spec) {
    if (auto problem = url_problem(spec.url)) {
        return core::fail(core::Reason::bad_usage, "central database: " + *problem);
    }
    auto api = libpq();
    if (!api) return tl::unexpected(api.error());
    const std::string timeout = std::to_string(spec.connect_timeout.count());
    // dbname carries the URL (expand_dbname); the later keywords win over what it says.
    std::vector<const char*> keys{"dbname", "connect_timeout", "application_name"};
    std::vector<const char*> values{spec.url.c_str(), timeout.c_str(),
                                    spec.application_name.c_str()};
    if (!spec.password.empty()) {
        keys.push_back("password");
        values.push_back(spec.password.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    auto handle = std::make_unique<Handle>();
    handle->api = *api;
    handle->conn = (*api)->connectdb_params(keys.data(), values.data(), 1);
    if (handle->conn == nullptr) return failure("connect", "out of memory");
    if ((*api)->status(handle->conn) != CONNECTION_OK) {
        return failure("connect", clean((*api)->error_message(handle->conn)));
    }
    (*api)->set_notice_processor(handle->conn, &quiet, nullptr);
    Connection db(std::move(handle));
    std::string bounds;
    for (const auto& [name, value] : {std::pair{"statement_timeout", spec.statement_timeout},
                                      std::pair{"lock_timeout", spec.lock_timeout}}) {
        if (value.count() > 0) {
            bounds += "SET " + std::string(name) + " = '" + std::to_string(value.count()) + "s';";
        }
    }
    if (!bounds.empty()) {
        if (auto set = db.run(bounds, "set the statement and lock timeouts"); !set) {
            return tl::unexpected(set.error());
        }
    }
    return db;
}

bool Connection::ok() const {
    return m_handle && m_handle->api->status(m_handle->conn) == CONNECTION_OK;
}

core::Result<std::vector<Row>> Connection::exec(std::string_view sql,
                                                const std::vector<Value>& params,
                                                std::string_view what) {
    const auto* api = m_handle->api;
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    const std::string text(sql);
    PGresult* res = api->exec_params(m_handle->conn, text.c_str(), static_cast<int>(params.size()),
                                     nullptr, values.data(), nullptr, nullptr, 0);
    if (res == nullptr) return failure(what, clean(api->error_message(m_handle->conn)));
    const auto status = api->result_status(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        std::string why = clean(api->result_error_message(res));
        api->clear(res);
        return failure(what, why);
    }
    std::vector<Row> rows;
    const int n = api->ntuples(res);
    const int cols = api->nfields(res);
    rows.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
        Row row;
        row.reserve(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c) {
            if (api->getisnull(res, r, c)) {
                row.emplace_back(std::nullopt);
            } else {
                row.emplace_back(std::string(api->getvalue(res, r, c),
                                             static_cast<std::size_t>(api->getlength(res, r, c))));
            }
        }
        rows.push_back(std::move(row));
    }
    api->clear(res);
    return rows;
}

core::Result<void> Connection::run(std::string_view sql, std::string_view what) {
    const auto* api = m_handle->api;
    const std::string text(sql);
    PGresult* res = api->exec(m_handle->conn, text.c_str());
    if (res == nullptr) return failure(what, clean(api->error_message(m_handle->conn)));
    const auto status = api->result_status(res);
    std::string why = clean(api->result_error_message(res));
    api->clear(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return failure(what, why);
    return {};
}

core::Result<void> Connection::copy_in(std::string_view copy_sql, std::string_view data,
                                       std::string_view what) {
    const auto* api = m_handle->api;
    const std::string text(copy_sql);
    PGresult* res = api->exec_params(m_handle->conn, text.c_str(), 0, nullptr, nullptr, nullptr,
                                     nullptr, 0);
    const bool started = res != nullptr && api->result_status(res) == PGRES_COPY_IN;
    std::string why = res ? clean(api->result_error_message(res)) : "";
    if (res) api->clear(res);
    if (!started) return failure(what, why.empty() ? clean(api->error_message(m_handle->conn)) : why);
    constexpr std::size_t k_chunk = 1U << 20U;
    bool sent = true;
    for (std::size_t at = 0; at < data.size() && sent; at += k_chunk) {
        const auto n = std::min(k_chunk, data.size() - at);
        sent = api->put_copy_data(m_handle->conn, data.data() + at, static_cast<int>(n)) == 1;
    }
    if (api->put_copy_end(m_handle->conn, sent ? nullptr : "send failed") != 1) sent = false;
    bool ok = sent;
    std::string error;
    while (PGresult* r = api->get_result(m_handle->conn)) {
        if (api->result_status(r) != PGRES_COMMAND_OK) {
            ok = false;
            error = clean(api->result_error_message(r));
        }
        api->clear(r);
    }
    if (!ok) return failure(what, error.empty() ? clean(api->error_message(m_handle->conn)) : error);
    return {};
}

void append_copy_field(std::string& out, const Value& value) {
    if (!value) {
        out += "\\N";
        return;
    }
    for (const char c : *value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
        }
    }
}

std::optional<std::string> url_problem(std::string_view url) {
    const bool scheme = url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
    if (!scheme) return "the URL must start with postgresql:// (got '" +
                        core::sanitize_for_display(url.substr(0, 24), 40) + "...')";
    const auto rest = url.substr(url.find("//") + 2);
    const auto at = rest.find('@');
    const auto slash = rest.find('/');
    if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash)) {
        if (rest.substr(0, at).find(':') != std::string_view::npos) {
            return "the URL carries a password: put it in the credentials file ([central] "
                   "password) or a PGPASSFILE, never on the command line";
        }
    }
    if (url.find("password=") != std::string_view::npos) {
        return "the URL carries a password= parameter: put it in the credentials file "
               "([central] password) or a PGPASSFILE, never on the command line";
    }
    return std::nullopt;
}

}  // namespace station::central
