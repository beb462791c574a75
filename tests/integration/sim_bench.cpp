#include "sim_bench.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace tests {

std::string station_binary() {
    return STATION_BINARY_DIR "/station/station";
}
std::string routersim_binary() {
    return STATION_BINARY_DIR "/fixtures/routersim";
}
std::string personality_dir() {
    return STATION_SOURCE_DIR "/fixtures/personalities";
}

SimBench::SimBench(const std::vector<std::string>& personalities,
                   const std::vector<std::string>& faults, const std::vector<std::string>& extra) {
    const std::string ports_file = m_dir.path() + "/ports.txt";
    std::vector<std::string> argv{routersim_binary(), "--ports-file", ports_file, "--manifest",
                                  manifest(),         "--exit-after", "120"};
    for (const auto& fault : faults) {
        argv.push_back("--fault");
        argv.push_back(fault);
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), personalities.begin(), personalities.end());
    m_process = std::make_unique<BackgroundProcess>(argv);
    if (!wait_for_file(ports_file, std::chrono::seconds(10))) return;
    std::ifstream in(ports_file);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        SimPort port;
        std::getline(fields, port.path, '\t');
        std::getline(fields, port.personality, '\t');
        std::getline(fields, port.fsn, '\t');
        if (!port.path.empty()) m_ports.push_back(port);
    }
}

std::string SimBench::port_of(const std::string& personality) const {
    for (const auto& p : m_ports) {
        if (p.personality == personality) return p.path;
    }
    return "/nonexistent";
}

std::string merge_manifests(const std::vector<const SimBench*>& benches, const std::string& path) {
    std::vector<std::string> lines;
    for (const auto* bench : benches) {
        std::ifstream in(bench->manifest());
        std::string line;
        for (bool header = true; std::getline(in, line); header = false) {
            if ((header && !lines.empty()) || line.empty()) continue;
            if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
        }
    }
    std::ofstream out(path);
    for (const auto& line : lines) out << line << '\n';
    return path;
}

}  // namespace tests
