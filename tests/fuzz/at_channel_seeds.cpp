// Writes the seed corpus of the at_channel fuzz target (README "Fuzzing"): for each routersim
// personality and a few faults, the station's identify runs against routersim's Router state
// machine in process; the answer to each command written is recorded, and the answers, joined
// as the target reads them (flags byte, replies separated by 0x1E), replay the same session.
//
//     at_channel_seeds <personalities dir> <output dir>
#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <drivers/at/channel.hpp>
#include <drivers/router/identifier.hpp>
#include <fixtures/routersim/faults.hpp>
#include <fixtures/routersim/personality.hpp>
#include <fixtures/routersim/router.hpp>

namespace {

namespace fs = std::filesystem;
namespace sim = fixtures::routersim;
namespace serial = drivers::serial;

// A port wired to a Router: each write is answered with what the router has sent once it is
// given ample time; that answer is recorded as one reply of the seed.
class RouterPort final : public serial::SerialPort {
  public:
    explicit RouterPort(sim::Router& router) : m_router(router) {}

    serial::Result<void> write(std::string_view data, serial::Clock::time_point) override {
        m_router.receive(data, m_now);
        m_now += std::chrono::seconds(30);
        m_router.advance(m_now);
        std::string reply(m_router.pending_output());
        m_router.consumed(reply.size());
        reply.erase(std::remove(reply.begin(), reply.end(), '\x1e'), reply.end());
        m_replies.push_back(reply);
        m_rx += reply;
        return {};
    }
    serial::Result<std::size_t> read(std::span<char> buf, serial::Clock::time_point) override {
        const std::size_t n = std::min(buf.size(), m_rx.size());
        std::copy_n(m_rx.begin(), n, buf.begin());
        m_rx.erase(0, n);
        return n;
    }
    serial::Result<void> flush_input() override {
        m_rx.clear();
        return {};
    }
    void close() override {}
    const std::string& path() const override { return m_path; }
    std::string_view backend_name() const override { return "routersim"; }
    const std::vector<std::string>& replies() const { return m_replies; }

  private:
    sim::Router& m_router;
    sim::TimePoint m_now = sim::Clock::now();
    std::string m_path = "/dev/fuzz0";
    std::string m_rx;
    std::vector<std::string> m_replies;
};

std::string seed_for(const sim::Personality& personality, const sim::Faults& faults) {
    sim::Router router(personality, sim::merge(personality.faults, faults), 1, sim::Clock::now());
    RouterPort port(router);
    drivers::at::ChannelLimits limits;
    limits.quiet_period = std::chrono::milliseconds(0);
    limits.sync_timeout = std::chrono::milliseconds(0);
    drivers::at::Channel channel(port, limits);
    drivers::router::IdentifyOptions options;
    options.command_timeout = std::chrono::milliseconds(1);
    (void)drivers::router::identify(channel, drivers::router::default_plan(), options);
    std::string seed(1, static_cast<char>(0xFE));  // whole replies, concatenation tried, no echo
    for (std::size_t i = 0; i < port.replies().size(); ++i) {
        if (i > 0) seed += '\x1e';
        seed += port.replies()[i];
    }
    return seed;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: at_channel_seeds <personalities dir> <output dir>\n");
        return 2;
    }
    const fs::path out(argv[2]);
    fs::create_directories(out);
    const std::vector<std::string> fault_specs{"", "garbage_before", "garbage_inside", "stale_ok",
                                               "urc_storm", "invalid_iccid"};
    int written = 0;
    for (const auto& path : sim::list_personalities(argv[1])) {
        const auto personality = sim::load_personality(path);
        if (!personality) {
            std::fprintf(stderr, "%s\n", personality.error().message.c_str());
            return 1;
        }
        for (const auto& spec : fault_specs) {
            sim::Faults faults;
            if (!spec.empty() && !sim::apply_fault(faults, spec)) return 1;
            const std::string name =
                path.stem().string() + (spec.empty() ? "" : "-" + spec) + ".bin";
            std::ofstream(out / name, std::ios::binary) << seed_for(*personality, faults);
            ++written;
        }
    }
    std::printf("wrote %d seeds to %s\n", written, out.c_str());
    return 0;
}
