// The one shape of an error line on the error stream: "station: <command>: error: <what>", the
// command as typed with its verb ("rig learn", "register push"); "station: error: <what>" only
// when there is no command to name (none given, or not one the station knows). Warnings say
// "station: warning: "; every line that reports a failure carries the word "error:".
#pragma once

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string_view>

namespace station::app {

// Each line of `what` gets the prefix (a rig file lists all its mistakes, one per line).
inline void print_error(std::ostream& err, std::string_view command, std::string_view what) {
    std::size_t start = 0;
    while (start <= what.size()) {
        const std::size_t end = std::min(what.find('\n', start), what.size());
        err << "station: " << command << (command.empty() ? "" : ": ")
            << "error: " << what.substr(start, end - start) << '\n';
        start = end + 1;
    }
}

// For a message built "<command>: <what>" (usage errors are): the command it names when that
// begins with `name` (the command typed; its verb may follow), and the rest. A message that does
// not name it keeps `name` as the command and stays whole.
struct CommandMessage {
    std::string_view command;
    std::string_view what;
};
inline CommandMessage split_command(std::string_view name, std::string_view message) {
    const std::size_t colon = message.find(": ");
    if (name.empty() || colon == std::string_view::npos || !message.starts_with(name)) {
        return {name, message};
    }
    const std::string_view head = message.substr(0, colon);
    const bool named = head.size() == name.size() ||
                       (head[name.size()] == ' ' && head.find(' ', name.size() + 1) == head.npos);
    if (!named) return {name, message};
    return {head, message.substr(colon + 2)};
}

// print_error for a message that may begin with the command (see split_command).
inline void print_command_error(std::ostream& err, std::string_view name,
                                std::string_view message) {
    const auto [command, what] = split_command(name, message);
    print_error(err, command, what);
}

}  // namespace station::app
