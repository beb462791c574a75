#include <station/central/tables.hpp>

#include <array>

namespace station::central {
namespace {

constexpr Column I(std::string_view n) { return {n, true, false}; }
constexpr Column T(std::string_view n) { return {n, false, false}; }

constexpr std::array k_runs{I("id"),         T("mode"),          T("operator"),
                            T("lot"),        T("profile"),       I("started_ms"),
                            I("ended_ms"),   T("outcome"),       I("interrupted"),
                            T("station_version"), T("manifest_path"), T("manifest_sha256"),
                            I("manifest_lines"),  I("no_manifest")};
constexpr std::array k_slot_results{
    I("id"),         I("run_id"),   T("slot"),          T("port_chain"),   T("port_path"),
    I("attempt"),    T("manufacturer"), T("model"),     T("firmware"),     T("fsn"),
    T("imei"),       T("imsi"),     T("iccid"),         T("iccid_command"), T("sim_status"),
    T("sim_status_text"), T("carrier_images"), T("region"), T("data_center"), T("outcome"),
    T("reason"),     T("message"),  I("started_ms"),    I("ended_ms"),     T("profile"),
    T("sku_basis")};
constexpr std::array k_step_results{I("id"),      I("slot_result_id"), T("name"),
                                    T("outcome"), T("reason"),         T("message"),
                                    I("started_ms"), I("ended_ms")};
constexpr std::array k_transcripts{I("id"), I("slot_result_id"), Column{"text", false, true}};
constexpr std::array k_devices{I("id"),           T("fsn"),          T("imei"), T("iccid"),
                               I("first_seen_ms"), I("last_seen_ms"), I("last_slot_result_id")};
constexpr std::array k_outbox{
    I("id"),          T("fsn"),        T("serial"),    T("imei"),       T("iccid"),
    T("imsi"),        T("data_center"), T("region"),   T("action"),     I("term_years"),
    T("po"),          T("company"),    I("slot_result_id"), T("state"), I("attempts"),
    T("last_error"),  T("remote_id"),  I("next_attempt_ms"), I("created_ms"), I("updated_ms"),
    T("hold")};
constexpr std::array k_events{I("id"), I("run_id"), I("at_ms"), T("kind"), T("text")};

constexpr std::array k_tables{
    TableSpec{"runs", "id", true, k_runs},
    TableSpec{"slot_results", "id", true, k_slot_results},
    TableSpec{"step_results", "id", false, k_step_results},
    TableSpec{"transcripts", "id", false, k_transcripts},
    TableSpec{"devices", "rowid", true, k_devices},
    TableSpec{"outbox", "id", true, k_outbox},
    TableSpec{"events", "id", false, k_events},
};

}  // namespace

std::span<const TableSpec> synced_tables() { return k_tables; }

const TableSpec* find_table(std::string_view name) {
    for (const auto& t : k_tables) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

}  // namespace station::central
