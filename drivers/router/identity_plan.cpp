#include <drivers/router/identity_plan.hpp>

#include <array>

namespace drivers::router {
namespace {

// One enum value and its name in profiles; the two tables below are read both ways.
template <typename Enum>
struct Named {
    Enum value;
    std::string_view name;
};
constexpr std::array k_reader_names{
    Named<Reader>{Reader::none, "none"},   Named<Reader>{Reader::ati, "ati"},
    Named<Reader>{Reader::imei, "imei"},   Named<Reader>{Reader::cpin, "cpin"},
    Named<Reader>{Reader::iccid, "iccid"}, Named<Reader>{Reader::imsi, "imsi"},
    Named<Reader>{Reader::priid, "priid"}, Named<Reader>{Reader::impref, "impref"}};
constexpr std::array k_field_names{Named<Field>{Field::model, "model"},
                                   Named<Field>{Field::firmware, "firmware"},
                                   Named<Field>{Field::fsn, "fsn"},
                                   Named<Field>{Field::imei, "imei"},
                                   Named<Field>{Field::sim_status, "sim_status"},
                                   Named<Field>{Field::iccid, "iccid"},
                                   Named<Field>{Field::imsi, "imsi"},
                                   Named<Field>{Field::carrier_images, "carrier_images"}};

template <typename Enum, std::size_t N>
std::string_view name_in(const std::array<Named<Enum>, N>& table, Enum value) {
    for (const auto& row : table) {
        if (row.value == value) return row.name;
    }
    return table.front().name;
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_in(const std::array<Named<Enum>, N>& table, std::string_view text) {
    for (const auto& row : table) {
        if (row.name == text) return row.value;
    }
    return std::nullopt;
}

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
    return name_in(k_field_names, field);
}

std::optional<Field> field_from_string(std::string_view text) {
    return value_in(k_field_names, text);
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
    return name_in(k_reader_names, reader);
}

std::optional<Reader> reader_from_string(std::string_view text) {
    return value_in(k_reader_names, text);
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
