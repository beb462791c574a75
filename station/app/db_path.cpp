#include <station/app/db_path.hpp>

#include <cstdlib>

#include <station/app/usage_error.hpp>
#include <station/config/toml_reader.hpp>
#include <station/store/store.hpp>

namespace station::app {
namespace {

// The installed station's system-wide config file: /etc/station/station.toml for
// /usr/bin/station, else <prefix>/etc/station/station.toml for <prefix>/bin/station (a binary
// in the build folder finds none there). nullopt when the binary's path cannot be read.
std::optional<std::filesystem::path> system_config_file() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return std::nullopt;
    const auto prefix = exe.parent_path().parent_path();
    const std::filesystem::path etc =
        prefix == "/usr" ? std::filesystem::path("/etc") : prefix / "etc";
    return etc / "station" / "station.toml";
}

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at startup
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

// `db` from the config file, or nullopt when the file does not set it.
std::optional<std::filesystem::path> db_from_config(const std::filesystem::path& file,
                                                    std::string_view command) {
    auto table = config::read_toml_file(file);
    if (!table) throw UsageError(std::string(command) + ": " + table.error().message);
    config::TomlProblems problems{file.string(), {}, {}};
    config::TomlReader reader(*table, problems);
    auto db = reader.string("db");
    if (db && db->empty()) reader.report("db", "is empty");
    (void)reader.table("central");  // the central database's settings: central_config.cpp
    reader.reject_unknown();
    if (const auto error = problems.error()) {
        throw UsageError(std::string(command) + ": " + error->message);
    }
    if (!db) return std::nullopt;
    std::filesystem::path path(*db);
    if (path.is_relative()) path = file.parent_path() / path;
    return path;
}

}  // namespace

std::optional<std::filesystem::path> station_config_path(std::string_view command) {
    if (const auto named = env("STATION_CONFIG")) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(*named, ec)) {
            throw UsageError(std::string(command) + ": STATION_CONFIG names " + *named +
                             ", which is not a readable file");
        }
        return std::filesystem::path(*named);
    }
    std::optional<std::filesystem::path> candidate;
    if (const auto xdg = env("XDG_CONFIG_HOME"); xdg && xdg->front() == '/') {
        candidate = std::filesystem::path(*xdg) / "station" / "station.toml";
    } else if (const auto home = env("HOME"); home && home->front() == '/') {
        candidate = std::filesystem::path(*home) / ".config" / "station" / "station.toml";
    }
    std::error_code ec;
    if (candidate && std::filesystem::exists(*candidate, ec)) return candidate;
    // The package's system-wide file (/etc/station/station.toml), all comments as shipped.
    if (const auto system_file = system_config_file();
        system_file && std::filesystem::exists(*system_file, ec)) {
        return system_file;
    }
    return std::nullopt;
}

std::filesystem::path resolve_db_path(const std::string& db_arg, std::string_view command) {
    if (!db_arg.empty()) return db_arg;
    if (const auto db = env("STATION_DB")) return *db;
    if (const auto file = station_config_path(command)) {
        if (auto db = db_from_config(*file, command)) return *db;
    }
    auto found = store::default_db_path();
    if (!found) {
        throw UsageError(std::string(command) + ": " + found.error().message + " (give --db FILE)");
    }
    // Only the default location's folder is created; a named one (--db, $STATION_DB, the
    // config file) must exist, so a typo never grows a new tree. A failure here is left to the
    // store, which names the file.
    std::error_code ec;
    std::filesystem::create_directories(found->parent_path(), ec);
    return *found;
}

}  // namespace station::app
