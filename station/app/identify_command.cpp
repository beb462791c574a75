// station identify: open one AT port, run the identity plan, print and exit by outcome.
#include <ostream>

#include <boost/program_options.hpp>

#include <drivers/at/channel.hpp>
#include <drivers/router/identifier.hpp>
#include <drivers/serial/serial_port.hpp>
#include <station/app/commands.hpp>
#include <station/app/exit_codes.hpp>
#include <station/app/identity_view.hpp>
#include <station/app/usage_error.hpp>

namespace station::app {
namespace {

namespace po = boost::program_options;

struct IdentifyArgs {
    std::string port;
    bool json = false;
    bool transcript = false;
    int timeout_ms = 2000;
    int baud = 115200;
};

constexpr int k_max_timeout_ms = 600000;

po::options_description identify_options(IdentifyArgs& a) {
    po::options_description desc("station identify options");
    desc.add_options()
        ("help,h", "show this help")
        ("port,p", po::value(&a.port)->required(), "AT port of the router, e.g. /dev/ttyUSB2")
        ("json", po::bool_switch(&a.json), "print one JSON object")
        ("transcript", po::bool_switch(&a.transcript), "include the raw AT transcript")
        ("timeout-ms", po::value(&a.timeout_ms)->default_value(2000), "deadline per command")
        ("baud", po::value(&a.baud)->default_value(115200), "line speed (8N1)");
    return desc;
}

std::optional<IdentifyArgs> parse(std::span<const std::string> args, Console console) {
    IdentifyArgs a;
    const auto desc = identify_options(a);
    po::variables_map vm;
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(po::command_line_parser(argv).options(desc).run(), vm);
    if (vm.count("help") != 0U) {
        console.out << "usage: station identify --port PATH [options]\n" << desc;
        return std::nullopt;
    }
    po::notify(vm);
    if (a.timeout_ms < 1 || a.timeout_ms > k_max_timeout_ms) {
        throw UsageError("identify: --timeout-ms must be 1.." + std::to_string(k_max_timeout_ms));
    }
    if (!drivers::serial::is_supported_baud(a.baud)) {
        throw UsageError("identify: unsupported --baud " + std::to_string(a.baud));
    }
    if (a.port.empty()) throw UsageError("identify: --port is empty");
    return a;
}

}  // namespace

int run_identify(std::span<const std::string> args, Console console) {
    const auto parsed = parse(args, console);
    if (!parsed) return static_cast<int>(ExitCode::pass);
    const IdentifyArgs& a = *parsed;

    drivers::router::IdentifyReport report;
    std::string backend;
    std::optional<drivers::at::Channel> channel;
    drivers::serial::Settings settings;
    settings.baud = a.baud;
    auto port = drivers::serial::open_port(a.port, settings);
    if (!port) {
        report.verdict = {core::outcome_of(port.error().reason), port.error().reason,
                          port.error().message};
    } else {
        backend = std::string((*port)->backend_name());
        drivers::at::ChannelLimits limits;
        limits.sync_timeout = std::chrono::milliseconds(a.timeout_ms);
        channel.emplace(**port, limits);
        report = drivers::router::identify(*channel, drivers::router::default_plan(),
                                           {std::chrono::milliseconds(a.timeout_ms)});
    }
    const IdentifyView view{a.port, backend, report,
                            a.transcript && channel ? &channel->transcript() : nullptr};
    console.out << (a.json ? render_json(view) : render_text(view));
    if (!a.json && report.verdict.outcome != core::Outcome::pass) {
        console.err << "station: " << report.verdict.message << '\n';
    }
    return static_cast<int>(exit_code_of(report.verdict.outcome));
}

}  // namespace station::app
