// The part numbers the manifest tests' profiles know: the part-number check parse_manifest takes.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace station::tests {

inline bool known_part(std::string_view part_number) {
    static const std::set<std::string, std::less<>> parts{"XR90-1104513", "XR60-1104601"};
    return parts.count(part_number) > 0;
}

}  // namespace station::tests
