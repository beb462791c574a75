// The reading half of the store: history by identifier, report rows, steps, transcripts and
// the duplicate queries. Every look-up by FSN, IMEI or ICCID walks an index.
#include <array>
#include <map>
#include <string>

#include <station/core/time_text.hpp>
#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

#define STATION_RESULT_COLUMNS                                                                \
    "r.id, r.mode, r.operator, r.lot, r.profile, r.started_ms, r.ended_ms, r.outcome,"        \
    " r.interrupted, coalesce(st.hostname, ''), s.id, s.slot, s.port_chain, s.port_path,"     \
    " s.attempt, s.started_ms, s.manufacturer, s.model, s.firmware, s.fsn, s.imei, s.imsi,"   \
    " s.iccid, s.iccid_command, s.sim_status, s.sim_status_text, s.carrier_images, s.region," \
    " s.data_center, s.outcome, s.reason, s.message, s.ended_ms, r.station_version,"          \
    " r.manifest_path, r.manifest_sha256, r.manifest_lines, r.no_manifest, s.profile,"        \
    " s.sku_basis"

#define STATION_RESULT_FROM                               \
    " FROM slot_results s JOIN runs r ON r.id = s.run_id" \
    " LEFT JOIN stations st ON st.id = r.station_id"

#define STATION_RUN_COLUMNS                                                            \
    "r.id, r.mode, r.operator, r.lot, r.profile, r.started_ms, r.ended_ms, r.outcome," \
    " r.interrupted, coalesce(st.hostname, ''), r.station_version, r.manifest_path,"   \
    " r.manifest_sha256, r.manifest_lines, r.no_manifest"

std::optional<core::Reason> reason_of(const Statement& stmt, int col) {
    if (stmt.is_null(col)) return std::nullopt;
    return core::reason_from_string(stmt.text(col));
}

std::optional<core::Outcome> outcome_of(const Statement& stmt, int col) {
    if (stmt.is_null(col)) return std::nullopt;
    return outcome_from_text(stmt.text(col));
}

}  // namespace

std::vector<std::string> carrier_images_from_text(const std::string& text) {
    std::vector<std::string> items;
    if (text.empty()) return items;
    std::string current;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            items.push_back(std::move(current));
            current.clear();
        } else if (c == '\\' && i + 1 < text.size()) {
            current += text[i + 1] == 'n' ? '\n' : text[i + 1];
            ++i;
        } else {
            current += c;
        }
    }
    items.push_back(std::move(current));
    return items;
}

core::SimStatus sim_status_from_text(std::string_view text) {
    using core::SimStatus;
    constexpr std::array k_all{SimStatus::unknown,      SimStatus::ready,
                               SimStatus::not_inserted, SimStatus::pin_required,
                               SimStatus::puk_required, SimStatus::failure,
                               SimStatus::busy,         SimStatus::other};
    for (const auto status : k_all) {
        if (core::to_string(status) == text) return status;
    }
    return SimStatus::unknown;
}

// Columns 0..9 of STATION_RUN_COLUMNS (and of STATION_RESULT_COLUMNS), the station version at
// `version_col` (none when negative).
RunRecord read_run(const Statement& stmt, int version_col) {
    RunRecord run;
    run.id = RunId{stmt.integer(0)};
    run.info.mode = run_mode_from_string(stmt.text(1)).value_or(RunMode::provision);
    run.info.operator_name = stmt.text(2);
    run.info.lot = stmt.text(3);
    run.info.profile = stmt.text(4);
    run.info.started = from_ms(stmt.integer(5));
    if (auto ended = stmt.opt_integer(6)) run.ended = from_ms(*ended);
    run.outcome = outcome_of(stmt, 7);
    run.interrupted = stmt.integer(8) != 0;
    run.hostname = stmt.text(9);
    if (version_col >= 0) run.info.station_version = stmt.text(version_col);
    return run;
}

namespace {

// The profile files a run used, by name.
Result<std::vector<RunProfile>> read_run_profiles(Store::Impl& impl, RunId run) {
    const std::string what = "read profiles of run " + std::to_string(run.value);
    auto stmt = impl.prepare(
        "SELECT name, path, sha256 FROM run_profiles WHERE run_id = ? ORDER BY name", what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(run.value);
    std::vector<RunProfile> profiles;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        profiles.push_back(RunProfile{stmt->text(0), stmt->text(1), stmt->text(2)});
    }
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    return profiles;
}

// Fills in the profiles of every run in `rows` (one query per run).
Result<void> add_run_profiles(Store::Impl& impl, std::vector<ResultRow>& rows) {
    std::map<std::int64_t, std::vector<RunProfile>> by_run;
    for (auto& row : rows) {
        auto found = by_run.find(row.run.id.value);
        if (found == by_run.end()) {
            auto profiles = read_run_profiles(impl, row.run.id);
            if (!profiles) return tl::unexpected(profiles.error());
            found = by_run.emplace(row.run.id.value, std::move(*profiles)).first;
        }
        row.run.info.profiles = found->second;
    }
    return {};
}

ResultRow read_result(const Statement& stmt) {
    ResultRow row;
    row.run = read_run(stmt, 33);
    read_run_manifest(stmt, 34, row.run.info);
    auto& slot = row.slot;
    slot.id = SlotResultId{stmt.integer(10)};
    slot.run = row.run.id;
    slot.start.slot = stmt.text(11);
    slot.start.port_chain = stmt.text(12);
    slot.start.port_path = stmt.text(13);
    slot.start.attempt = static_cast<int>(stmt.integer(14));
    slot.start.started = from_ms(stmt.integer(15));
    auto& id = slot.identity;
    id.manufacturer = stmt.text(16);
    id.model = stmt.text(17);
    id.firmware = stmt.text(18);
    id.fsn = stmt.text(19);
    id.imei = stmt.text(20);
    id.imsi = stmt.text(21);
    id.iccid = stmt.text(22);
    id.iccid_command = stmt.text(23);
    id.sim_status = sim_status_from_text(stmt.text(24));
    id.sim_status_text = stmt.text(25);
    id.carrier_images = carrier_images_from_text(stmt.text(26));
    if (!stmt.is_null(27)) slot.region = core::region_from_string(stmt.text(27));
    if (!stmt.is_null(28)) slot.data_center = core::data_center_from_string(stmt.text(28));
    slot.outcome = outcome_of(stmt, 29);
    slot.reason = reason_of(stmt, 30);
    slot.message = stmt.text(31);
    if (auto ended = stmt.opt_integer(32)) slot.ended = from_ms(*ended);
    slot.profile = stmt.text(38);
    slot.sku_basis = stmt.opt_text(39);
    return row;
}

template <class... Args>
Result<std::vector<ResultRow>> results(Store::Impl& impl, std::string_view sql,
                                       std::string_view what, const Args&... args) {
    auto stmt = impl.prepare(sql, what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(args...);
    std::vector<ResultRow> rows;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) rows.push_back(read_result(*stmt));
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    if (auto added = add_run_profiles(impl, rows); !added) return tl::unexpected(added.error());
    if (auto added = add_slot_signals(impl, rows); !added) return tl::unexpected(added.error());
    return rows;
}

// Rows of (identifier, fsn) for identifiers held by more than one unit, grouped.
Result<std::vector<DuplicateIdentifier>> duplicates(Store::Impl& impl, std::string_view sql,
                                                    std::string_view what) {
    auto stmt = impl.prepare(sql, what);
    if (!stmt) return tl::unexpected(stmt.error());
    std::vector<DuplicateIdentifier> out;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        std::string value = stmt->text(0);
        if (out.empty() || out.back().value != value) {
            out.push_back(DuplicateIdentifier{std::move(value), {}});
        }
        out.back().fsns.push_back(stmt->text(1));
    }
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    return out;
}

}  // namespace

std::optional<core::Outcome> outcome_from_text(std::string_view text) {
    using core::Outcome;
    for (const auto outcome : {Outcome::pass, Outcome::fail, Outcome::error, Outcome::aborted}) {
        if (core::to_string(outcome) == text) return outcome;
    }
    return std::nullopt;
}

Result<std::optional<RunRecord>> Store::run(RunId run) {
    const auto lock = m_impl->lock();
    return read_run_record(*m_impl, run);
}

Result<std::optional<RunRecord>> read_run_record(Store::Impl& impl, RunId run) {
    const std::string what = "read run " + std::to_string(run.value);
    auto stmt = impl.prepare("SELECT " STATION_RUN_COLUMNS
                             " FROM runs r LEFT JOIN stations st ON st.id = r.station_id"
                             " WHERE r.id = ?",
                             what);
    if (!stmt) return tl::unexpected(stmt.error());
    const int rc = stmt->bind(run.value).step();
    if (rc == SQLITE_DONE) return std::optional<RunRecord>();
    if (rc != SQLITE_ROW) return tl::unexpected(impl.error(what, rc));
    RunRecord record = read_run(*stmt, 10);
    read_run_manifest(*stmt, 11, record.info);
    auto profiles = read_run_profiles(impl, run);
    if (!profiles) return tl::unexpected(profiles.error());
    record.info.profiles = std::move(*profiles);
    return std::optional<RunRecord>(std::move(record));
}

Result<std::vector<ResultRow>> Store::history(UnitKey key, std::string_view value,
                                              std::size_t limit) {
    const std::string what = "history of " + std::string(to_string(key)) + " " + std::string(value);
    const auto max = static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX));
    const auto lock = m_impl->lock();
    switch (key) {
        case UnitKey::fsn:
            return results(*m_impl,
                           "SELECT " STATION_RESULT_COLUMNS STATION_RESULT_FROM
                           " WHERE s.fsn = ? COLLATE NOCASE ORDER BY s.id DESC LIMIT ?",
                           what, value, max);
        case UnitKey::imei:
            return results(*m_impl,
                           "SELECT " STATION_RESULT_COLUMNS STATION_RESULT_FROM
                           " WHERE s.imei = ? COLLATE NOCASE ORDER BY s.id DESC LIMIT ?",
                           what, value, max);
        case UnitKey::iccid:
            return results(*m_impl,
                           "SELECT " STATION_RESULT_COLUMNS STATION_RESULT_FROM
                           " WHERE s.iccid = ? COLLATE NOCASE ORDER BY s.id DESC LIMIT ?",
                           what, value, max);
    }
    return std::vector<ResultRow>();
}

Result<std::vector<ResultRow>> Store::attempts_in_slot(RunId run, std::string_view slot,
                                                       std::size_t limit) {
    const auto max = static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX));
    const auto lock = m_impl->lock();
    return results(*m_impl,
                   "SELECT " STATION_RESULT_COLUMNS STATION_RESULT_FROM
                   " WHERE s.run_id = ? AND s.slot = ? ORDER BY s.id DESC LIMIT ?",
                   "attempts in slot " + std::string(slot) + " of run " + std::to_string(run.value),
                   run.value, slot, max);
}

Result<std::vector<ResultRow>> Store::results_for_run(RunId run) {
    const auto lock = m_impl->lock();
    return results(*m_impl,
                   "SELECT " STATION_RESULT_COLUMNS STATION_RESULT_FROM
                   " WHERE s.run_id = ? ORDER BY s.id",
                   "report of run " + std::to_string(run.value), run.value);
}

Result<std::vector<ResultRow>> Store::results_for_lot(std::string_view lot) {
    const auto lock = m_impl->lock();
    return results(*m_impl,
                   "SELECT " STATION_RESULT_COLUMNS STATION_RESULT_FROM
                   " WHERE r.lot = ? ORDER BY r.id, s.id",
                   "report of pallet " + std::string(lot), lot);
}

Result<std::vector<StepRecord>> Store::steps(SlotResultId slot) {
    const std::string what = "steps of slot result " + std::to_string(slot.value);
    const auto lock = m_impl->lock();
    auto stmt = m_impl->prepare(
        "SELECT name, outcome, reason, message, started_ms, ended_ms FROM step_results"
        " WHERE slot_result_id = ? ORDER BY id",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(slot.value);
    std::vector<StepRecord> steps;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        steps.push_back(StepRecord{stmt->text(0),
                                   outcome_from_text(stmt->text(1)).value_or(core::Outcome::error),
                                   reason_of(*stmt, 2), stmt->text(3), from_ms(stmt->integer(4)),
                                   from_ms(stmt->integer(5))});
    }
    if (rc != SQLITE_DONE) return tl::unexpected(m_impl->error(what, rc));
    return steps;
}

Result<std::string> Store::transcript(SlotResultId slot) {
    const std::string what = "transcript of slot result " + std::to_string(slot.value);
    const auto lock = m_impl->lock();
    auto stmt =
        m_impl->prepare("SELECT text FROM transcripts WHERE slot_result_id = ? ORDER BY id", what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(slot.value);
    std::string text;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) text += stmt->text(0);
    if (rc != SQLITE_DONE) return tl::unexpected(m_impl->error(what, rc));
    return text;
}

Result<std::vector<std::string>> Store::other_units_with(UnitKey key, std::string_view value,
                                                         std::string_view fsn) {
    if (key == UnitKey::fsn || value.empty()) return std::vector<std::string>();
    const std::string what = "units with " + std::string(to_string(key)) + " " + std::string(value);
    const auto lock = m_impl->lock();
    auto stmt =
        key == UnitKey::imei
            ? m_impl->prepare("SELECT fsn FROM devices WHERE imei = ? AND fsn <> ? ORDER BY fsn",
                              what)
            : m_impl->prepare("SELECT fsn FROM devices WHERE iccid = ? AND fsn <> ? ORDER BY fsn",
                              what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(value, fsn);
    std::vector<std::string> fsns;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) fsns.push_back(stmt->text(0));
    if (rc != SQLITE_DONE) return tl::unexpected(m_impl->error(what, rc));
    return fsns;
}

Result<std::vector<DuplicateIdentifier>> Store::duplicate_iccids() {
    const auto lock = m_impl->lock();
    return duplicates(*m_impl,
                      "SELECT iccid, fsn FROM devices WHERE iccid IN (SELECT iccid FROM devices"
                      " WHERE iccid <> '' GROUP BY iccid HAVING count(*) > 1)"
                      " ORDER BY iccid, fsn",
                      "find duplicate ICCIDs");
}

Result<std::vector<DuplicateIdentifier>> Store::duplicate_imeis() {
    const auto lock = m_impl->lock();
    return duplicates(*m_impl,
                      "SELECT imei, fsn FROM devices WHERE imei IN (SELECT imei FROM devices"
                      " WHERE imei <> '' GROUP BY imei HAVING count(*) > 1)"
                      " ORDER BY imei, fsn",
                      "find duplicate IMEIs");
}

Result<std::vector<SimSwap>> Store::sim_swaps() {
    const std::string what = "find SIM swaps";
    const auto lock = m_impl->lock();
    auto stmt = m_impl->prepare(
        "SELECT d.fsn, (SELECT h.iccid FROM device_iccids h WHERE h.fsn = d.fsn"
        "   AND h.iccid <> d.iccid ORDER BY h.last_seen_ms DESC LIMIT 1),"
        " d.iccid, coalesce((SELECT c.first_seen_ms FROM device_iccids c WHERE c.fsn = d.fsn"
        "   AND c.iccid = d.iccid), d.last_seen_ms)"
        " FROM devices d WHERE d.fsn IN"
        " (SELECT fsn FROM device_iccids GROUP BY fsn HAVING count(*) > 1) ORDER BY d.fsn",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    std::vector<SimSwap> swaps;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        swaps.push_back(
            SimSwap{stmt->text(0), stmt->text(1), stmt->text(2), from_ms(stmt->integer(3))});
    }
    if (rc != SQLITE_DONE) return tl::unexpected(m_impl->error(what, rc));
    return swaps;
}

}  // namespace station::store

namespace station::store {

// Report rows of the retest runs linked to one RMA, in run then slot order (rma.cpp).
Result<std::vector<ResultRow>> results_for_rma(Store::Impl& impl, std::string_view rma) {
    return results(impl,
                   "SELECT " STATION_RESULT_COLUMNS STATION_RESULT_FROM
                   " JOIN rma_runs m ON m.run_id = r.id WHERE m.rma_id = ? ORDER BY r.id, s.id",
                   "retests of RMA " + std::string(rma), rma);
}

// Report rows of the retest runs of RMAs received at or after `since`, oldest RMA first.
Result<std::vector<ResultRow>> results_for_rmas_since(Store::Impl& impl, TimePoint since) {
    return results(impl,
                   "SELECT " STATION_RESULT_COLUMNS STATION_RESULT_FROM
                   " JOIN rma_runs m ON m.run_id = r.id JOIN rmas a ON a.id = m.rma_id"
                   " WHERE a.received_ms >= ? ORDER BY a.received_ms, a.id, r.id, s.id",
                   "retests of RMAs since " + core::iso_utc(since), since);
}

}  // namespace station::store
