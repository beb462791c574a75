// Fuzz target: the ALMS response parsers (station/alms/mapping.cpp: token, systems list, created
// uid, server error) and the Retry-After header reader (retry_policy.cpp), all over the same
// body. Beyond no crash: messages and descriptions are display-safe, a token error never quotes
// the body (it may hold the token), and a Retry-After wait is never negative.
#include <chrono>
#include <cstdint>

#include <station/alms/mapping.hpp>
#include <station/alms/retry_policy.hpp>

#include "fuzz_support.hpp"

namespace {

namespace mapping = station::alms::mapping;

void check_token(std::string_view body) {
    const auto token = mapping::parse_token(body);
    if (token) return;
    fuzz::check_message(token.error().message);
    if (body.find('{') != std::string_view::npos) {  // no fixed message holds a brace
        fuzz::require(token.error().message.find(body) == std::string::npos,
                      "a token error does not quote the body");
    }
}

void check_systems(std::string_view body) {
    const auto systems = mapping::parse_system_list(body, "look-up");
    if (!systems) {
        fuzz::check_message(systems.error().message);
        return;
    }
    for (const auto& system : *systems) fuzz::check_message(mapping::describe(system));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = fuzz::as_text(data, size);
    check_token(body);
    check_systems(body);
    const auto uid = mapping::parse_created_uid(body, "create");
    if (!uid) fuzz::check_message(uid.error().message);
    fuzz::check_message(mapping::describe(mapping::parse_error(body)));
    (void)mapping::refused_client(400, body);
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'764'547'200));
    if (const auto wait = station::alms::parse_retry_after(body, now)) {
        fuzz::require(wait->count() >= 0, "a Retry-After wait is not negative");
    }
    return 0;
}
