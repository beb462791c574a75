// Bad command-line usage: thrown at the CLI edge only, caught once in run(), exit 64.
#pragma once

#include <stdexcept>
#include <string>

namespace station::app {

class UsageError : public std::runtime_error {
  public:
    explicit UsageError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace station::app
