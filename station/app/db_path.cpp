#include <station/app/db_path.hpp>

#include <station/app/usage_error.hpp>
#include <station/store/store.hpp>

namespace station::app {

std::filesystem::path resolve_db_path(const std::string& db_arg, std::string_view command) {
    if (!db_arg.empty()) return db_arg;
    auto found = store::default_db_path();
    if (!found) {
        throw UsageError(std::string(command) + ": " + found.error().message + " (give --db FILE)");
    }
    return *found;
}

}  // namespace station::app
