// Validates a JUnit report against tests/data/report/junit.xsd with xmllint.
#pragma once

#include <fstream>
#include <string>

#include <process.hpp>

namespace tests::report {

// xmllint's verdict on `xml` (exit 0: valid; err: what is wrong).
inline tests::ProcessResult lint_junit(const std::string& xml) {
    tests::TempDir dir;
    const std::string file = dir.path() + "/report.xml";
    std::ofstream(file) << xml;
    return tests::run_process(
        {"/usr/bin/xmllint", "--noout", "--schema",
         std::string(STATION_SOURCE_DIR) + "/tests/data/report/junit.xsd", file},
        std::chrono::seconds(30));
}

}  // namespace tests::report
