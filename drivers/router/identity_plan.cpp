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

struct FieldName {
    Field field;
    std::string_view name;
};
constexpr std::array k_field_names{
    FieldName{Field::model, "model"},           FieldName{Field::firmware, "firmware"},
    FieldName{Field::fsn, "fsn"},               FieldName{Field::imei, "imei"},
    FieldName{Field::sim_status, "sim_status"}, FieldName{Field::iccid, "iccid"},
    FieldName{Field::imsi, "imsi"},             FieldName{Field::carrier_images, "carrier_images"}};

PlanStep step(std::vector<std::string> commands, Reader reader, Need need, bool join = false) {
    PlanStep out;
    out.commands = std::move(commands);
    out.reader = reader;
    out.need = need;
    out.yields = default_yields(reader);
    out.join = join;
    return out;
}

PlanStep setup(std::string command, When when, std::vector<Reader> on_error_of = {}) {
    PlanStep out;
    out.commands = {std::move(command)};
    out.when = when;
    out.on_error_of = std::move(on_error_of);
    return out;
}

}  // namespace

std::string_view to_string(Field field) {
    for (const auto& row : k_field_names) {
        if (row.field == field) return row.name;
    }
    return "model";
}

std::optional<Field> field_from_string(std::string_view text) {
    for (const auto& row : k_field_names) {
        if (row.name == text) return row.field;
    }
    return std::nullopt;
}

std::optional<When> when_from_string(std::string_view text) {
    if (text == "always") return When::always;
    if (text == "plain_error") return When::plain_error;
    if (text == "unparsed") return When::unparsed;
    return std::nullopt;
}

std::vector<Field> default_yields(Reader reader) {
    switch (reader) {
        case Reader::ati:
            return {Field::model, Field::firmware, Field::fsn};
        case Reader::imei:
            return {Field::imei};
        case Reader::cpin:
            return {Field::sim_status};
        case Reader::iccid:
            return {Field::iccid};
        case Reader::imsi:
            return {Field::imsi};
        case Reader::priid:
        case Reader::impref:
            return {Field::carrier_images};
        case Reader::none:
            break;
    }
    return {};
}

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
    const std::vector<Reader> sim_readers{Reader::cpin, Reader::iccid, Reader::imsi};
    return IdentityPlan{"default",
                        {
                            setup("ATE0", When::unparsed),
                            setup("AT+CMEE=1", When::plain_error, sim_readers),
                            step({"ATI"}, Reader::ati, Need::required),
                            step({"AT+CGSN", "AT+GSN"}, Reader::imei, Need::required),
                            step({"AT+CPIN?"}, Reader::cpin, Need::required, true),
                            step(default_iccid_commands(), Reader::iccid, Need::required, true),
                            step({"AT+CIMI"}, Reader::imsi, Need::optional, true),
                            step({"AT!PRIID?"}, Reader::priid, Need::optional, true),
                            step({"AT!IMPREF?"}, Reader::impref, Need::optional),
                        }};
}

}  // namespace drivers::router
