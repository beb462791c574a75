// The list of runs (`station runs`): which runs there are and how their units ended, so a script
// finds the run to resume or report without reading the database itself.
#include <station/store/store_impl.hpp>

namespace station::store {

Result<std::vector<RunListing>> Store::list_runs(const RunFilter& filter) {
    const std::string what = "list runs";
    const auto lock = m_impl->lock();
    // A slot's rows in id order: a row is final unless the next one is its retry (attempt + 1)
    // or it is ABORTED and a later row (a resume) redid the slot.
    auto stmt = m_impl->prepare(
        "WITH attempts AS (SELECT run_id, outcome, attempt,"
        "   lead(attempt) OVER slot_rows AS next_attempt, lead(id) OVER slot_rows AS next_id"
        "   FROM slot_results WINDOW slot_rows AS (PARTITION BY run_id, slot ORDER BY id)),"
        " final AS (SELECT run_id, outcome FROM attempts"
        "   WHERE NOT (coalesce(next_attempt, 0) = attempt + 1"
        "              OR (coalesce(outcome, '') = 'ABORTED' AND next_id IS NOT NULL)))"
        " SELECT r.id, r.mode, r.operator, r.lot, r.profile, r.started_ms, r.ended_ms,"
        "   r.outcome, r.interrupted, coalesce(st.hostname, ''),"
        "   coalesce(sum(f.outcome = 'PASS'), 0), coalesce(sum(f.outcome = 'FAIL'), 0),"
        "   coalesce(sum(f.outcome = 'ERROR'), 0), coalesce(sum(f.outcome = 'ABORTED'), 0),"
        "   coalesce(sum(f.run_id IS NOT NULL AND f.outcome IS NULL), 0),"
        "   r.manifest_path, r.manifest_sha256, r.manifest_lines, r.no_manifest"
        " FROM runs r LEFT JOIN stations st ON st.id = r.station_id"
        " LEFT JOIN final f ON f.run_id = r.id"
        " WHERE (?1 IS NULL OR r.lot = ?1) AND (?2 IS NULL OR r.started_ms >= ?2)"
        " GROUP BY r.id ORDER BY r.started_ms DESC, r.id DESC",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(filter.lot, filter.since);
    std::vector<RunListing> runs;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        RunListing listing{read_run(*stmt), {}};
        read_run_manifest(*stmt, 15, listing.run.info);
        listing.counts = {stmt->integer(10), stmt->integer(11), stmt->integer(12),
                          stmt->integer(13), stmt->integer(14)};
        runs.push_back(std::move(listing));
    }
    if (rc != SQLITE_DONE) return tl::unexpected(m_impl->error(what, rc));
    return runs;
}

}  // namespace station::store
