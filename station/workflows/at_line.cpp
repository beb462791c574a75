#include <station/workflows/at_line.hpp>

namespace station::workflows {

core::Result<void> open_line(AtLine& line, const drivers::serial::PortOpener& open,
                             const std::string& path, const LineOptions& options) {
    line.close();
    auto port = open(path, options.settings);
    if (!port) return tl::unexpected(port.error());
    line.port = std::move(*port);
    drivers::at::ChannelLimits limits;
    limits.sync_timeout = options.sync_timeout;
    line.channel.emplace(*line.port, limits, options.stop);
    return {};
}

drivers::router::IdentifyReport identify_at(const drivers::serial::PortOpener& open,
                                            const std::string& path,
                                            const drivers::router::IdentityPlan& plan,
                                            const LineOptions& line,
                                            const drivers::router::IdentifyOptions& options) {
    AtLine at;
    if (auto opened = open_line(at, open, path, line); !opened) {
        drivers::router::IdentifyReport report;
        const auto& e = opened.error();
        report.verdict = {core::outcome_of(e.reason), e.reason, e.message};
        return report;
    }
    return drivers::router::identify(*at.channel, plan, options);
}

}  // namespace station::workflows
