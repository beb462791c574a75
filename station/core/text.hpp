// ASCII text comparisons shared by the AT parsers, the ALMS client and the routing table.
#pragma once

#include <string>
#include <string_view>

namespace station::core {

// Equal ignoring ASCII letter case ("OK" == "ok").
bool iequals(std::string_view a, std::string_view b);
// `text` begins with `prefix`, ignoring ASCII letter case.
bool istarts_with(std::string_view text, std::string_view prefix);
// `text` without the spaces and tabs around it.
std::string_view trim_blanks(std::string_view text);
// `text` with ASCII letters upper-cased (other bytes as they are).
std::string ascii_upper(std::string_view text);

}  // namespace station::core
