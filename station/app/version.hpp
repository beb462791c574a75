// What this station binary is: the project version and, when it was built from a git checkout,
// `git describe` of it (recorded with every run, printed by `station --version`).
#pragma once

#include <string>

namespace station::app {

// "0.1.0", or "0.1.0 (v0.1.0-12-gabc1234)" when built from a git checkout.
std::string station_version();

}  // namespace station::app
