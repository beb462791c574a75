// The one error shape: "station: <command>: error: <what>", one line per line of <what>; and
// the command a usage message names, split off it.
#include <station/app/error_line.hpp>

#include <sstream>

#include <gtest/gtest.h>

namespace {

struct LineCase {
    std::string command;
    std::string what;
    std::string printed;
};

class ErrorLine : public testing::TestWithParam<LineCase> {};

TEST_P(ErrorLine, OneShape) {
    std::ostringstream err;
    station::app::print_error(err, GetParam().command, GetParam().what);
    EXPECT_EQ(err.str(), GetParam().printed);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ErrorLine,
    testing::Values(LineCase{"scan", "no units to identify",
                             "station: scan: error: no units to identify\n"},
                    LineCase{"rig learn", "no router arrived",
                             "station: rig learn: error: no router arrived\n"},
                    LineCase{"", "unknown command 'x'", "station: error: unknown command 'x'\n"},
                    LineCase{"profiles list", "a.toml:1: bad\nb.toml:2: worse",
                             "station: profiles list: error: a.toml:1: bad\n"
                             "station: profiles list: error: b.toml:2: worse\n"},
                    LineCase{"report", "", "station: report: error: \n"}));

struct SplitCase {
    std::string name;
    std::string message;
    std::string command;
    std::string what;
};

class SplitCommand : public testing::TestWithParam<SplitCase> {};

TEST_P(SplitCommand, TheCommandTheMessageNames) {
    const auto split = station::app::split_command(GetParam().name, GetParam().message);
    EXPECT_EQ(split.command, GetParam().command);
    EXPECT_EQ(split.what, GetParam().what);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SplitCommand,
    testing::Values(SplitCase{"provision", "provision: --operator: not valid UTF-8", "provision",
                              "--operator: not valid UTF-8"},
                    SplitCase{"rig", "rig learn: give --labels or --slots", "rig learn",
                              "give --labels or --slots"},
                    SplitCase{"rig", "rig: give a verb", "rig", "give a verb"},
                    // messages that do not name the command stay whole under the command typed
                    SplitCase{"identify", "/dev/ttyUSB2: AT+CGSN: timeout", "identify",
                              "/dev/ttyUSB2: AT+CGSN: timeout"},
                    SplitCase{"runs", "runsx: y", "runs", "runsx: y"},
                    SplitCase{"register", "register push na: x", "register", "register push na: x"},
                    SplitCase{"scan", "scan", "scan", "scan"},
                    // no command: nothing to split
                    SplitCase{"", "unknown command 'x' (try `station --help`)", "",
                              "unknown command 'x' (try `station --help`)"}));

}  // namespace
