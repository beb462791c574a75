#include <station/core/sku_profile.hpp>

#include <algorithm>
#include <cctype>

#include <station/core/text.hpp>

namespace station::core {
namespace {

char fold(char ch) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
}

bool is_digit(char ch) {
    return ch >= '0' && ch <= '9';
}

constexpr std::size_t k_max_part_digits = 9;  // fits a long on every platform

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
    // Iterative matcher with one backtrack point: linear in practice, no recursion.
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && (pattern[p] == '?' || fold(pattern[p]) == fold(text[t]))) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

bool carries_module(const SkuProfile& profile, std::string_view model) {
    const auto& globs = profile.signals.module_models;
    return std::any_of(globs.begin(), globs.end(),
                       [&](const auto& glob) { return glob_match(glob, model); });
}

const SkuProfile* profile_with_part(std::span<const SkuProfile> profiles, std::string_view part) {
    for (const auto& p : profiles) {
        for (const auto& number : p.part_numbers) {
            if (iequals(number, part)) return &p;
        }
    }
    return nullptr;
}

std::optional<std::vector<long>> firmware_version(std::string_view firmware) {
    for (std::size_t i = 0; i < firmware.size(); ++i) {
        if (!is_digit(firmware[i]) || (i > 0 && is_digit(firmware[i - 1]))) continue;
        std::vector<long> parts;
        std::size_t j = i;
        while (true) {
            const std::size_t start = j;
            long value = 0;
            while (j < firmware.size() && is_digit(firmware[j])) {
                if (j - start >= k_max_part_digits) return std::nullopt;
                value = value * 10 + (firmware[j] - '0');
                ++j;
            }
            parts.push_back(value);
            if (j + 1 < firmware.size() && firmware[j] == '.' && is_digit(firmware[j + 1])) {
                ++j;
                continue;
            }
            break;
        }
        if (parts.size() >= 2) return parts;
        i = j;
    }
    return std::nullopt;
}

int compare_versions(const std::vector<long>& a, const std::vector<long>& b) {
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const long x = i < a.size() ? a[i] : 0;
        const long y = i < b.size() ? b[i] : 0;
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

}  // namespace station::core
