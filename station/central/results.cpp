#include <station/central/results.hpp>

#include <algorithm>

#include <station/core/reason.hpp>

namespace station::central {
namespace {

// The columns read_result() reads, in its order; `s` a slot result, `r` its run (same station).
#define CENTRAL_RESULT_COLUMNS                                                                 \
    "s.station, coalesce(st.hostname, ''), r.id, r.mode, r.operator, r.lot, r.profile,"        \
    " r.started_ms, r.ended_ms, r.outcome, r.interrupted, r.station_version, r.manifest_path," \
    " r.manifest_sha256, r.manifest_lines, r.no_manifest, s.id, s.slot, s.port_chain,"         \
    " s.port_path, s.attempt, s.started_ms, s.manufacturer, s.model, s.firmware, s.fsn,"       \
    " s.imei, s.imsi, s.iccid, s.iccid_command, s.sim_status, s.sim_status_text,"              \
    " s.carrier_images, s.region, s.data_center, s.outcome, s.reason, s.message, s.ended_ms,"  \
    " s.profile, s.sku_basis"

#define CENTRAL_RESULT_FROM                                                         \
    " FROM slot_results s JOIN runs r ON r.station = s.station AND r.id = s.run_id" \
    " LEFT JOIN stations st ON st.station = s.station"

// Reads one row in order: each call the next column.
class Cursor {
  public:
    explicit Cursor(const Row& row) : m_row(row) {}
    const Value& next() { return m_row.at(m_at++); }
    std::string text() { return next().value_or(""); }
    std::optional<std::int64_t> opt_integer() {
        const auto& v = next();
        if (!v || v->empty()) return std::nullopt;
        return std::stoll(*v);
    }
    std::int64_t integer() { return opt_integer().value_or(0); }

  private:
    const Row& m_row;
    std::size_t m_at = 0;
};

store::RunRecord read_run(Cursor& c) {
    store::RunRecord run;
    run.station = c.text();
    run.hostname = c.text();
    run.id = store::RunId{c.integer()};
    run.info.mode = store::run_mode_from_string(c.text()).value_or(store::RunMode::provision);
    run.info.operator_name = c.text();
    run.info.lot = c.text();
    run.info.profile = c.text();
    run.info.started = store::from_ms(c.integer());
    if (auto ended = c.opt_integer()) run.ended = store::from_ms(*ended);
    if (const auto& outcome = c.next()) run.outcome = store::outcome_from_text(*outcome);
    run.interrupted = c.integer() != 0;
    run.info.station_version = c.text();
    const auto& manifest_path = c.next();
    const auto sha = c.text();
    const auto lines = c.integer();
    if (manifest_path) run.info.manifest = store::RunManifest{*manifest_path, sha, lines};
    run.info.no_manifest = c.integer() != 0;
    return run;
}

store::ResultRow read_result(const Row& row) {
    Cursor c(row);
    store::ResultRow out;
    out.run = read_run(c);
    auto& slot = out.slot;
    slot.id = store::SlotResultId{c.integer()};
    slot.run = out.run.id;
    slot.start.slot = c.text();
    slot.start.port_chain = c.text();
    slot.start.port_path = c.text();
    slot.start.attempt = static_cast<int>(c.integer());
    slot.start.started = store::from_ms(c.integer());
    auto& id = slot.identity;
    id.manufacturer = c.text();
    id.model = c.text();
    id.firmware = c.text();
    id.fsn = c.text();
    id.imei = c.text();
    id.imsi = c.text();
    id.iccid = c.text();
    id.iccid_command = c.text();
    id.sim_status = store::sim_status_from_text(c.text());
    id.sim_status_text = c.text();
    id.carrier_images = store::carrier_images_from_text(c.text());
    if (const auto& region = c.next()) slot.region = core::region_from_string(*region);
    if (const auto& dc = c.next()) slot.data_center = core::data_center_from_string(*dc);
    if (const auto& outcome = c.next()) slot.outcome = store::outcome_from_text(*outcome);
    if (const auto& reason = c.next()) slot.reason = core::reason_from_string(*reason);
    slot.message = c.text();
    if (auto ended = c.opt_integer()) slot.ended = store::from_ms(*ended);
    slot.profile = c.text();
    slot.sku_basis = c.next();
    return out;
}

core::Result<std::vector<store::ResultRow>> results(Connection& db, const std::string& where,
                                                    const std::vector<Value>& params,
                                                    const std::string& what) {
    auto rows =
        db.exec("SELECT " CENTRAL_RESULT_COLUMNS CENTRAL_RESULT_FROM " " + where, params, what);
    if (!rows) return tl::unexpected(rows.error());
    std::vector<store::ResultRow> out;
    out.reserve(rows->size());
    for (const auto& row : *rows) out.push_back(read_result(row));
    return out;
}

}  // namespace

core::Result<std::vector<store::ResultRow>> central_history(Connection& db, store::UnitKey key,
                                                            std::string_view value,
                                                            std::size_t limit) {
    // The column is chosen here from the enum, never from input; the value is bound.
    const std::string column = key == store::UnitKey::fsn    ? "s.fsn"
                               : key == store::UnitKey::imei ? "s.imei"
                                                             : "s.iccid";
    return results(db,
                   "WHERE lower(" + column +
                       ") = lower($1)"
                       " ORDER BY s.started_ms DESC, s.station, s.id DESC LIMIT $2",
                   {std::string(value), std::to_string(std::min<std::size_t>(limit, INT64_MAX))},
                   "history of " + std::string(store::to_string(key)) + " " + std::string(value));
}

core::Result<std::vector<store::ResultRow>> central_results_for_lot(Connection& db,
                                                                    std::string_view lot) {
    return results(db, "WHERE r.lot = $1 ORDER BY r.started_ms, s.station, r.id, s.id",
                   {std::string(lot)}, "report of pallet " + std::string(lot));
}

core::Result<std::vector<store::ResultRow>> central_results_for_run(Connection& db,
                                                                    std::string_view station,
                                                                    std::int64_t run) {
    return results(db, "WHERE s.station = $1 AND s.run_id = $2 ORDER BY s.id",
                   {std::string(station), std::to_string(run)},
                   "report of run " + std::to_string(run) + " of station " + std::string(station));
}

}  // namespace station::central
