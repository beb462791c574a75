#include <cstdlib>

#include <station/store/store.hpp>

namespace station::store {

std::optional<std::string> process_env(const char* name) {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at startup
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

Result<std::filesystem::path> default_db_path(const EnvLookup& env) {
    if (auto db = env("STATION_DB"); db && !db->empty()) return std::filesystem::path(*db);
    if (auto xdg = env("XDG_DATA_HOME"); xdg && !xdg->empty() && xdg->front() == '/') {
        return std::filesystem::path(*xdg) / "station" / "station.db";
    }
    if (auto home = env("HOME"); home && !home->empty() && home->front() == '/') {
        return std::filesystem::path(*home) / ".local" / "share" / "station" / "station.db";
    }
    return core::fail(core::Reason::store_error,
                      "no database path: set --db, STATION_DB, XDG_DATA_HOME or HOME");
}

}  // namespace station::store
