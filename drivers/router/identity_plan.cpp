#include <drivers/router/identity_plan.hpp>

#include <array>

namespace drivers::router {
namespace {

struct ReaderName {
    Reader reader;
    std::string_view name;
};
constexpr std::array k_reader_names{
    ReaderName{Reader::none, "none"},   ReaderName{Reader::ati, "ati"},
    ReaderName{Reader::imei, "imei"},   ReaderName{Reader::cpin, "cpin"},
    ReaderName{Reader::iccid, "iccid"}, ReaderName{Reader::imsi, "imsi"},
    ReaderName{Reader::priid, "priid"}, ReaderName{Reader::impref, "impref"}};

}  // namespace

std::string_view to_string(Reader reader) {
    for (const auto& row : k_reader_names) {
        if (row.reader == reader) return row.name;
    }
    return "none";
}

std::optional<Reader> reader_from_string(std::string_view text) {
    for (const auto& row : k_reader_names) {
        if (row.name == text) return row.reader;
    }
    return std::nullopt;
}

const std::vector<std::string>& default_iccid_commands() {
    static const std::vector<std::string> k_commands{"AT!ICCID?",
                                                     "AT+ICCID",
                                                     "AT+CCID",
                                                     "AT+QCCID",
                                                     "AT#CCID",
                                                     "AT^ICCID?",
                                                     "AT+CRSM=176,12258,0,0,10"};
    return k_commands;
}

IdentityPlan default_plan() {
    return IdentityPlan{"default",
                        {
                            {{"ATE0"}, Reader::none, Need::optional, std::nullopt},
                            {{"AT+CMEE=1"}, Reader::none, Need::optional, std::nullopt},
                            {{"ATI"}, Reader::ati, Need::required, std::nullopt},
                            {{"AT+CGSN", "AT+GSN"}, Reader::imei, Need::required, std::nullopt},
                            {{"AT+CPIN?"}, Reader::cpin, Need::required, std::nullopt},
                            {default_iccid_commands(), Reader::iccid, Need::required, std::nullopt},
                            {{"AT+CIMI"}, Reader::imsi, Need::optional, std::nullopt},
                            {{"AT!PRIID?"}, Reader::priid, Need::optional, std::nullopt},
                            {{"AT!IMPREF?"}, Reader::impref, Need::optional, std::nullopt},
                        }};
}

}  // namespace drivers::router
