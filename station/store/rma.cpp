// The RMA depot's records (the RmaLog role, rma_log.hpp): RMA cases, the retest runs linked to
// them, the findings written on each retested unit, and the provisioning record a retest
// compares with (its look-ups walk the partial indexes of schema 9).
#include <map>

#include <station/core/sanitize.hpp>
#include <station/core/text.hpp>
#include <station/core/time_text.hpp>
#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

using core::fail;
using core::Reason;

// How many bytes of the run's lot and station name `seen` keeps.
constexpr std::size_t k_seen_part_max = 64;

// Columns 0..12 of the provisioning look-ups below.
#define STATION_PROVISIONED_COLUMNS                                                        \
    "s.fsn, s.imei, s.iccid, s.firmware, s.profile, s.region, s.data_center, r.id, r.lot," \
    " coalesce(st.hostname, ''), coalesce(s.ended_ms, s.started_ms), s.id,"                \
    " EXISTS (SELECT 1 FROM outbox o WHERE o.fsn = s.fsn COLLATE NOCASE"                   \
    "         AND o.state = 'registered')"                                                 \
    " FROM slot_results s JOIN runs r ON r.id = s.run_id"                                  \
    " LEFT JOIN stations st ON st.id = r.station_id"

// "run 12, pallet P1, bench-3, 2026-11-02": sanitised parts, the date in UTC.
std::string seen_text(std::int64_t run, const std::string& lot, const std::string& host,
                      std::int64_t at_ms) {
    std::string text = "run " + std::to_string(run) + ", pallet " +
                       core::sanitize_for_display(lot, k_seen_part_max);
    if (!host.empty()) text += ", " + core::sanitize_for_display(host, k_seen_part_max);
    return text + ", " + core::iso_utc(from_ms(at_ms)).substr(0, 10);
}

struct Provisioned {
    core::ProvisionedUnit unit;
    std::int64_t slot = 0;
};

core::ProvisionedUnit read_provisioned(const Statement& stmt) {
    core::ProvisionedUnit unit;
    unit.fsn = stmt.text(0);
    unit.imei = stmt.text(1);
    unit.iccid = stmt.text(2);
    unit.firmware = stmt.text(3);
    unit.profile = stmt.text(4);
    if (!stmt.is_null(5)) unit.region = core::region_from_string(stmt.text(5));
    if (!stmt.is_null(6)) unit.data_center = core::data_center_from_string(stmt.text(6));
    unit.seen = seen_text(stmt.integer(7), stmt.text(8), stmt.text(9), stmt.integer(10));
    unit.registered = stmt.integer(12) != 0;
    return unit;
}

// The last PASS result of a provision run that `stmt` (bound) finds; nullopt when none.
Result<std::optional<Provisioned>> last_provisioned(Store::Impl& impl, Statement& stmt,
                                                    std::string_view what) {
    const int rc = stmt.step();
    if (rc == SQLITE_DONE) return std::optional<Provisioned>();
    if (rc != SQLITE_ROW) return tl::unexpected(impl.error(what, rc));
    return std::optional<Provisioned>(Provisioned{read_provisioned(stmt), stmt.integer(11)});
}

Result<std::optional<Provisioned>> provisioned_by_fsn(Store::Impl& impl, std::string_view fsn) {
    const std::string what = "provisioning record of FSN " + std::string(fsn);
    auto stmt = impl.prepare("SELECT " STATION_PROVISIONED_COLUMNS
                             " WHERE s.fsn = ? COLLATE NOCASE AND s.outcome = 'PASS'"
                             " AND r.mode = 'provision' ORDER BY s.id DESC LIMIT 1",
                             what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(fsn);
    return last_provisioned(impl, *stmt, what);
}

Result<std::optional<Provisioned>> provisioned_by_imei(Store::Impl& impl, std::string_view imei) {
    const std::string what = "provisioning record of IMEI " + std::string(imei);
    auto stmt = impl.prepare("SELECT " STATION_PROVISIONED_COLUMNS
                             " WHERE s.imei = ? COLLATE NOCASE AND s.outcome = 'PASS'"
                             " AND r.mode = 'provision' ORDER BY s.id DESC LIMIT 1",
                             what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(imei);
    return last_provisioned(impl, *stmt, what);
}

Result<std::optional<RmaRecord>> read_rma(Store::Impl& impl, std::string_view id) {
    const std::string what = "read RMA " + std::string(id);
    auto stmt = impl.prepare(
        "SELECT id, customer, note, operator, received_ms FROM rmas WHERE id = ?", what);
    if (!stmt) return tl::unexpected(stmt.error());
    const int rc = stmt->bind(id).step();
    if (rc == SQLITE_DONE) return std::optional<RmaRecord>();
    if (rc != SQLITE_ROW) return tl::unexpected(impl.error(what, rc));
    return std::optional<RmaRecord>(RmaRecord{stmt->text(0), stmt->text(1), stmt->text(2),
                                              stmt->text(3), from_ms(stmt->integer(4))});
}

Result<std::vector<core::Finding>> read_findings(Store::Impl& impl, SlotResultId slot) {
    const std::string what = "findings of slot result " + std::to_string(slot.value);
    auto stmt = impl.prepare(
        "SELECT kind, before, now, seen FROM findings WHERE slot_result_id = ? ORDER BY ordinal",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(slot.value);
    std::vector<core::Finding> out;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        // A kind this station does not know (written by a newer one) is left out.
        const auto kind = core::finding_kind_from_string(stmt->text(0));
        if (kind) out.push_back({*kind, stmt->text(1), stmt->text(2), stmt->text(3)});
    }
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    return out;
}

// The RMA each run of `rows` is linked to.
Result<std::map<std::int64_t, std::string>> rma_of_runs(Store::Impl& impl,
                                                        const std::vector<ResultRow>& rows) {
    std::map<std::int64_t, std::string> out;
    for (const auto& row : rows) {
        if (out.contains(row.run.id.value)) continue;
        const std::string what = "RMA of run " + std::to_string(row.run.id.value);
        auto stmt = impl.prepare("SELECT rma_id FROM rma_runs WHERE run_id = ?", what);
        if (!stmt) return tl::unexpected(stmt.error());
        const int rc = stmt->bind(row.run.id.value).step();
        if (rc != SQLITE_ROW) return tl::unexpected(impl.error(what, rc));
        out.emplace(row.run.id.value, stmt->text(0));
    }
    return out;
}

// Report rows with their RMA and findings.
Result<std::vector<RetestRow>> retest_rows(Store::Impl& impl, Result<std::vector<ResultRow>> rows) {
    if (!rows) return tl::unexpected(rows.error());
    auto rmas = rma_of_runs(impl, *rows);
    if (!rmas) return tl::unexpected(rmas.error());
    std::vector<RetestRow> out;
    out.reserve(rows->size());
    for (auto& row : *rows) {
        auto found = read_findings(impl, row.slot.id);
        if (!found) return tl::unexpected(found.error());
        const std::string& rma = rmas->at(row.run.id.value);
        out.push_back(RetestRow{std::move(row), rma, std::move(*found)});
    }
    return out;
}

}  // namespace

Result<RmaRecord> Store::open_rma(const RmaRecord& rma) {
    const std::string what = "open RMA " + rma.id;
    if (core::trim_space(rma.id).empty()) {
        return fail(Reason::store_error, m_impl->path.string() + ": " + what + ": empty RMA id");
    }
    return m_impl->write(what, [&]() -> Result<RmaRecord> {
        auto stmt = m_impl->prepare(
            "INSERT INTO rmas(id, customer, note, operator, received_ms) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET"
            " customer = CASE excluded.customer WHEN '' THEN customer ELSE excluded.customer END,"
            " note = CASE excluded.note WHEN '' THEN note ELSE excluded.note END",
            what);
        if (!stmt) return tl::unexpected(stmt.error());
        auto done = m_impl->run(
            stmt->bind(rma.id, rma.customer, rma.note, rma.operator_name, rma.received), what);
        if (!done) return tl::unexpected(done.error());
        auto stored = read_rma(*m_impl, rma.id);
        if (!stored) return tl::unexpected(stored.error());
        if (!*stored) return tl::unexpected(m_impl->error(what));
        return std::move(**stored);
    });
}

Result<std::optional<RmaRecord>> Store::rma(std::string_view id) {
    const auto lock = m_impl->lock();
    return read_rma(*m_impl, id);
}

Result<void> Store::link_run(RunId run, std::string_view rma) {
    const std::string what =
        "link run " + std::to_string(run.value) + " to RMA " + std::string(rma);
    return m_impl->write(what, [&]() -> Result<void> {
        auto found = read_run_record(*m_impl, run);
        if (!found) return tl::unexpected(found.error());
        if (!*found)
            return fail(Reason::store_error, m_impl->path.string() + ": " + what + ": no such run");
        auto known = read_rma(*m_impl, rma);
        if (!known) return tl::unexpected(known.error());
        if (!*known)
            return fail(Reason::store_error,
                        m_impl->path.string() + ": " + what + ": no such RMA (open it first)");
        auto stmt = m_impl->prepare(
            "INSERT INTO rma_runs(run_id, rma_id) VALUES (?, ?) ON CONFLICT(run_id) DO NOTHING",
            what);
        if (!stmt) return tl::unexpected(stmt.error());
        auto done = m_impl->run(stmt->bind(run.value, (*known)->id), what);
        if (!done) return done;
        auto linked = m_impl->prepare("SELECT rma_id FROM rma_runs WHERE run_id = ?", what);
        if (!linked) return tl::unexpected(linked.error());
        if (linked->bind(run.value).step() != SQLITE_ROW)
            return tl::unexpected(m_impl->error(what));
        if (linked->text(0) != (*known)->id) {
            return fail(Reason::store_error, m_impl->path.string() + ": " + what +
                                                 ": the run belongs to RMA " + linked->text(0));
        }
        return {};
    });
}

Result<core::UnitHistory> Store::provisioning_history(std::string_view fsn, std::string_view imei) {
    const auto lock = m_impl->lock();
    std::optional<Provisioned> by_fsn;
    std::optional<Provisioned> by_imei;
    if (!fsn.empty()) {
        auto found = provisioned_by_fsn(*m_impl, fsn);
        if (!found) return tl::unexpected(found.error());
        by_fsn = std::move(*found);
    }
    if (!imei.empty()) {
        auto found = provisioned_by_imei(*m_impl, imei);
        if (!found) return tl::unexpected(found.error());
        by_imei = std::move(*found);
    }
    core::UnitHistory history;
    if (by_fsn) history.by_fsn = std::move(by_fsn->unit);
    // The same result found both ways is told once.
    if (by_imei && !(by_fsn && by_fsn->slot == by_imei->slot)) {
        history.by_imei = std::move(by_imei->unit);
    }
    return history;
}

Result<void> Store::record_findings(SlotResultId slot, const std::vector<core::Finding>& findings) {
    const std::string what = "record findings of slot result " + std::to_string(slot.value);
    return m_impl->write(what, [&]() -> Result<void> {
        auto exists = m_impl->prepare("SELECT 1 FROM slot_results WHERE id = ?", what);
        if (!exists) return tl::unexpected(exists.error());
        if (exists->bind(slot.value).step() != SQLITE_ROW) {
            return fail(Reason::store_error,
                        m_impl->path.string() + ": " + what + ": no such slot result");
        }
        auto clear = m_impl->prepare("DELETE FROM findings WHERE slot_result_id = ?", what);
        if (!clear) return tl::unexpected(clear.error());
        if (auto done = m_impl->run(clear->bind(slot.value), what); !done) return done;
        std::int64_t ordinal = 0;
        for (const auto& f : findings) {
            auto insert = m_impl->prepare(
                "INSERT INTO findings(slot_result_id, ordinal, kind, before, now, seen)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                what);
            if (!insert) return tl::unexpected(insert.error());
            insert->bind(slot.value, ++ordinal, core::to_string(f.kind), f.before, f.now, f.seen);
            if (auto done = m_impl->run(*insert, what); !done) return done;
        }
        return {};
    });
}

Result<std::vector<core::Finding>> Store::findings(SlotResultId slot) {
    const auto lock = m_impl->lock();
    return read_findings(*m_impl, slot);
}

Result<std::vector<RetestRow>> Store::retests_of_rma(std::string_view rma) {
    const auto lock = m_impl->lock();
    return retest_rows(*m_impl, results_for_rma(*m_impl, rma));
}

Result<std::vector<RetestRow>> Store::retests_since(TimePoint since) {
    const auto lock = m_impl->lock();
    return retest_rows(*m_impl, results_for_rmas_since(*m_impl, since));
}

}  // namespace station::store
