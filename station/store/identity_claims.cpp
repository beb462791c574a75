// Duplicate SIM identities: the check, the sighting and the hold of every other holder are one
// write (claim_identity), so two units claiming one ICCID or IMEI are serialised by the store's
// writer and, across processes, by SQLite's write lock: the second always sees the first.
//
// Why both units are held: which of two units with one SIM identity is genuine cannot be told
// at the bench; registering the first one seen would make the order of arrival decide. So the
// later claim changes the earlier unit's PASS to FAIL and withdraws its unsent outbox rows; a
// row already sent cannot be taken back, so it is noted (`hold`) for `register status`.
#include <string>

#include <station/core/sanitize.hpp>
#include <station/store/store_impl.hpp>

namespace station::store {
namespace {

using core::Outcome;
using core::Reason;

// Where a slot result stands: its run and slot label.
struct Place {
    std::optional<RunId> run;
    std::string slot;
};

Result<Place> place_of(Store::Impl& impl, SlotResultId slot, std::string_view what) {
    auto stmt = impl.prepare("SELECT run_id, slot FROM slot_results WHERE id = ?", what);
    if (!stmt) return tl::unexpected(stmt.error());
    const int rc = stmt->bind(slot.value).step();
    if (rc == SQLITE_DONE) {
        return core::fail(Reason::store_error, impl.path.string() + ": " + std::string(what) +
                                                   ": no slot result " +
                                                   std::to_string(slot.value));
    }
    if (rc != SQLITE_ROW) return tl::unexpected(impl.error(what, rc));
    return Place{RunId{stmt->integer(0)}, stmt->text(1)};
}

// Every other unit whose latest sighting holds the ICCID or the IMEI, with its latest result.
Result<std::vector<IdentityHolder>> find_holders(Store::Impl& impl, const DeviceSighting& s,
                                                 std::string_view what) {
    auto stmt = impl.prepare(
        "SELECT d.fsn, d.iccid = ?1, s.id, s.run_id, s.slot, s.outcome FROM devices d"
        " LEFT JOIN slot_results s ON s.id = d.last_slot_result_id"
        " WHERE d.fsn <> ?3 AND ((?1 <> '' AND d.iccid = ?1) OR (?2 <> '' AND d.imei = ?2))"
        " ORDER BY d.fsn",
        what);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(s.iccid, s.imei, s.fsn);
    std::vector<IdentityHolder> holders;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        IdentityHolder h;
        h.fsn = stmt->text(0);
        const bool same_iccid = stmt->integer(1) != 0;
        h.reason = same_iccid ? Reason::duplicate_iccid : Reason::duplicate_imei;
        h.value = same_iccid ? s.iccid : s.imei;
        if (auto id = stmt->opt_integer(2)) h.slot_result = SlotResultId{*id};
        if (auto run = stmt->opt_integer(3)) h.run = RunId{*run};
        h.slot = stmt->opt_text(4).value_or("");
        if (auto outcome = stmt->opt_text(5)) h.outcome = outcome_from_text(*outcome);
        holders.push_back(std::move(h));
    }
    if (rc != SQLITE_DONE) return tl::unexpected(impl.error(what, rc));
    return holders;
}

// Changes the holder's PASS to FAIL, with a step and a run event saying why.
Result<bool> fail_result(Store::Impl& impl, const IdentityHolder& h, TimePoint now,
                         std::string_view what) {
    if (!h.slot_result || h.outcome != Outcome::pass) return false;
    const std::string_view reason = core::to_string(h.reason);
    auto change = impl.prepare(
        "UPDATE slot_results SET outcome = 'FAIL', reason = ?, message = ?"
        " WHERE id = ? AND outcome = 'PASS'",
        what);
    if (!change) return tl::unexpected(change.error());
    auto done = impl.run(change->bind(reason, h.message, h.slot_result->value), what);
    if (!done) return tl::unexpected(done.error());
    if (sqlite3_changes(impl.db) == 0) return false;
    auto step = impl.prepare(
        "INSERT INTO step_results(slot_result_id, name, outcome, reason, message, started_ms,"
        " ended_ms) VALUES (?1, 'duplicate_held', 'FAIL', ?2, ?3, ?4, ?4)",
        what);
    if (!step) return tl::unexpected(step.error());
    done = impl.run(step->bind(h.slot_result->value, reason, h.message, now), what);
    if (!done) return tl::unexpected(done.error());
    // A run that already ended PASS now holds a FAIL: its outcome is its worst slot's.
    auto run =
        impl.prepare("UPDATE runs SET outcome = 'FAIL' WHERE id = ? AND outcome = 'PASS'", what);
    if (!run) return tl::unexpected(run.error());
    done = impl.run(run->bind(h.run ? h.run->value : 0), what);
    if (!done) return tl::unexpected(done.error());
    auto event = impl.prepare(
        "INSERT INTO events(run_id, at_ms, kind, text) VALUES (?, ?, 'duplicate_held', ?)", what);
    if (!event) return tl::unexpected(event.error());
    const std::string text = "slot " + h.slot + ": " + core::sanitize_for_display(h.fsn, 64) +
                             " PASS changed to FAIL " + std::string(reason) + ": " + h.message;
    done =
        impl.run(event->bind(h.run ? std::optional(h.run->value) : std::nullopt, now, text), what);
    if (!done) return tl::unexpected(done.error());
    return true;
}

std::string hold_message(const IdentityHolder& h, const std::string& claimant) {
    const std::string key = h.reason == Reason::duplicate_iccid ? "ICCID" : "IMEI";
    return key + " " + core::sanitize_for_display(h.value, 32) + " is also on " + claimant +
           ", seen after this unit: both held to inspect";
}

}  // namespace

Result<IdentityClaim> Store::claim_identity(const DeviceSighting& sighting) {
    const std::string what = "claim identity of " + sighting.fsn;
    if (sighting.fsn.empty() || !sighting.slot_result) {
        return core::fail(Reason::store_error, m_impl->path.string() + ": " + what +
                                                   ": FSN and slot result are required");
    }
    Impl& impl = *m_impl;
    return impl.write(what, [&]() -> Result<IdentityClaim> {
        auto place = place_of(impl, *sighting.slot_result, what);
        if (!place) return tl::unexpected(place.error());
        const std::string claimant = describe_unit(sighting.fsn, place->slot, place->run, 64);
        auto holders = find_holders(impl, sighting, what);
        if (!holders) return tl::unexpected(holders.error());
        auto change = upsert_device_row(impl, sighting);
        if (!change) return tl::unexpected(change.error());
        IdentityClaim claim{*change, std::move(*holders)};
        for (auto& h : claim.holders) {
            h.message = hold_message(h, claimant);
            auto rows = hold_outbox_rows(impl, h.fsn, sighting.iccid, sighting.imei, h.message,
                                         sighting.seen, what);
            if (!rows) return tl::unexpected(rows.error());
            h.registration = *rows;
            if (h.registration == HeldRegistration::withdrawn) {
                h.message += "; its registration was withdrawn";
            } else if (h.registration == HeldRegistration::sent) {
                h.message += "; it was already sent to ALMS: inspect it there";
            }
            auto changed = fail_result(impl, h, sighting.seen, what);
            if (!changed) return tl::unexpected(changed.error());
            h.changed = *changed;
        }
        return claim;
    });
}

}  // namespace station::store
