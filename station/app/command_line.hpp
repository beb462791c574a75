// Parsing a command's words into its options.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace station::app {

// The parsed options of a command that takes no positional words. Boost.Program_options keeps
// a word that belongs to no option only where a positional description names it; without one it
// drops the word without a word. Here such a word is an error naming it ("unexpected argument
// 'ttyUSB2'", exit 64 like every option error), so a slip such as `--port /dev/ttyUSB0 ttyUSB2`
// or a profile name given without its `--profile` is never silently ignored.
inline boost::program_options::parsed_options parse_options(
    const std::vector<std::string>& words,
    const boost::program_options::options_description& desc) {
    namespace po = boost::program_options;
    auto parsed = po::command_line_parser(words).options(desc).run();
    const auto stray = po::collect_unrecognized(parsed.options, po::include_positional);
    if (!stray.empty()) throw po::error("unexpected argument '" + stray.front() + "'");
    return parsed;
}

}  // namespace station::app
