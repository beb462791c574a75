#include <station/app/verb_help.hpp>

#include <algorithm>
#include <ostream>
#include <vector>

#include <station/app/exit_codes.hpp>

namespace station::app {

int print_verb_help(std::string_view command, std::span<const VerbRow> verbs, Console console) {
    console.out << "usage: station " << command << " <verb> [options]\n\nverbs:\n";
    std::size_t width = 0;
    for (const auto& verb : verbs) width = std::max(width, verb.name.size());
    for (const auto& verb : verbs) {
        console.out << "  " << verb.name << std::string(width + 2 - verb.name.size(), ' ')
                    << verb.summary << '\n';
    }
    const std::vector<std::string> help{"--help"};
    for (const auto& verb : verbs) {
        console.out << '\n';
        verb.run(help, console);
    }
    return static_cast<int>(ExitCode::pass);
}

const VerbRow* find_verb(std::span<const VerbRow> verbs, std::string_view name) {
    const auto found = std::find_if(verbs.begin(), verbs.end(),
                                    [&](const VerbRow& row) { return row.name == name; });
    return found == verbs.end() ? nullptr : &*found;
}

std::string verb_list(std::span<const VerbRow> verbs) {
    std::string out;
    for (std::size_t i = 0; i < verbs.size(); ++i) {
        if (i > 0) out += i + 1 == verbs.size() ? " or " : ", ";
        out += verbs[i].name;
    }
    return out;
}

}  // namespace station::app
