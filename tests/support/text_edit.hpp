// Editing a valid data file one mistake at a time, for table-driven loader tests.
#pragma once

#include <string>

#include <gtest/gtest.h>

namespace tests {

// `text` with the first `from` replaced by `to`; a `from` that is not there fails the test
// (the table row would otherwise test the valid file).
inline std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

}  // namespace tests
