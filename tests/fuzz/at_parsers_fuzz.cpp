// Fuzz target: every AT response parser (drivers/at/parsers*.cpp), the final result code and
// URC recognisers and the EF_ICCID decoder, over the input's lines (split at '\n'; the first
// line doubles as the command for is_unsolicited). Beyond no crash: accepted values have the
// documented shape and every error message is display-safe.
#include <cstdint>
#include <string>
#include <vector>

#include <drivers/at/parsers.hpp>
#include <drivers/at/result_code.hpp>

#include "fuzz_support.hpp"

namespace {

namespace at = drivers::at;

bool digits_only(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

template <class T>
void check_error(const station::core::Result<T>& result) {
    if (!result) fuzz::check_message(result.error().message);
}

void run_parsers(at::Lines lines) {
    check_error(at::parse_ati_response(lines));
    check_error(at::parse_cpin_read_response(lines));
    check_error(at::parse_priid_read_response(lines));
    check_error(at::parse_impref_read_response(lines));
    const auto imei = at::parse_cgsn_response(lines);
    check_error(imei);
    if (imei) fuzz::require(digits_only(*imei), "+CGSN value is digits", *imei);
    const auto imsi = at::parse_cimi_response(lines);
    check_error(imsi);
    if (imsi) {
        fuzz::require(digits_only(*imsi) && imsi->size() >= 6 && imsi->size() <= 15,
                      "+CIMI value is 6..15 digits", *imsi);
    }
    const auto iccid = at::parse_iccid_response(lines);
    check_error(iccid);
    if (iccid) {
        fuzz::require(!iccid->empty() && iccid->find('"') == std::string::npos,
                      "ICCID value non-empty, unquoted", *iccid);
    }
}

void run_line_readers(const std::vector<std::string>& lines) {
    const std::string command = lines.empty() ? "" : lines.front();
    for (const auto& line : lines) {
        if (const auto final = at::parse_final_result(line)) (void)at::describe(*final);
        (void)at::is_unsolicited(line, command);
        const std::string bcd = at::decode_swapped_bcd(line);
        fuzz::require(bcd.size() <= 32 &&
                          bcd.find_first_not_of("0123456789ABCDEF") == std::string::npos,
                      "decoded EF_ICCID is at most 32 upper-case hex digits", bcd);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto lines = fuzz::split_lines(fuzz::as_text(data, size));
    run_parsers(lines);
    // The parsers see lines without the command line too (what the channel hands them).
    if (lines.size() > 1) run_parsers(at::Lines(lines).subspan(1));
    run_line_readers(lines);
    return 0;
}
