#include <station/core/time_text.hpp>

#include <array>
#include <cstdio>
#include <ctime>

namespace station::core {

std::string iso_utc(std::chrono::system_clock::time_point at, bool millis) {
    const auto ms = std::chrono::floor<std::chrono::milliseconds>(at.time_since_epoch());
    const auto secs = std::chrono::floor<std::chrono::seconds>(ms);
    const auto t = static_cast<std::time_t>(secs.count());
    std::tm tm{};
    if (gmtime_r(&t, &tm) == nullptr) return "?";
    std::array<char, 48> buf{};
    const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out(buf.data(), n);
    if (millis) {
        (void)std::snprintf(buf.data(), buf.size(), ".%03d", static_cast<int>((ms - secs).count()));
        out += buf.data();
    }
    return out + "Z";
}

}  // namespace station::core
