#include <station/app/open_files.hpp>

#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace station::app {
namespace {

constexpr std::size_t k_per_slot = 4;
constexpr std::size_t k_base = 64;

std::string number(rlim_t value) {
    return value == RLIM_INFINITY ? std::string("unlimited") : std::to_string(value);
}

}  // namespace

std::size_t open_files_needed(std::size_t slots) {
    return k_base + k_per_slot * slots;
}

core::Result<void> ensure_open_files(std::string_view command, std::size_t slots) {
    const std::size_t needed = open_files_needed(slots);
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return core::fail(
            core::Reason::out_of_resources,
            std::string(command) + ": cannot read the open-files limit: " + std::strerror(errno));
    }
    const auto wanted = static_cast<rlim_t>(needed);
    if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted) return {};
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < wanted) {
        return core::fail(core::Reason::out_of_resources,
                          std::string(command) + ": " + std::to_string(slots) +
                              " slots need about " + std::to_string(needed) +
                              " open files, but this process may open at most " +
                              number(limit.rlim_max) +
                              " (hard limit, `ulimit -Hn`): raise it (LimitNOFILE= for a "
                              "service, /etc/security/limits.conf for a login) or give fewer "
                              "slots");
    }
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return core::fail(core::Reason::out_of_resources,
                          std::string(command) + ": cannot raise the open-files limit to " +
                              number(limit.rlim_max) + ": " + std::strerror(errno));
    }
    return {};
}

}  // namespace station::app
