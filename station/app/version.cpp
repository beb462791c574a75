#include <station/app/version.hpp>

#include <string_view>

namespace station::app {

std::string station_version() {
    constexpr std::string_view k_version = STATION_VERSION;
    constexpr std::string_view k_describe = STATION_GIT_DESCRIBE;
    std::string text(k_version);
    if (!k_describe.empty()) text += " (" + std::string(k_describe) + ")";
    return text;
}

}  // namespace station::app
