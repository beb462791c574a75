#include <station/app/central_config.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>

#include <station/alms/config.hpp>
#include <station/app/central_check.hpp>
#include <station/app/db_path.hpp>
#include <station/app/usage_error.hpp>
#include <station/config/toml_reader.hpp>
#include <station/core/sanitize.hpp>

namespace station::app {
namespace {

bool valid_station_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

void read_table(const std::filesystem::path& file, std::string_view command,
                CentralSettings& s) {
    auto table = config::read_toml_file(file);
    if (!table) throw UsageError(std::string(command) + ": " + table.error().message);
    config::TomlProblems problems{file.string(), {}, {}};
    config::TomlReader top(*table, problems);
    const toml::table* central = top.table("central");
    if (central == nullptr) return;
    config::TomlReader reader(*central, problems, "central.");
    if (auto url = reader.string("url")) s.url = *url;
    if (auto station = reader.string("station")) {
        if (!valid_station_id(*station)) {
            reader.report("station", "must be 1..64 letters, digits, '.', '_' or '-'");
        }
        s.station = *station;
    }
    if (auto pw = reader.string("password_file")) {
        std::filesystem::path path(*pw);
        s.password_file = path.is_relative() ? file.parent_path() / path : path;
    }
    if (auto t = reader.integer("connect_timeout_s", 1, 60)) s.connect_timeout_s = static_cast<int>(*t);
    if (auto t = reader.integer("statement_timeout_s", 1, 86400)) {
        s.statement_timeout_s = static_cast<int>(*t);
    }
    if (auto t = reader.integer("lock_timeout_s", 1, 3600)) s.lock_timeout_s = static_cast<int>(*t);
    reader.reject_unknown();
    if (const auto error = problems.error()) {
        throw UsageError(std::string(command) + ": " + error->message);
    }
}

std::string hostname() {
    std::array<char, 256> name{};
    if (gethostname(name.data(), name.size() - 1) != 0) return "station";
    std::string host(name.data());
    std::string clean;
    for (const char c : host) clean += valid_station_id(std::string(1, c)) ? c : '-';
    return clean.empty() ? "station" : clean.substr(0, 40);
}

}  // namespace

std::optional<CentralSettings> central_settings(std::string_view command,
                                                const std::string& url_arg) {
    CentralSettings s;
    if (const auto file = station_config_path(command)) read_table(*file, command, s);
    if (!url_arg.empty()) s.url = url_arg;
    const char* pw = std::getenv("STATION_CENTRAL_PASSWORD_FILE");  // NOLINT(concurrency-mt-unsafe)
    if (pw != nullptr && *pw != '\0') s.password_file = std::filesystem::path(pw);
    if (s.url.empty()) return std::nullopt;
    if (auto problem = central::url_problem(s.url)) {
        throw UsageError(std::string(command) + ": central database: " + *problem);
    }
    return s;
}

core::Result<central::ConnectSpec> connect_spec(const CentralSettings& settings) {
    central::ConnectSpec spec;
    spec.url = settings.url;
    spec.connect_timeout = std::chrono::seconds(settings.connect_timeout_s);
    spec.statement_timeout = std::chrono::seconds(settings.statement_timeout_s);
    spec.lock_timeout = std::chrono::seconds(settings.lock_timeout_s);
    if (settings.password_file) {
        auto text = alms::read_private_file(*settings.password_file);
        if (!text) return tl::unexpected(text.error());
        const std::string& all = text->reveal();
        spec.password = all.substr(0, all.find_first_of("\r\n"));
        if (spec.password.empty()) {
            return core::fail(core::Reason::bad_usage,
                              settings.password_file->string() + ": the first line is empty");
        }
    }
    return spec;
}

core::Result<std::string> station_id(const CentralSettings& settings,
                                     const std::filesystem::path& db) {
    if (!settings.station.empty()) return settings.station;
    const std::filesystem::path file = db.string() + ".station-id";
    std::ifstream in(file);
    std::string id;
    if (in && std::getline(in, id)) {
        if (valid_station_id(id)) return id;
        return core::fail(core::Reason::store_error,
                          file.string() + ": not a station id ('" +
                              core::sanitize_for_display(id, 64) + "'); delete it or set "
                                                                   "[central] station");
    }
    std::random_device random;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", random());
    id = hostname() + "-" + hex;
    // O_EXCL: two processes starting together keep the first one's id.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        std::ifstream again(file);
        if (again && std::getline(again, id) && valid_station_id(id)) return id;
        return core::fail(core::Reason::store_error, file.string() + ": cannot write the station id");
    }
    const std::string line = id + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::close(fd);
    if (!written) return core::fail(core::Reason::store_error, file.string() + ": cannot write the station id");
    return id;
}

std::unique_ptr<workflows::CentralCheck> central_check(std::string_view command,
                                                       const std::filesystem::path& db) {
    const auto settings = central_settings(command, "");
    if (!settings) return nullptr;
    auto station = station_id(*settings, db);
    if (!station) throw UsageError(std::string(command) + ": " + station.error().message);
    auto spec = connect_spec(*settings);
    if (!spec) throw UsageError(std::string(command) + ": " + spec.error().message);
    return std::make_unique<PgCentralCheck>(std::move(*spec), std::move(*station));
}

tl::expected<central::Connection, CentralConnectFailure> connect_central(
    std::string_view command) {
    const auto settings = central_settings(command, "");
    if (!settings) {
        throw UsageError(std::string(command) +
                         " --central: no central database: set [central] url in the station "
                         "config");
    }
    auto spec = connect_spec(*settings);
    if (!spec) return tl::unexpected(CentralConnectFailure{ExitCode::error, spec.error().message});
    auto db = central::Connection::connect(*spec);
    if (!db) {
        return tl::unexpected(
            CentralConnectFailure{ExitCode::temporary_failure, db.error().message});
    }
    return std::move(*db);
}

}  // namespace station::app
