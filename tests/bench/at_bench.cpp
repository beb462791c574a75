// Parsing and channel overhead per command, without a real line (Google Benchmark).
// The identify-per-command CPU figure against a real pty is in identify_cpu_bench.cpp.
#include <benchmark/benchmark.h>

#include <drivers/at/channel.hpp>
#include <drivers/at/parsers.hpp>
#include <drivers/at/transcript.hpp>
#include <drivers/router/identifier.hpp>

#include "fake_serial_port.hpp"

namespace {

const std::vector<std::string> k_ati{
    "Manufacturer: Sierra Wireless, Incorporated",
    "Model: EM7455",
    "Revision: SWI9X30C_02.24.05.06 r7040 CARMD-EV-FRMWR2 2016/10/25 02:20:11",
    "MEID: 35907206005489",
    "IMEI: 359072060054893",
    "IMEI SV: 14",
    "FSN: LF94060072011005",
    "+GCAP: +CGSM"};

void bm_parse_ati(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(drivers::at::parse_ati_response(k_ati));
}
BENCHMARK(bm_parse_ati);

void bm_parse_iccid_crsm(benchmark::State& state) {
    const std::vector<std::string> lines{"+CRSM: 144,0,\"98101430121181157002\""};
    for (auto _ : state) benchmark::DoNotOptimize(drivers::at::parse_iccid_response(lines));
}
BENCHMARK(bm_parse_iccid_crsm);

void bm_parse_cgsn(benchmark::State& state) {
    const std::vector<std::string> lines{"359072060054893"};
    for (auto _ : state) benchmark::DoNotOptimize(drivers::at::parse_cgsn_response(lines));
}
BENCHMARK(bm_parse_cgsn);

// One command through the channel: write, frame the echo, URC and answer lines, final code.
void bm_channel_command(benchmark::State& state) {
    tests::FakeSerialPort port;
    port.set_echo(true);
    port.script("ATI", {"\r\n+CREG: 1\r\n\r\nManufacturer: Sierra Wireless, Incorporated\r\n"
                        "\r\nModel: EM7455\r\n\r\nRevision: SWI9X30C_02.24.05.06\r\n"
                        "\r\nIMEI: 359072060054893\r\n\r\nOK\r\n"});
    drivers::at::Channel channel(port);
    for (auto _ : state) {
        benchmark::DoNotOptimize(channel.command("ATI", std::chrono::milliseconds(1000)));
    }
}
BENCHMARK(bm_channel_command);

// Rendering a unit's transcript for the store (every unit, on its slot thread): an XR90 NA's
// identify with concatenation, the bytes as the channel reads them (echo on, answers in chunks).
void bm_transcript_render(benchmark::State& state) {
    drivers::at::Transcript transcript;
    using drivers::at::Direction;
    transcript.add(Direction::tx, "ATI\r");
    transcript.add(Direction::rx, "ATI\r\r\nManufacturer: Sierra Wireless, Incorporated\r\n");
    transcript.add(Direction::rx,
                   "Model: EM7565\r\nRevision: SWI9X50C_01.14.03.00 6c91bc jenkins "
                   "2020/03/19 22:46:01\r\nIMEI: 353533100118880\r\n");
    transcript.add(Direction::rx,
                   "IMEI SV: 20\r\nFSN: 4L023370250610\r\n+GCAP: +CGSM\r\n\r\nOK\r\n");
    transcript.add(Direction::tx, "AT+CPIN?;!ICCID?;+CIMI;!PRIID?\r");
    transcript.add(Direction::rx, "AT+CPIN?;!ICCID?;+CIMI;!PRIID?\r\r\n+CPIN: READY\r\n\r\n");
    transcript.add(Direction::rx, "!ICCID: 89014104334455667788\r\n\r\n310410123456789\r\n\r\n");
    transcript.add(Direction::rx,
                   "PRI Part Number: 9908840\r\nRevision: 001.001\r\nCarrier PRI: "
                   "9999999_9907259_SWI9X50C_01.14.03.00_00_GENERIC_001.050_000\r\n"
                   "Carrier PRI: 9999999_9907259_SWI9X50C_01.14.03.00_00_ATT_002.031_000"
                   "\r\n\r\nOK\r\n");
    for (auto _ : state) benchmark::DoNotOptimize(transcript.render());
}
BENCHMARK(bm_transcript_render);

}  // namespace

BENCHMARK_MAIN();
