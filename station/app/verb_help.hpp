// `station rig|db|register --help`: the command's verbs, each with its usage and every option,
// from the verbs' own --help so the two never disagree.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <station/app/cli.hpp>

namespace station::app {

struct VerbRow {
    std::string_view name;
    std::string_view summary;
    int (*run)(std::span<const std::string>, Console);  // prints its usage and options on --help
};

// Prints "usage: station <command> <verb> [options]", one line per verb with its summary, then
// each verb's own --help. Returns the exit code for a help request (0).
int print_verb_help(std::string_view command, std::span<const VerbRow> verbs, Console console);

// The row for `name`, or nullptr.
const VerbRow* find_verb(std::span<const VerbRow> verbs, std::string_view name);

// "learn, check, quarantined or release".
std::string verb_list(std::span<const VerbRow> verbs);

}  // namespace station::app
