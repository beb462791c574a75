// A routersim process for integration tests: started with given personalities and faults,
// its pty paths read from its --ports-file, stopped (SIGTERM) when the fixture goes. It always
// writes the pallet's manifest (--manifest, see fixtures/README.md) into its temp dir.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "process.hpp"

namespace tests {

struct SimPort {
    std::string path;
    std::string personality;
    std::string fsn;
};

class SimBench {
  public:
    // Starts routersim; ports() is empty when it failed to come up within 10 s.
    // `extra` goes to routersim before the personalities, e.g. {"--latency-ms", "0"}.
    SimBench(const std::vector<std::string>& personalities, const std::vector<std::string>& faults,
             const std::vector<std::string>& extra = {});

    const std::vector<SimPort>& ports() const { return m_ports; }
    // The pty of the first router of `personality`; "/nonexistent" when there is none (so a
    // test against it fails on its own assertions rather than crashing).
    std::string port_of(const std::string& personality) const;
    // The manifest routersim wrote (one line per router whose personality has a part number);
    // it exists once ports() is non-empty.
    std::string manifest() const { return m_dir.path() + "/manifest.csv"; }

  private:
    TempDir m_dir;
    std::unique_ptr<BackgroundProcess> m_process;
    std::vector<SimPort> m_ports;
};

// One manifest for a pallet spread over several simulators, written to `path`: their lines
// under one header, a unit simulated more than once listed once. Returns `path`.
std::string merge_manifests(const std::vector<const SimBench*>& benches, const std::string& path);

std::string station_binary();
std::string routersim_binary();
std::string personality_dir();

}  // namespace tests
