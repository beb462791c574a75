#include <station/alms/registration.hpp>

#include <array>
#include <utility>

namespace station::alms {
namespace {

constexpr std::array<std::pair<Term, std::string_view>, 3> k_terms{
    std::pair{Term::one_year, "1y"}, std::pair{Term::three_years, "3y"},
    std::pair{Term::five_years, "5y"}};

}  // namespace

std::string_view to_string(Term term) {
    for (const auto& [value, name] : k_terms) {
        if (value == term) return name;
    }
    return "1y";
}

std::optional<Term> term_from_string(std::string_view text) {
    for (const auto& [value, name] : k_terms) {
        if (name == text) return value;
    }
    return std::nullopt;
}

std::string_view to_string(AttemptKind kind) {
    switch (kind) {
        case AttemptKind::registered:
            return "registered";
        case AttemptKind::conflict:
            return "conflict";
        case AttemptKind::retry_later:
            return "retry_later";
        case AttemptKind::failed_final:
            return "failed_final";
    }
    return "failed_final";
}

}  // namespace station::alms
