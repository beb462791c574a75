// Parses every reply in tests/unit/captures/ (see its README) after framing it the way the
// channel does, and checks a one-line summary of what the parser read.
#include <drivers/at/parsers.hpp>
#include <drivers/at/result_code.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

namespace at = drivers::at;

const std::filesystem::path k_dir = STATION_SOURCE_DIR "/tests/unit/captures";

enum class Parser { ati, cgsn, cpin, iccid, priid, impref };

struct Framed {
    std::vector<std::string> lines;  // information lines only
    std::string final;               // describe() of the final result, "" if none
};

// Test-side framing: drop the echoed command (first line), blank lines and CRs, stop at the
// final result code. Just enough for files; the real framing is the channel's.
Framed frame(const std::string& text) {
    Framed framed;
    std::istringstream in(text);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        line.erase(std::remove(line.begin(), line.end(), '\r'), line.end());
        const bool echo = first && line.rfind("AT", 0) == 0;
        first = false;
        if (echo || line.find_first_not_of(" \t") == std::string::npos) continue;
        if (const auto final = at::parse_final_result(line)) {
            framed.final = at::describe(*final);
            break;
        }
        framed.lines.push_back(line);
    }
    return framed;
}

std::string read_capture(const std::string& name) {
    std::ifstream in(k_dir / name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

template <class T, class Show>
std::string show(const at::Result<T>& result, Show show_value) {
    return result ? show_value(*result) : "error: " + result.error().message;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
}

std::string summarize(Parser parser, at::Lines lines) {
    const auto same = [](const std::string& value) { return value; };
    switch (parser) {
        case Parser::ati:
            return show(at::parse_ati_response(lines), [](const at::AtiInfo& i) {
                return i.manufacturer + "|" + i.model + "|" + i.revision + "|" + i.imei + "|" +
                       i.imei_sv + "|" + i.meid + "|" + i.fsn + "|" + i.gcap;
            });
        case Parser::cgsn:
            return show(at::parse_cgsn_response(lines), same);
        case Parser::cpin:
            return show(at::parse_cpin_read_response(lines), [](const at::CpinState& s) {
                return std::string(station::core::to_string(s.status)) + "|" + s.text;
            });
        case Parser::iccid:
            return show(at::parse_iccid_response(lines), same);
        case Parser::priid:
            return show(at::parse_priid_read_response(lines), [](const at::PriInfo& p) {
                return p.part_number + "|" + p.revision + "|" + p.customer + "|" + join(p.carriers);
            });
        case Parser::impref:
            return show(at::parse_impref_read_response(lines), [](const at::ImprefInfo& i) {
                return i.preferred_carrier + "|" + i.preferred_config + "|" + i.current_carrier +
                       "|" + i.current_config;
            });
    }
    return "unknown parser";
}

struct CaptureCase {
    const char* file;
    Parser parser;
    const char* summary;
    const char* final;
};

const std::vector<CaptureCase> k_capture_cases{
    {"em7455_swi9x30c_02.24.05.06_ati.txt", Parser::ati,
     "Sierra Wireless, Incorporated|EM7455|SWI9X30C_02.24.05.06 r7040 CARMD-EV-FRMWR2 "
     "2016/10/25 02:20:11|359072060054893|14|35907206005489|LF94060072011005|+CGSM",
     "OK"},
    {"em7455_swi9x30c_02.24.05.06_cgsn.txt", Parser::cgsn, "359072060054893", "OK"},
    {"em7455_swi9x30c_02.24.05.06_cpin.txt", Parser::cpin, "ready|READY", "OK"},
    {"em7455_swi9x30c_02.24.05.06_iccid.txt", Parser::iccid, "89014103211118510720", "OK"},
    {"em7455_swi9x30c_02.24.05.06_crsm_iccid.txt", Parser::iccid, "89014103211118510720", "OK"},
    {"em7455_swi9x30c_02.24.05.06_priid.txt", Parser::priid,
     "9906761|002.027_000|Generic-M2M|GENERIC,VZW", "OK"},
    {"em7455_swi9x30c_02.24.05.06_impref.txt", Parser::impref,
     "VZW|VZW_002.026_001|VZW|VZW_002.026_001", "OK"},
    {"ec25_ec25efar06a06m4g_ati.txt", Parser::ati, "Quectel|EC25|EC25EFAR06A06M4G|||||", "OK"},
    {"ec25_ec25efar06a06m4g_crsm_iccid.txt", Parser::iccid, "8901260123456789011", "OK"},
    {"ec25_ec25efar06a06m4g_cpin_no_sim.txt", Parser::cpin,
     "error: AT+CPIN?: no PIN state in response (no lines)", "+CME ERROR: 10"},
};

class CapturesParse : public testing::TestWithParam<CaptureCase> {};

TEST_P(CapturesParse, ReadsCapture) {
    const CaptureCase& c = GetParam();
    const std::string text = read_capture(c.file);
    ASSERT_FALSE(text.empty()) << "missing or empty capture " << (k_dir / c.file);
    const Framed framed = frame(text);
    EXPECT_EQ(framed.final, c.final);
    EXPECT_EQ(summarize(c.parser, framed.lines), c.summary);
}

INSTANTIATE_TEST_SUITE_P(
    Files, CapturesParse, testing::ValuesIn(k_capture_cases), [](const auto& row) {
        std::string name = row.param.file;
        name = name.substr(0, name.rfind('.'));
        std::replace_if(
            name.begin(), name.end(),
            [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
        return name;
    });

// A capture added without a row would silently go untested.
TEST(CapturesParse, EveryCaptureHasARow) {
    std::size_t captures = 0;
    for (const auto& entry : std::filesystem::directory_iterator(k_dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".txt") continue;
        ++captures;
        const bool listed = std::any_of(k_capture_cases.begin(), k_capture_cases.end(),
                                        [&](const CaptureCase& c) { return name == c.file; });
        EXPECT_TRUE(listed) << name << " has no row in k_capture_cases";
    }
    EXPECT_GE(captures, 10U) << k_dir;  // the shipped captures were found
}

}  // namespace
