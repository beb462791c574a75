// Fuzz target: the AT framing end to end, byte stream -> channel -> identity verdict. A port
// double answers each command the station writes with the input's next reply (replies are
// separated by the byte 0x1E, ASCII record separator), optionally echoing the command first, and
// hands the bytes over in slices of a size the input chooses, so lines are cut anywhere. Reads
// never block (nothing queued reads as a timeout) and every quiet period is zero, so one run
// takes microseconds and is the same every time.
//
// Input: byte 0 = flags (bit 0: echo commands, bit 1: try the concatenated line, bits 2-7:
// slice size - 1, 63 = whole reply), then the replies. Beyond no crash: a PASS has a valid IMEI
// and ICCID and a ready SIM, the verdict message and the rendered transcript are display-safe.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>

#include <drivers/at/channel.hpp>
#include <drivers/at/round_trips.hpp>
#include <drivers/router/identifier.hpp>
#include <station/core/identifiers.hpp>

#include "fuzz_support.hpp"

namespace {

namespace at = drivers::at;
namespace serial = drivers::serial;

class ReplyPort final : public serial::SerialPort {
  public:
    ReplyPort(std::string_view replies, bool echo, std::size_t slice)
        : m_echo(echo), m_slice(slice) {
        while (!replies.empty()) {
            const auto end = replies.find('\x1e');
            m_replies.emplace_back(replies.substr(0, end));
            if (end == std::string_view::npos) break;
            replies.remove_prefix(end + 1);
        }
    }

    serial::Result<void> write(std::string_view data, serial::Clock::time_point) override {
        if (m_echo) m_rx += data;
        if (!m_replies.empty()) {
            m_rx += m_replies.front();
            m_replies.pop_front();
        }
        return {};
    }
    serial::Result<std::size_t> read(std::span<char> buf, serial::Clock::time_point) override {
        const std::size_t n = std::min({buf.size(), m_slice, m_rx.size()});
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
    std::string_view backend_name() const override { return "fuzz"; }

  private:
    std::string m_path = "/dev/fuzz0";
    std::deque<std::string> m_replies;
    std::string m_rx;
    bool m_echo;
    std::size_t m_slice;
};

at::ChannelLimits instant_limits() {
    at::ChannelLimits limits;
    limits.quiet_period = std::chrono::milliseconds(0);
    limits.sync_timeout = std::chrono::milliseconds(0);
    return limits;
}

void check_report(const drivers::router::IdentifyReport& report) {
    using station::core::IdCheck;
    const auto& id = report.identity;
    if (report.verdict.outcome == station::core::Outcome::pass) {
        fuzz::require(station::core::check_imei(id.imei) == IdCheck::ok, "PASS has a valid IMEI",
                      id.imei);
        fuzz::require(station::core::check_iccid(id.iccid) == IdCheck::ok,
                      "PASS has a valid ICCID", id.iccid);
        fuzz::require(id.sim_status == station::core::SimStatus::ready, "PASS has a ready SIM");
    }
    fuzz::check_message(report.verdict.message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned flags = data[0];
    const std::size_t slice = (flags >> 2U) == 63U ? SIZE_MAX : (flags >> 2U) + 1U;
    ReplyPort port(fuzz::as_text(data + 1, size - 1), (flags & 1U) != 0, slice);
    at::Channel channel(port, instant_limits());
    drivers::router::IdentifyOptions options;
    options.command_timeout = std::chrono::milliseconds(1);
    options.concat = (flags & 2U) != 0;
    const auto report = drivers::router::identify(channel, drivers::router::default_plan(), options);
    check_report(report);
    fuzz::check_message(channel.transcript().render(), SIZE_MAX);
    (void)at::round_trips(channel.transcript());
    return 0;
}
