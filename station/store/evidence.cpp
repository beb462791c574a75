// The evidence behind a unit's SKU decision (issue 13): the manifest a run decided with, the
// signals of each slot result's decision, and the manifest lines no unit of a run matched.
#include <string>
#include <unordered_map>

#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

// The ids as a JSON array ("[1,2,3]"): one bound parameter for json_each, so the signals of a
// report of thousands of units are read with one statement.
std::string id_array(const std::vector<ResultRow>& rows) {
    std::string out = "[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i != 0) out += ',';
        out += std::to_string(rows[i].slot.id.value);
    }
    return out + "]";
}

StoredSignal read_signal(const Statement& stmt) {
    StoredSignal signal;
    signal.source = stmt.text(1);
    signal.value = stmt.text(2);
    if (!stmt.is_null(3)) signal.vote = core::region_from_string(stmt.text(3));
    signal.basis = stmt.text(4);
    return signal;
}

}  // namespace

void read_run_manifest(const Statement& stmt, int first, RunInfo& info) {
    if (!stmt.is_null(first)) {
        info.manifest =
            RunManifest{stmt.text(first), stmt.text(first + 1), stmt.integer(first + 2)};
    }
    info.no_manifest = stmt.integer(first + 3) != 0;
}

Result<void> insert_slot_signals(Store::Impl& impl, SlotResultId slot,
                                 const std::vector<StoredSignal>& signals) {
    const std::string what = "record signals of slot result " + std::to_string(slot.value);
    for (std::size_t i = 0; i < signals.size(); ++i) {
        const auto& signal = signals[i];
        auto stmt = impl.prepare(
            "INSERT INTO slot_signals(slot_result_id, position, source, value, vote, basis)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            what);
        if (!stmt) return tl::unexpected(stmt.error());
        std::optional<std::string_view> vote;
        if (signal.vote) vote = core::to_string(*signal.vote);
        auto done = impl.run(stmt->bind(slot.value, static_cast<std::int64_t>(i), signal.source,
                                        signal.value, vote, signal.basis),
                             what);
        if (!done) return done;
    }
    return {};
}

Result<void> add_slot_signals(Store::Impl& impl, std::vector<ResultRow>& rows) {
    if (rows.empty()) return {};
    const std::string what = "read the decision signals";
    std::unordered_map<std::int64_t, SlotRecord*> by_id;
    for (auto& row : rows) by_id.emplace(row.slot.id.value, &row.slot);
    auto stmt = impl.prepare(
        "SELECT slot_result_id, source, value, vote, basis FROM slot_signals"
        " WHERE slot_result_id IN (SELECT value FROM json_each(?))"
        " ORDER BY slot_result_id, position",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(id_array(rows));
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        const auto found = by_id.find(stmt->integer(0));
        if (found != by_id.end()) found->second->signals.push_back(read_signal(*stmt));
    }
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    return {};
}

Result<void> Store::record_manifest_missing(RunId run, const std::vector<ManifestMissing>& lines) {
    Impl& impl = *m_impl;
    const std::string what = "record manifest lines missing from run " + std::to_string(run.value);
    return impl.write(what, [&]() -> Result<void> {
        auto clear = impl.prepare("DELETE FROM run_manifest_missing WHERE run_id = ?", what);
        if (!clear) return tl::unexpected(clear.error());
        auto done = impl.run(clear->bind(run.value), what);
        if (!done) return done;
        for (const auto& line : lines) {
            auto insert = impl.prepare(
                "INSERT INTO run_manifest_missing(run_id, line, serial, imei, part_number)"
                " VALUES (?, ?, ?, ?, ?)",
                what);
            if (!insert) return tl::unexpected(insert.error());
            done = impl.run(
                insert->bind(run.value, line.line, line.serial, line.imei, line.part_number), what);
            if (!done) return done;
        }
        return {};
    });
}

Result<std::vector<ManifestMissing>> Store::manifest_missing(RunId run) {
    const std::string what = "read manifest lines missing from run " + std::to_string(run.value);
    const auto lock = m_impl->lock();
    auto stmt = m_impl->prepare(
        "SELECT line, serial, imei, part_number FROM run_manifest_missing WHERE run_id = ?"
        " ORDER BY line",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(run.value);
    std::vector<ManifestMissing> lines;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        lines.push_back(
            ManifestMissing{stmt->integer(0), stmt->text(1), stmt->text(2), stmt->text(3)});
    }
    if (rc != SQLITE_DONE) return tl::unexpected(m_impl->error(what, rc));
    return lines;
}

}  // namespace station::store
