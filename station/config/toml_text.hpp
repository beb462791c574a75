// Writing TOML values: the one TOML string quoter for files the station writes for people to
// review (the golden file of the regression rig).
#pragma once

#include <string>
#include <string_view>

namespace station::config {

// `text` as a TOML basic string with its quotes: '"' and '\' escaped, \b \t \n \f \r for those,
// \uXXXX (\UXXXXXXXX) for every other code point core::must_escape names (controls, DEL, C1,
// bidirectional overrides...), other UTF-8 as it is. A byte that is not UTF-8 cannot be
// written in TOML: it becomes \uFFFD (the only lossy case).
std::string toml_quoted(std::string_view text);

}  // namespace station::config
